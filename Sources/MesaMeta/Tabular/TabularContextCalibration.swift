import Foundation
import MesaCore

/// A correction of the classifier's probabilities fitted on the labelled rows themselves:
/// `p′ = softmax(a · log p + b)`, a scale `a` (above 1 sharpens, below 1 flattens) and one bias
/// per class, fitted by penalised maximum likelihood on **in-context cross-validated**
/// probabilities: the labelled rows are split into stratified folds, each fold is predicted from
/// the others, and `(log a, b)` minimise
///
/// `−Σᵢ log p′(yᵢ | xᵢ) + ½ Σ_c b_c² / σ_b² + ½ (log a)² / σ_a²`
///
/// (Platt scaling, Platt 1999, with a temperature and class biases as in Guo et al. 2017's
/// vector scaling; fitted on cross-validated predictions of the context as stacking does,
/// Wolpert 1992). Why: the shipped model is pre-trained on synthetic tables most of which are
/// close to noise, so on a real table whose features say more it leans towards the majority
/// class more than the table warrants (docs/tabular.md, "How learnable are the prior's tables?");
/// the folds measure that lean on the table itself. The penalty keeps `a` near 1 and `b` near 0
/// when the folds say little. Its settings were chosen on the development half of the benchmark
/// tables (docs/tabular.md, "Calibration on the labelled rows"); it is off by default
/// (``TabularPredictionOptions/contextCalibration``).
public struct TabularContextCalibration: Sendable, Equatable {
    /// The scale `a` of the log-probabilities.
    public var scale: Double
    /// The bias `b_c` of each class's log-probability.
    public var biases: [Double]

    /// Folds of the labelled rows.
    public static let foldCount = 5
    /// Ensemble members of each fold's prediction (the full ensemble's half: the folds only
    /// measure the lean, and the speed targets bind).
    public static let memberCount = 4
    /// The least labelled rows per class (on average) for a calibration to be fitted: below it
    /// the folds are too small to say more than noise (on the development tables, 8 classes from
    /// 27 rows lost 0.03).
    public static let minimumRowsPerClass = 10
    /// The prior standard deviation `σ_b` of the biases.
    public static let biasDeviation = 1.0
    /// The prior standard deviation `σ_a` of `log a`.
    public static let logScaleDeviation = 0.5
    /// The smallest probability read (`log` stays finite for a class a fold never saw).
    static let floor = 1e-6

    /// A calibration; the identity is `scale` 1 and zero biases.
    public init(scale: Double, biases: [Double]) {
        self.scale = scale
        self.biases = biases
    }

    /// The penalised maximum-likelihood calibration of `probabilities` (`[rows][classes]`,
    /// each row predicted without its own label) against their true class indices `labels`.
    public static func fitted(probabilities: [[Double]], labels: [Int], classCount: Int) -> TabularContextCalibration {
        precondition(probabilities.count == labels.count, "one label per row")
        let logs = probabilities.map { row in row.map { log(Swift.max($0, floor)) } }
        let objective: ([Double]) -> (value: Double, gradient: [Double]) = { w in
            let a = exp(w[0])
            var value = 0.5 * w[0] * w[0] / (logScaleDeviation * logScaleDeviation)
            var gradient = [Double](repeating: 0, count: classCount + 1)
            gradient[0] = w[0] / (logScaleDeviation * logScaleDeviation)
            for c in 0..<classCount {
                value += 0.5 * w[c + 1] * w[c + 1] / (biasDeviation * biasDeviation)
                gradient[c + 1] = w[c + 1] / (biasDeviation * biasDeviation)
            }
            for (row, label) in zip(logs, labels) {
                let z = (0..<classCount).map { a * row[$0] + w[$0 + 1] }
                let largest = z.max() ?? 0
                let total = z.reduce(0) { $0 + exp($1 - largest) }
                value -= z[label] - largest - log(total)
                for c in 0..<classCount {
                    let residual = exp(z[c] - largest) / total - (c == label ? 1 : 0)
                    gradient[c + 1] += residual
                    gradient[0] += residual * a * row[c]
                }
            }
            return (value, gradient)
        }
        let infinite = [Double](repeating: .infinity, count: classCount + 1)
        let result = BoxConstrainedMinimizer(maximumIterations: 200, gradientTolerance: 1e-7)
            .minimize(from: [Double](repeating: 0, count: classCount + 1), lower: infinite.map { -$0 }, upper: infinite, objective: objective)
        return TabularContextCalibration(scale: exp(result.point[0]), biases: Array(result.point.dropFirst()))
    }

    /// `softmax(a · log p + b)` of one row's probabilities `p`.
    public func applied(to probabilities: [Float]) -> [Float] {
        precondition(probabilities.count == biases.count, "one probability per class")
        let z = probabilities.indices.map { scale * log(Swift.max(Double(probabilities[$0]), Self.floor)) + biases[$0] }
        let largest = z.max() ?? 0
        let exponentials = z.map { exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { Float($0 / total) }
    }

    /// Stratified folds of rows with class indices `labels`: each class's rows are shuffled by
    /// `generator` and dealt in turn to the `count` folds, continuing from where the previous
    /// class stopped, so fold sizes differ by at most one and every class is spread evenly.
    /// Returns each fold's row indices, ascending.
    public static func stratifiedFolds(labels: [Int], count: Int, using generator: inout RandomGenerator) -> [[Int]] {
        precondition(count >= 1, "at least one fold")
        var folds = [[Int]](repeating: [], count: count)
        var next = 0
        for c in Set(labels).sorted() {
            var rows = labels.indices.filter { labels[$0] == c }
            generator.shuffle(&rows)
            for row in rows {
                folds[next].append(row)
                next = (next + 1) % count
            }
        }
        return folds.map { $0.sorted() }
    }
}
