import Foundation

/// What the shared training loop reports to its observer (``TrainingRun/run(stoppingAt:deadline:observer:)``).
/// Metric names are those of the run's `metrics.jsonl`.
public enum TrainingEvent: Sendable {
    /// A step finished with this loss (every ``TrainingIntervals/log`` steps and at a session's
    /// last step); `metrics` holds the whole logged line (e.g. `learningRate`, `points`).
    case step(step: Int, loss: Float, metrics: [String: Double])
    /// A held-out evaluation (every ``TrainingIntervals/evaluation`` steps and at the last step),
    /// e.g. `["evaluationLoss": 0.31]`.
    case evaluation(step: Int, metrics: [String: Double])
    /// A checkpoint was written.
    case checkpoint(step: Int, url: URL)
}
