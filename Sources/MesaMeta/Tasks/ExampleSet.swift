import MesaCore

/// Labelled examples of one task: a support set to adapt on or a query set to evaluate on.
///
/// Shapes: `inputs` `[n, features…]`; `targets` `[n, outputs]` for regression, or `[n]` class
/// indices stored as floats for classification (what ``MetaLoss/crossEntropy`` reads).
/// Stacked over tasks (``EpisodeBatch``) both gain a leading task axis.
public struct ExampleSet: Sendable {
    /// The inputs `[n, features…]`.
    public var inputs: Tensor
    /// The targets: values `[n, outputs]` or class indices `[n]`.
    public var targets: Tensor

    /// Creates a set; the leading (example) dimensions must agree.
    public init(inputs: Tensor, targets: Tensor) {
        precondition(inputs.rank >= 1 && targets.rank >= 1 && inputs.shape[0] == targets.shape[0],
                     "ExampleSet: inputs \(inputs.shape) and targets \(targets.shape) disagree on the number of examples")
        self.inputs = inputs
        self.targets = targets
    }

    /// The number of examples.
    public var count: Int { inputs.shape[0] }

    /// The class indices of a classification set (targets rounded to integers).
    public var labels: [Int] { targets.scalars.map { Int($0.rounded()) } }
}
