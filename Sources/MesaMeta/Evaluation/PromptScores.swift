import MesaCore

/// One predictor's score on every prompt at every number of in-context examples: the raw
/// material of an ``ErrorCurve``, kept so that two predictors evaluated on the same prompts can
/// be compared prompt by prompt.
///
/// The score is the squared error divided by the number of active input dimensions for
/// regression and 1 or 0 (correct or not) for classification, as in ``ErrorCurve``.
public struct PromptScores: Sendable, Equatable {
    /// The predictor's name.
    public var predictor: String
    /// `"normalised squared error"` or `"accuracy"`.
    public var metric: String
    /// Number of prompts (rows of ``values``).
    public var promptCount: Int
    /// Points per prompt (columns of ``values``; column `i` scores the prediction after `i` examples).
    public var pointCount: Int
    /// Scores, row-major `[promptCount, pointCount]`.
    public var values: [Double]

    /// Creates a table of scores from its fields.
    public init(predictor: String, metric: String, promptCount: Int, pointCount: Int, values: [Double]) {
        precondition(values.count == promptCount * pointCount, "values must hold promptCount × pointCount scores")
        self.predictor = predictor
        self.metric = metric
        self.promptCount = promptCount
        self.pointCount = pointCount
        self.values = values
    }

    /// Scores `predictions` (`[batch, points]` values or `[batch, points, classes]`
    /// probabilities) against the targets of `batch`.
    public init(predictor: String, predictions: Tensor, for batch: TaskBatch) {
        let (b, n) = (batch.batchSize, batch.pointCount)
        let targets = batch.targets.scalars, outputs = predictions.scalars
        var values = [Double](repeating: 0, count: b * n)
        switch batch.kind {
        case .regression:
            let scale = 1 / Double(max(batch.activeDimensions, 1))
            for index in 0..<(b * n) {
                let difference = Double(outputs[index] - targets[index])
                values[index] = difference * difference * scale
            }
        case .classification(let classes):
            for index in 0..<(b * n) {
                let row = outputs[(index * classes)..<((index + 1) * classes)]
                let predicted = row.indices.max { row[$0] < row[$1] }! - index * classes
                values[index] = predicted == Int(targets[index]) ? 1 : 0
            }
        }
        self.predictor = predictor
        self.metric = ErrorCurve.metricName(for: batch.kind)
        self.promptCount = b
        self.pointCount = n
        self.values = values
    }

    /// Scores `predictor` on every prompt of `batches` (chunks of one evaluation set, all with
    /// the same number of points), in order.
    public static func measure(_ predictor: any InContextPredictor, on batches: [TaskBatch]) -> PromptScores {
        var scores = PromptScores(predictor: predictor.name, metric: batches.first.map { ErrorCurve.metricName(for: $0.kind) } ?? "",
                                  promptCount: 0, pointCount: batches.first?.pointCount ?? 0, values: [])
        for batch in batches {
            precondition(batch.pointCount == scores.pointCount, "every chunk must have the same number of points")
            let predictions = withoutGradients { predictor.predictions(for: batch) }
            let chunk = PromptScores(predictor: predictor.name, predictions: predictions, for: batch)
            scores.values += chunk.values
            scores.promptCount += chunk.promptCount
        }
        return scores
    }

    /// The mean over prompts at each number of examples, with its standard error (sample
    /// standard deviation ÷ √prompts).
    public func curve() -> ErrorCurve {
        ErrorCurve(predictor: predictor, metric: metric, points: Self.summarise(values, promptCount: promptCount, pointCount: pointCount))
    }

    /// The paired comparison with `baseline` scored on the same prompts: at each number of
    /// examples, the mean over prompts of (this score − the baseline's score) and the standard
    /// error of that mean.
    ///
    /// Both predictors see the same prompts, so the paired standard error, √(Var[a − b] / n),
    /// accounts for their correlation: when both err most on the same hard prompts it is smaller
    /// than the two curves' standard errors combined. It is the right yardstick for "is the
    /// model below the baseline here?".
    ///
    /// - Throws: ``InContextError/incompatibleBatch(_:)`` when the two were not scored on
    ///   the same number of prompts and points, or with different metrics.
    public func difference(from baseline: PromptScores) throws -> ErrorCurve {
        guard promptCount == baseline.promptCount, pointCount == baseline.pointCount, metric == baseline.metric else {
            throw InContextError.incompatibleBatch(
                "a paired comparison needs the same prompts: \(predictor) has \(promptCount)×\(pointCount) \(metric) scores, "
                + "\(baseline.predictor) \(baseline.promptCount)×\(baseline.pointCount) \(baseline.metric)")
        }
        let differences = zip(values, baseline.values).map { $0 - $1 }
        return ErrorCurve(predictor: "\(predictor) − \(baseline.predictor)", metric: "difference in \(metric)",
                          points: Self.summarise(differences, promptCount: promptCount, pointCount: pointCount))
    }

    /// Per-column mean and standard error of a row-major `[promptCount, pointCount]` table.
    static func summarise(_ values: [Double], promptCount: Int, pointCount: Int) -> [ErrorCurve.Point] {
        (0..<pointCount).map { point in
            let n = Double(promptCount)
            var mean = 0.0
            for prompt in 0..<promptCount { mean += values[prompt * pointCount + point] }
            mean /= n   // NaN for no prompts, as an empty mean should be
            var squares = 0.0
            for prompt in 0..<promptCount {
                let deviation = values[prompt * pointCount + point] - mean
                squares += deviation * deviation
            }
            let variance = promptCount > 1 ? squares / (n - 1) : 0
            return ErrorCurve.Point(examples: point, mean: mean, standardError: (variance / n).squareRoot())
        }
    }
}
