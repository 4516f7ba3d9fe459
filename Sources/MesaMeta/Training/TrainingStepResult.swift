/// What one training step reports: its loss and any other numbers worth a metrics line (the
/// learning rate is added by the loop).
public struct TrainingStepResult: Sendable {
    /// The training loss of the step's batch.
    public var loss: Float
    /// Further metrics of the step, e.g. the curriculum's `points` and `dimensions`.
    public var metrics: [String: Double]

    /// Creates a result.
    public init(loss: Float, metrics: [String: Double] = [:]) {
        self.loss = loss
        self.metrics = metrics
    }
}
