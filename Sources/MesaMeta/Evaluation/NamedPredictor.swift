import MesaCore

/// A predictor shown under another name in tables, CSV files and legends, e.g. a trained learner
/// with its training step (`"transformer (step 6000)"`); it predicts exactly as `base`.
public struct NamedPredictor: InContextPredictor {
    /// The name shown.
    public let name: String
    /// The predictor that makes the predictions.
    public let base: any InContextPredictor

    /// Wraps `base` under `name`.
    public init(name: String, base: any InContextPredictor) {
        self.name = name
        self.base = base
    }

    /// The predictions of ``base``.
    public func predictions(for batch: TaskBatch) -> Tensor { base.predictions(for: batch) }
}
