import MesaCore

/// A Latin-hypercube design in the unit cube (McKay, Beckman & Conover 1979): `count` points
/// such that, in every coordinate, each of the `count` equal slices `[k/count, (k+1)/count)`
/// holds exactly one point. Coordinate `j` of point `i` is `(πⱼ(i) + uᵢⱼ)/count` with an
/// independent random permutation `πⱼ` per coordinate and uniform jitter `uᵢⱼ`.
///
/// The initial design of ``BayesianOptimizer`` and of the benchmark protocol; seeded, so the
/// same seed gives the same design on every platform.
public enum LatinHypercube {
    /// `count` points in `[0, 1)^dimension`, drawn from `generator`.
    public static func sample(count: Int, dimension: Int, using generator: inout RandomGenerator) -> [[Double]] {
        guard count > 0 else { return [] }
        var points = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: count)
        for j in 0..<dimension {
            let permutation = Tensor.randomPermutation(count, using: &generator)
            for i in 0..<count {
                // 53 random bits: the jitter must not round a point onto its slice's upper edge.
                let jitter = Double(generator.next() >> 11) * 0x1p-53
                points[i][j] = (Double(permutation[i]) + jitter) / Double(count)
            }
        }
        return points
    }

    /// ``sample(count:dimension:using:)`` from a generator seeded with `seed`.
    public static func sample(count: Int, dimension: Int, seed: UInt64) -> [[Double]] {
        var generator = RandomGenerator(seed: seed)
        return sample(count: count, dimension: dimension, using: &generator)
    }
}
