import MesaCore

/// Anything that, given the first `i` input–target pairs of a prompt and input `i`, predicts
/// target `i`: meta-trained learners and classic baselines alike, so their error curves line up.
///
/// ``predictions(for:)`` returns a prediction for every prefix length at once:
/// `[batch, points]` values for regression, `[batch, points, classCount]` probabilities for
/// classification. The prediction at index `i` may use `inputs[…, 0...i, …]` and
/// `targets[…, 0..<i]` only; with no pairs yet (`i = 0`), a predictor returns its prior guess
/// (0 for regression, uniform probabilities for classification, unless it knows better).
public protocol InContextPredictor {
    /// A short name for tables and plot legends.
    var name: String { get }
    /// Predictions for every prefix length of every prompt in `batch`.
    func predictions(for batch: TaskBatch) -> Tensor
}
