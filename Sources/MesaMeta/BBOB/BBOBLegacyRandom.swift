import Foundation

/// The random numbers behind every BBOB instance, as COCO draws them (its `bbob2009_unif`,
/// `bbob2009_gauss`, `bbob2009_compute_rotation`, `bbob2009_compute_xopt` and
/// `bbob2009_compute_fopt`): a Park–Miller minimal-standard generator (`16807 x mod (2³¹ − 1)`,
/// Schrage's factorisation) behind a 32-entry Bays–Durham shuffle table, restarted from the seed
/// on every call. Reproducing it exactly is what makes Mesa's instances COCO's instances.
///
/// Reference: Hansen, Finck, Ros, Auger, *Real-Parameter Black-Box Optimization Benchmarking
/// 2009: Noiseless Functions Definitions* (INRIA RR-6829), and COCO's legacy generator.
enum BBOBLegacyRandom {
    /// `count` uniform numbers in `(0, 1]` from `seed` (COCO's `bbob2009_unif`).
    static func uniform(count: Int, seed: Int) -> [Double] {
        var seed = abs(seed)
        if seed < 1 { seed = 1 }
        var current = seed
        var table = [Int](repeating: 0, count: 32)
        func step() {
            let quotient = current / 127_773
            current = 16_807 * (current - quotient * 127_773) - 2_836 * quotient
            if current < 0 { current += 2_147_483_647 }
        }
        for index in stride(from: 39, through: 0, by: -1) {
            step()
            if index < 32 { table[index] = current }
        }
        var output = table[0]
        var result = [Double](repeating: 0, count: count)
        for index in 0..<count {
            step()
            let slot = output / 67_108_865
            output = table[slot]
            table[slot] = current
            result[index] = Double(output) / 2.147483647e9
            if result[index] == 0 { result[index] = 1e-99 }
        }
        return result
    }

    /// `count` standard normal numbers from `seed` by Box–Muller on `2 count` uniforms
    /// (COCO's `bbob2009_gauss`): `gᵢ = √(−2 ln uᵢ) cos(2π u_{count+i})`.
    static func gaussian(count: Int, seed: Int) -> [Double] {
        let uniforms = uniform(count: 2 * count, seed: seed)
        return (0..<count).map { index in
            let value = (-2 * log(uniforms[index])).squareRoot() * cos(2 * Double.pi * uniforms[count + index])
            return value == 0 ? 1e-99 : value
        }
    }

    /// A `d × d` orthogonal matrix, row-major: `d²` Gaussians laid out column by column, then
    /// Gram–Schmidt on the columns (COCO's `bbob2009_compute_rotation`).
    static func rotation(dimension d: Int, seed: Int) -> [Double] {
        let values = gaussian(count: d * d, seed: seed)
        var matrix = [Double](repeating: 0, count: d * d)
        for row in 0..<d { for column in 0..<d { matrix[row * d + column] = values[column * d + row] } }
        for column in 0..<d {
            for previous in 0..<column {
                var product = 0.0
                for k in 0..<d { product += matrix[k * d + column] * matrix[k * d + previous] }
                for k in 0..<d { matrix[k * d + column] -= product * matrix[k * d + previous] }
            }
            var norm = 0.0
            for k in 0..<d { norm += matrix[k * d + column] * matrix[k * d + column] }
            norm = norm.squareRoot()
            for k in 0..<d { matrix[k * d + column] /= norm }
        }
        return matrix
    }

    /// The optimum's location: `8 ⌊10⁴ u⌋ / 10⁴ − 4` per coordinate, `−10⁻⁵` instead of 0
    /// (COCO's `bbob2009_compute_xopt`).
    static func optimum(dimension: Int, seed: Int) -> [Double] {
        uniform(count: dimension, seed: seed).map { u in
            let value = 8 * (1e4 * u).rounded(.down) / 1e4 - 4
            return value == 0 ? -1e-5 : value
        }
    }

    /// The optimal value `f_opt` of a function's instance: `round(100 g₁/g₂)` hundredths clipped
    /// to `[−1000, 1000]`, with `g₁`, `g₂` Gaussians from seeds `s` and `s + 1`,
    /// `s = f + 10⁴ instance` (f 4 uses 3's seed, f 18 uses 17's; COCO's `bbob2009_compute_fopt`).
    static func optimalValue(function: Int, instance: Int) -> Double {
        let base = function == 4 ? 3 : function == 18 ? 17 : function
        let seed = base + 10_000 * instance
        let numerator = gaussian(count: 1, seed: seed)[0], denominator = gaussian(count: 1, seed: seed + 1)[0]
        let value = (100 * 100 * numerator / denominator + 0.5).rounded(.down) / 100
        return Swift.min(1000, Swift.max(-1000, value))
    }
}
