import Foundation

/// The peaks of Gallagher's Gaussian functions (BBOB f21 with 101 peaks, f22 with 21): their
/// locations `yᵢ`, heights `wᵢ` and per-axis scales `Cᵢ`, drawn from the instance seed as COCO
/// draws them (`f_gallagher_bbob_problem_allocate`).
///
/// `f(x) = T_osz(10 − maxᵢ wᵢ exp(−(1/2d) (x − yᵢ)ᵀ Rᵀ Cᵢ R (x − yᵢ)))² + f_pen(x) + f_opt`, with
/// `w₁ = 10` at the global optimum and the others evenly spaced in `[1.1, 9.1]`; `Cᵢ = Λ^αᵢ / αᵢ^¼`
/// with condition `αᵢ = 1000^(2j/(n−2))` for a random permutation `j` (the global peak:
/// `1000^½` for 101 peaks, `1000` for 21) and its diagonal randomly permuted.
struct BBOBGallagherPeaks: Sendable {
    /// The rotation `R`, row-major.
    let rotation: [Double]
    /// The rotated peak locations `R yᵢ`, one row of `d` per peak.
    let locations: [Double]
    /// The diagonal scales, one row of `d` per peak.
    let scales: [Double]
    /// The heights `wᵢ`.
    let heights: [Double]
    /// The global optimum `y₁`.
    let optimum: [Double]

    init(dimension d: Int, seed: Int, count: Int) {
        let (b, c, firstCondition): (Double, Double, Double) = count == 101 ? (10, 5, 1000.0.squareRoot()) : (9.8, 4.9, 1000)
        rotation = BBOBLegacyRandom.rotation(dimension: d, seed: seed)
        // A permutation of the condition exponents: the order of count−1 uniforms (stable ties as in qsort are measure-zero).
        let orderUniforms = BBOBLegacyRandom.uniform(count: count - 1, seed: seed)
        let order = (0..<(count - 1)).sorted { orderUniforms[$0] < orderUniforms[$1] }
        var conditions = [firstCondition]
        var heights = [10.0]
        for i in 1..<count {
            conditions.append(pow(1000, Double(order[i - 1]) / Double(count - 2)))
            heights.append(Double(i - 1) / Double(count - 2) * (9.1 - 1.1) + 1.1)
        }
        var scales = [Double](repeating: 0, count: count * d)
        for i in 0..<count {
            let uniforms = BBOBLegacyRandom.uniform(count: d, seed: seed + 1000 * i)
            let axes = (0..<d).sorted { uniforms[$0] < uniforms[$1] }
            for j in 0..<d { scales[i * d + j] = pow(conditions[i], Double(axes[j]) / Double(d - 1) - 0.5) }
        }
        let uniforms = BBOBLegacyRandom.uniform(count: d * count, seed: seed)
        var locations = [Double](repeating: 0, count: count * d)
        for peak in 0..<count {
            let raw = (0..<d).map { b * uniforms[peak * d + $0] - c }
            let rotated = BBOBTransformation.multiply(rotation, raw)
            for i in 0..<d { locations[peak * d + i] = rotated[i] * (peak == 0 ? 0.8 : 1) }
        }
        self.scales = scales
        self.heights = heights
        self.locations = locations
        optimum = (0..<d).map { 0.8 * (b * uniforms[$0] - c) }
    }

    /// The Gallagher function at `x` without `f_opt`.
    func value(at x: [Double]) -> Double {
        let d = x.count
        let rotated = BBOBTransformation.multiply(rotation, x)
        let factor = -0.5 / Double(d)
        var best = 0.0
        for peak in 0..<heights.count {
            var sum = 0.0
            for j in 0..<d {
                let difference = rotated[j] - locations[peak * d + j]
                sum += scales[peak * d + j] * difference * difference
            }
            best = Swift.max(best, heights[peak] * exp(factor * sum))
        }
        let oscillated = BBOBTransformation.oscillate(10 - best)
        return oscillated * oscillated + BBOBTransformation.penalty(x)
    }
}
