import Foundation

/// How typical each pool row is of the pool, for density-weighted uncertainty (Settles & Craven
/// 2008): the mean similarity to the pool's rows,
/// `density(x) = (1/N) Σ_u exp(−‖x − u‖² / h²)`, with `h²` the mean squared distance between
/// pool rows (so the density is unit-free). An outlier has a density near `1/N`, a row in a
/// cluster near the cluster's share of the pool.
public enum InformationDensity {
    /// The density of each of the `rows` rows of the row-major `features` (`width` per row).
    /// Quadratic in the rows: about 0.1 s for 1,000 rows of 100 features.
    public static func densities(features: [Float], rows: Int, width: Int) -> [Double] {
        guard rows > 0 else { return [] }
        var squared = [Double](repeating: 0, count: rows * rows)
        features.withUnsafeBufferPointer { x in
            for a in 0..<rows {
                for b in 0..<a {
                    var sum: Float = 0
                    for j in 0..<width { let d = x[a * width + j] - x[b * width + j]; sum += d * d }
                    squared[a * rows + b] = Double(sum)
                    squared[b * rows + a] = Double(sum)
                }
            }
        }
        let pairs = Double(max(rows * (rows - 1), 1))
        let bandwidth = max(squared.reduce(0, +) / pairs, 1e-12)
        return (0..<rows).map { a in
            (0..<rows).reduce(0.0) { $0 + exp(-squared[a * rows + $1] / bandwidth) } / Double(rows)
        }
    }
}
