import MesaCore

/// A batch of in-context prompts: for each of `batch` tasks, `points` input–target pairs.
///
/// Shapes: ``inputs`` `[batch, points, inputDimension]`, ``targets`` `[batch, points]` (class
/// indices as `Float`s for classification). A learner that reads pairs `0..<i` and the input
/// `i` predicts target `i`; one forward pass of a causal learner scores every prefix length.
public struct TaskBatch: Sendable {
    /// The inputs `x`, `[batch, points, inputDimension]`.
    public var inputs: Tensor
    /// The targets `y`, `[batch, points]`.
    public var targets: Tensor
    /// Regression or classification.
    public var kind: TaskKind
    /// How many leading input coordinates are non-zero (the curriculum's current dimension);
    /// equal to `inputDimension` outside a curriculum.
    public var activeDimensions: Int

    /// Creates a batch; the shapes must agree.
    public init(inputs: Tensor, targets: Tensor, kind: TaskKind, activeDimensions: Int? = nil) {
        precondition(inputs.rank == 3 && targets.rank == 2 && Array(inputs.shape.prefix(2)) == targets.shape,
                     "TaskBatch: inputs \(inputs.shape) must be [batch, points, dimension] and targets \(targets.shape) [batch, points]")
        self.inputs = inputs
        self.targets = targets
        self.kind = kind
        self.activeDimensions = activeDimensions ?? inputs.shape[2]
    }

    /// The number of tasks.
    public var batchSize: Int { inputs.shape[0] }
    /// The number of input–target pairs per task.
    public var pointCount: Int { inputs.shape[1] }
    /// The width of each input.
    public var inputDimension: Int { inputs.shape[2] }

    /// The first `count` points of every prompt.
    public func prefix(_ count: Int) -> TaskBatch {
        TaskBatch(inputs: inputs.slice(alongAxis: 1, from: 0, to: count), targets: targets.slice(alongAxis: 1, from: 0, to: count),
                  kind: kind, activeDimensions: activeDimensions)
    }
}
