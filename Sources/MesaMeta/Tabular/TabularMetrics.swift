import Foundation

/// Scores of predictions against the truth.
public enum TabularMetrics {
    /// The fraction of rows whose most probable class is the true one.
    public static func accuracy(_ probabilities: [[Float]], labels: [Int]) -> Double {
        let correct = zip(probabilities, labels).filter { p, label in p.indices.max { p[$0] < p[$1] } == label }.count
        return Double(correct) / Double(max(labels.count, 1))
    }

    /// The mean negative log-probability of the true class (probabilities clipped at 1e-15).
    public static func logLoss(_ probabilities: [[Float]], labels: [Int]) -> Double {
        zip(probabilities, labels).map { -log(max(Double($0[$1]), 1e-15)) }.reduce(0, +) / Double(max(labels.count, 1))
    }

    /// ROC AUC: binary, the probability that a positive outranks a negative (ties count half);
    /// multiclass, the macro average of one-vs-rest AUCs over classes with both positives and
    /// negatives among the rows. `nil` when no class qualifies.
    public static func rocAUC(_ probabilities: [[Float]], labels: [Int], classCount: Int) -> Double? {
        func auc(_ scores: [Float], _ positive: [Bool]) -> Double? {
            let order = scores.indices.sorted { scores[$0] < scores[$1] }
            var ranks = [Double](repeating: 0, count: scores.count)
            var start = 0
            while start < order.count {
                var end = start
                while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
                for k in start...end { ranks[order[k]] = Double(start + end) / 2 + 1 }
                start = end + 1
            }
            let positives = positive.filter { $0 }.count, negatives = positive.count - positives
            guard positives > 0 && negatives > 0 else { return nil }
            let rankSum = zip(ranks, positive).filter(\.1).map(\.0).reduce(0, +)
            return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
        }
        if classCount == 2 { return auc(probabilities.map { $0[1] }, labels.map { $0 == 1 }) }
        let aucs = (0..<classCount).compactMap { c in auc(probabilities.map { $0[c] }, labels.map { $0 == c }) }
        return aucs.isEmpty ? nil : aucs.reduce(0, +) / Double(aucs.count)
    }

    /// `1 − Σ(y − ŷ)² / Σ(y − ȳ)²`.
    public static func rSquared(_ predictions: [Double], targets: [Double]) -> Double {
        let mean = targets.reduce(0, +) / Double(max(targets.count, 1))
        let residual = zip(predictions, targets).map { ($1 - $0) * ($1 - $0) }.reduce(0, +)
        let total = targets.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        return total > 0 ? 1 - residual / total : 0
    }

    /// `√(mean (y − ŷ)²)`.
    public static func rootMeanSquaredError(_ predictions: [Double], targets: [Double]) -> Double {
        (zip(predictions, targets).map { ($1 - $0) * ($1 - $0) }.reduce(0, +) / Double(max(targets.count, 1))).squareRoot()
    }
}
