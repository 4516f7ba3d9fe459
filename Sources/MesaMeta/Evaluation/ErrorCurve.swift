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
        PromptScores(predictor: "", predictions: predictions, for: batch).curve().points.map { ($0.mean, $0.standardError) }
    }

    /// Evaluates each predictor on the same prompts (`batches`, e.g. chunks of a large
    /// evaluation set) and returns one curve per predictor, in order, over all chunks' prompts.
    public static func measure(_ predictors: [any InContextPredictor], on batches: [TaskBatch]) -> [ErrorCurve] {
        guard !batches.isEmpty else { return [] }
        return predictors.map { PromptScores.measure($0, on: batches).curve() }
    }
}
