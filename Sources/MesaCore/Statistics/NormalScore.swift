/// The normal score of `value` among a sample: `Φ⁻¹((p + ½) / n)` with `p` its mid-rank position
/// among `sorted` (ascending, `n` values; tied values share the mean of their positions), `p`
/// interpolated linearly between the two sample values around a value the sample does not hold
/// and clamped to `[0, n − 1]` outside the sample's range (the rank-based inverse normal transform,
/// as in scikit-learn's `QuantileTransformer(output_distribution="normal")`). A sample of fewer
/// than two distinct values gives 0.
public func normalScore<T: BinaryFloatingPoint>(_ value: T, among sorted: [T]) -> T {
    let n = sorted.count
    guard n > 1, sorted[0] < sorted[n - 1] else { return 0 }
    /// The first index whose value is at least `v` (`strict`: above `v`).
    func lowerBound(_ v: T, strict: Bool) -> Int {
        var low = 0, high = n
        while low < high {
            let mid = (low + high) / 2
            if strict ? sorted[mid] <= v : sorted[mid] < v { low = mid + 1 } else { high = mid }
        }
        return low
    }
    let first = lowerBound(value, strict: false), end = lowerBound(value, strict: true)
    let position: Double
    if end > first {
        position = Double(first + end - 1) / 2
    } else if first == 0 {
        position = 0
    } else if first == n {
        position = Double(n - 1)
    } else {
        let below = sorted[first - 1], above = sorted[first]
        position = Double(first - 1) + Double((value - below) / (above - below))
    }
    return T(standardNormalQuantile((position + 0.5) / Double(n)))
}
