import Foundation

/// What the learned query policy (``LearnedQueryPolicy``) knows about each pool row: ten numbers
/// the in-context model and the tables provide, each scale-free so that one policy serves tables
/// of any size, width and class count.
///
/// | # | feature |
/// |---|---|
/// | 0 | the top class probability `p₁` |
/// | 1 | the margin `p₁ − p₂` |
/// | 2 | the entropy divided by `ln C` (1: uniform) |
/// | 3 | the row's entropy rank in the pool, in `[0, 1]` (1: the most uncertain) |
/// | 4 | the row's margin-uncertainty rank in the pool, in `[0, 1]` |
/// | 5 | the distance to the nearest labelled row over its pool mean (log(1 + ·)) |
/// | 6 | the pool density (``InformationDensity``) over its pool mean (log(1 + ·)) |
/// | 7 | the labelled rows of the row's predicted class × C / labelled rows (1: balanced; log(1 + ·)) |
/// | 8 | the labelled rows, `ln(1 + L) / ln 1001` (how much of a budget is used) |
/// | 9 | the classes, `C / 10` |
///
/// At use and in training alike they come from ``make(probabilities:pool:labelled:classNames:)``:
/// the ensemble's averaged probabilities and the preprocessed features of the tables, so the
/// policy sees one view. Committee disagreement is not among them (it was no better than random
/// as a strategy of its own).
public enum QueryPolicyFeatures {
    /// Features per row.
    public static let count = 10

    /// The features of every row of `pool`, `[rows][count]`, from the classifier's `probabilities`
    /// of those rows (in `classNames` order) and the tables themselves, encoded by a
    /// ``TabularPreprocessor`` fitted on the `labelled` rows (labels matched to `classNames`).
    /// The one path from tables to features, used by `--strategy learned` and by
    /// ``QueryPolicyTrainer`` on prior tables.
    public static func make(probabilities: [[Float]], pool: TabularTable, labelled: TabularTable, classNames: [String]) throws -> [[Float]] {
        let preprocessor = try TabularPreprocessor(fitting: labelled, test: pool)
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        return make(probabilities: probabilities, pool: try preprocessor.transform(pool), labelled: try preprocessor.transform(labelled),
                    width: preprocessor.featureCount, labelledClasses: labelled.targets.map { index[$0.trimmingSpaces()] ?? -1 })
    }

    /// The features of every pool row, `[rows][count]`.
    ///
    /// - Parameters:
    ///   - probabilities: the pool rows' class probabilities, `[rows][C]`.
    ///   - pool: the pool rows' encoded features, row-major `[rows, width]`.
    ///   - labelled: the labelled rows' encoded features, row-major `[L, width]`.
    ///   - labelledClasses: the labelled rows' class indices.
    public static func make(probabilities: [[Float]], pool: [Float], labelled: [Float], width: Int, labelledClasses: [Int]) -> [[Float]] {
        let rows = probabilities.count, classCount = probabilities.first?.count ?? 2, labelledCount = labelledClasses.count
        guard rows > 0 else { return [] }
        let entropy = probabilities.map { UncertaintyMeasure.entropy($0) / log(Double(max(classCount, 2))) }
        let margin = probabilities.map(UncertaintyMeasure.margin)
        func ranks(_ values: [Double]) -> [Double] {
            var result = [Double](repeating: 0, count: rows)
            for (rank, row) in values.indices.sorted(by: { values[$0] < values[$1] }).enumerated() { result[row] = Double(rank) / Double(max(rows - 1, 1)) }
            return result
        }
        let entropyRank = ranks(entropy), marginRank = ranks(margin)
        var nearest = [Double](repeating: 0, count: rows)
        for row in 0..<rows {
            var best = Double.infinity
            for other in 0..<labelledCount {
                var sum: Float = 0
                for j in 0..<width { let d = pool[row * width + j] - labelled[other * width + j]; sum += d * d }
                best = min(best, Double(sum).squareRoot())
            }
            nearest[row] = best.isFinite ? best : 0
        }
        let meanNearest = max(nearest.reduce(0, +) / Double(rows), 1e-12)
        let density = InformationDensity.densities(features: pool, rows: rows, width: width)
        let meanDensity = max(density.reduce(0, +) / Double(rows), 1e-300)
        var counts = [Int](repeating: 0, count: classCount)
        for c in labelledClasses where c >= 0 && c < classCount { counts[c] += 1 }
        return (0..<rows).map { row in
            let p = probabilities[row]
            let predicted = p.indices.max { p[$0] < p[$1] } ?? 0
            return [
                p.max() ?? 0, Float(1 - margin[row]), Float(entropy[row]), Float(entropyRank[row]), Float(marginRank[row]),
                Float(log1p(nearest[row] / meanNearest)), Float(log1p(density[row] / meanDensity)),
                Float(log1p(Double(counts[predicted] * classCount) / Double(max(labelledCount, 1)))),
                Float(log1p(Double(labelledCount)) / log(1001)), Float(classCount) / 10,
            ]
        }
    }
}
