import Foundation
import MesaCore

/// How ``TabularPrior`` shapes and encodes its feature columns: discrete numeric levels, and the
/// preprocessor's encoding of every column.
extension TabularPrior {
    /// `column` on `L` ordered levels `0, 1, …, L − 1`, `L` log-uniform in 2–16, order kept. With
    /// probability ½ the values below a random quantile `q ∈ [0.1, 0.6]` are first raised to it
    /// (a point mass at the bottom, like a pixel's background or a count's zeros). The level cuts
    /// are then evenly spaced between the column's extremes (a scale's equal steps) or, with
    /// probability ½, at the values of `L − 1` random rows (levels of unequal width).
    static func discretised(_ column: [Double], using generator: inout RandomGenerator) -> [Double] {
        let n = column.count
        guard n > 1 else { return column }
        var values = column
        let levels = Swift.min(16, Int(exp(generator.nextDouble() * log(17.0 / 2)) * 2))
        if generator.nextDouble() < 0.5 {
            let floor = values.sorted()[Swift.min(n - 1, Int((0.1 + 0.5 * generator.nextDouble()) * Double(n)))]
            values = values.map { Swift.max($0, floor) }
        }
        let sorted = values.sorted()
        let cuts: [Double]
        if generator.nextDouble() < 0.5 {
            let (low, high) = (sorted[0], sorted[n - 1])
            cuts = (1..<levels).map { low + (high - low) * Double($0) / Double(levels) }
        } else {
            cuts = (1..<levels).map { _ in sorted[generator.nextIndex(below: n)] }.sorted()
        }
        return values.map { value in Double(cuts.filter { value > $0 }.count) }
    }

    /// ``TabularPreprocessor``'s encoding of numeric columns (`NaN` = missing; categorical ones
    /// hold codes): robust scaling and clipping, categorical codes by training frequency over
    /// `[−1, 1]`, 0 plus an indicator for missing. Returns row-major features and their count.
    static func encode(_ columns: [[Double]], categorical: [Bool], trainCount: Int, clip: Double) -> ([Float], Int) {
        let n = columns.first?.count ?? 0
        var encoded: [[Double]] = [], indicators: [[Double]] = []
        for (j, column) in columns.enumerated() {
            let train = column.prefix(trainCount).filter { !$0.isNaN }
            if column.contains(where: \.isNaN) { indicators.append(column.map { $0.isNaN ? 1 : 0 }) }
            if categorical[j] {
                let counts = Dictionary(train.map { ($0, 1) }, uniquingKeysWith: +)
                // Ties by the level's text, as the preprocessor orders equal counts by name.
                let levels = counts.sorted { $0.value != $1.value ? $0.value > $1.value : String(Int($0.key)) < String(Int($1.key)) }.map(\.key)
                let position = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
                encoded.append(column.map { value in
                    guard !value.isNaN, let code = position[value] else { return 0 }
                    return levels.count > 1 ? 2 * Double(code) / Double(levels.count - 1) - 1 : 0
                })
            } else {
                let (center, scale) = TabularPreprocessor.robustCenterAndScale(train.sorted())
                encoded.append(column.map { $0.isNaN ? 0 : Swift.min(Swift.max(($0 - center) / scale, -clip), clip) })
            }
        }
        let all = encoded + indicators, width = all.count
        var features = [Float](repeating: 0, count: n * width)
        for (j, column) in all.enumerated() { for i in 0..<n { features[i * width + j] = Float(column[i]) } }
        return (features, width)
    }
}
