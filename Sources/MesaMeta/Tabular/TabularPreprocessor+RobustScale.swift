import Foundation

extension TabularPreprocessor {
    /// Median and interquartile range ÷ 1.349 of `sorted` values, falling back to the standard
    /// deviation when the range is negligible, then to 1 when that is too. Negligible means at
    /// most 10⁻¹² of the largest magnitude among the values: a column of values around 10⁻³⁰ is
    /// scaled like any other, while a constant column (whose standard deviation may come out as
    /// rounding noise) stays constant.
    static func robustCenterAndScale(_ sorted: [Double]) -> (Double, Double) {
        var values = sorted
        return robustCenterAndScale(selectingIn: &values)
    }

    /// ``robustCenterAndScale(_:)`` of `values` in any order, in linear time: the quartiles come
    /// from quickselect (Hoare 1961), which reorders `values`, instead of a full sort (a sort of
    /// a million-row column costs ~0.1 s; several columns and fits add up).
    static func robustCenterAndScale(selectingIn values: inout [Double]) -> (Double, Double) {
        guard !values.isEmpty else { return (0, 1) }
        let n = values.count
        var magnitude = 0.0
        for value in values { magnitude = Swift.max(magnitude, abs(value)) }
        // Each quartile interpolates between the order statistics ⌊q(n−1)⌋ and the next one; the
        // positions rise, so each selection only searches right of the previous one.
        var quartiles: [Double] = []
        var from = 0
        for q in [0.25, 0.5, 0.75] {
            let position = q * Double(n - 1)
            let low = Int(position.rounded(.down)), high = Swift.min(low + 1, n - 1)
            select(low, in: &values, from: from)
            // The next order statistic is the least value right of `low`.
            var next = values[low]
            if high > low { next = values[high]; for i in high..<n where values[i] < next { next = values[i] } }
            quartiles.append(values[low] + (next - values[low]) * (position - Double(low)))
            from = low
        }
        var scale = (quartiles[2] - quartiles[0]) / 1.349
        if !isSpread(scale, magnitude: magnitude) {
            // Summed in sorted order, so that the rounding (and the scale, to the last bit) does
            // not depend on the order of the rows.
            values.sort()
            let mean = values.reduce(0, +) / Double(n)
            scale = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
        }
        return (quartiles[1], isSpread(scale, magnitude: magnitude) ? scale : 1)
    }

    /// Whether `spread` is finite and more than 10⁻¹² of `magnitude` (and positive).
    static func isSpread(_ spread: Double, magnitude: Double) -> Bool {
        spread.isFinite && spread > 0 && spread > 1e-12 * magnitude
    }

    /// Reorders `values[from...]` so that position `k` holds the value a sort would put there,
    /// smaller or equal values before it and larger or equal ones after (`values[..<from]` must
    /// already be at most any value of `values[from...]`).
    static func select(_ k: Int, in values: inout [Double], from: Int) {
        var low = from, high = values.count - 1
        values.withUnsafeMutableBufferPointer { v in
            while low < high {
                // Median of three as the pivot; Hoare partition.
                let middle = low + (high - low) / 2
                if v[middle] < v[low] { v.swapAt(middle, low) }
                if v[high] < v[low] { v.swapAt(high, low) }
                if v[high] < v[middle] { v.swapAt(high, middle) }
                let pivot = v[middle]
                var i = low, j = high
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while pivot < v[j] { j -= 1 }
                    if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
                }
                if k <= j { high = j } else if k >= i { low = i } else { return }
            }
        }
    }
}
