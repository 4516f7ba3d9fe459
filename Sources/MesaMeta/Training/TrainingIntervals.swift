/// How often the shared training loop writes a metrics line, evaluates and checkpoints, in steps.
/// A metrics line is also written at the last step of a session, an evaluation at the run's last
/// step, and a checkpoint at the end of every session (its last step or its time limit).
public struct TrainingIntervals: Equatable, Sendable {
    /// Steps between metric lines.
    public var log: Int
    /// Steps between evaluations.
    public var evaluation: Int
    /// Steps between checkpoints.
    public var checkpoint: Int

    /// Creates intervals (each at least 1).
    public init(log: Int, evaluation: Int, checkpoint: Int) {
        precondition(log > 0 && evaluation > 0 && checkpoint > 0, "TrainingIntervals: intervals must be positive")
        self.log = log
        self.evaluation = evaluation
        self.checkpoint = checkpoint
    }
}
