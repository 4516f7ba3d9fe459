import MesaCore

/// A learning curve in context: a predictor's error against the number of examples it has seen.
///
/// For regression the metric is the squared error divided by the number of active input
/// dimensions `d` (Garg et al. 2022's normalised squared error: predicting 0 for a noise-free
/// linear task with `w ~ N(0, I)`, `x ~ N(0, I)` scores 1); for classification it is accuracy.
/// Each point carries the mean over prompts and its standard error.
public struct ErrorCurve: Sendable, Equatable {
    /// The mean metric and its standard error at one number of in-context examples.
    public struct Point: Sendable, Equatable {
        /// In-context examples before the query (0, 1, …).
        public var examples: Int
        /// Mean over prompts.
        public var mean: Double
        /// Standard error of that mean (sample standard deviation ÷ √prompts).
        public var standardError: Double
    }

    /// The predictor's name.
    public var predictor: String
    /// `"normalised squared error"` or `"accuracy"`.
    public var metric: String
    /// One point per number of examples, in order.
    public var points: [Point]

    /// The metric name for tasks of `kind`.
    public static func metricName(for kind: TaskKind) -> String {
        kind.isClassification ? "accuracy" : "normalised squared error"
    }

    /// Per-prefix mean and standard error of `predictions` (`[batch, points]` values or
    /// `[batch, points, classes]` probabilities) against the targets of `batch`.
    public static func pointwise(_ predictions: Tensor, for batch: TaskBatch) -> [(mean: Double, standardError: Double)] {
        let (b, n) = (batch.batchSize, batch.pointCount)
        let targets = batch.targets.scalars, values = predictions.scalars
        var scores = [Double](repeating: 0, count: b * n)
        switch batch.kind {
        case .regression:
            let scale = 1 / Double(max(batch.activeDimensions, 1))
            for index in 0..<(b * n) {
                let difference = Double(values[index] - targets[index])
                scores[index] = difference * difference * scale
            }
        case .classification(let classes):
            for index in 0..<(b * n) {
                let row = values[(index * classes)..<((index + 1) * classes)]
                let predicted = row.indices.max { row[$0] < row[$1] }! - index * classes
                scores[index] = predicted == Int(targets[index]) ? 1 : 0
            }
        }
        return (0..<n).map { point in
            let column = (0..<b).map { scores[$0 * n + point] }
            let mean = column.reduce(0, +) / Double(b)
            let variance = b > 1 ? column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(b - 1) : 0
            return (mean, (variance / Double(b)).squareRoot())
        }
    }

    /// Evaluates each predictor on the same prompts (`batches`, e.g. chunks of a large
    /// evaluation set) and returns one curve per predictor, in order, pooling the statistics of
    /// all chunks.
    public static func measure(_ predictors: [any InContextPredictor], on batches: [TaskBatch]) -> [ErrorCurve] {
        guard let first = batches.first else { return [] }
        let total = batches.reduce(0) { $0 + $1.batchSize }
        return predictors.map { predictor in
            // Combine chunk statistics: pool sums of scores and of squared deviations.
            var sums = [Double](repeating: 0, count: first.pointCount), squares = sums
            for batch in batches {
                let predictions = withoutGradients { predictor.predictions(for: batch) }
                for (point, statistic) in pointwise(predictions, for: batch).enumerated() {
                    let count = Double(batch.batchSize)
                    let variance = statistic.standardError * statistic.standardError * count   // sample variance
                    sums[point] += statistic.mean * count
                    squares[point] += variance * (count - 1) + statistic.mean * statistic.mean * count
                }
            }
            let n = Double(total)
            let points = (0..<first.pointCount).map { index -> Point in
                let mean = sums[index] / n
                let variance = n > 1 ? max(squares[index] - n * mean * mean, 0) / (n - 1) : 0
                return Point(examples: index, mean: mean, standardError: (variance / n).squareRoot())
            }
            return ErrorCurve(predictor: predictor.name, metric: metricName(for: first.kind), points: points)
        }
    }
}

/// An out-of-distribution probe (Garg et al. 2022, §4): the evaluation prompts drawn with
/// modified ``SamplingOptions``.
public struct EvaluationProbe: Sendable, Equatable {
    /// A short name for files and legends, e.g. `"inputs x2"`.
    public var name: String
    /// How the prompts are drawn.
    public var options: SamplingOptions

    /// Creates a probe.
    public init(name: String, options: SamplingOptions) {
        self.name = name
        self.options = options
    }

    /// The in-distribution evaluation.
    public static let inDistribution = EvaluationProbe(name: "in-distribution", options: .standard)

    /// Garg et al.'s probes for a distribution over `inputDimension`-dimensional inputs: inputs
    /// scaled ×2 and ×3, targets with added noise (σ = 1, a large shift for noise-free tasks),
    /// and, when `d > 1`, half the dimensions active.
    public static func outOfDistribution(inputDimension: Int, kind: TaskKind) -> [EvaluationProbe] {
        var probes = [EvaluationProbe(name: "inputs x2", options: SamplingOptions(inputScale: 2)),
                      EvaluationProbe(name: "inputs x3", options: SamplingOptions(inputScale: 3))]
        if !kind.isClassification { probes.append(EvaluationProbe(name: "added noise 1", options: SamplingOptions(addedNoise: 1))) }
        if inputDimension > 1 {
            probes.append(EvaluationProbe(name: "d \(inputDimension / 2) of \(inputDimension)",
                                          options: SamplingOptions(activeDimensions: inputDimension / 2)))
        }
        return probes
    }
}
