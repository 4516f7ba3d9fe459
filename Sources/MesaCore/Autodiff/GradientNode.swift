import Synchronization

/// A node of the reverse-mode autodiff graph: the tensor an operation produced, the nodes of
/// its inputs, and one pullback per input mapping the output's gradient to that input's.
///
/// Pullbacks are written with differentiable tensor operations, so running them while
/// gradients are recorded builds a graph of the backward pass itself (gradients of gradients).
/// Leaves (tensors created with ``Tensor/requiringGradient()``) have no inputs and collect
/// their gradient in ``gradient`` when ``Tensor/backward(createGraph:)`` runs.
@usableFromInline
final class GradientNode: @unchecked Sendable {
    /// The nodes of the operation's inputs (`nil` for inputs that need no gradient).
    var inputs: [GradientNode?]
    /// `pullbacks[i]` maps the output's gradient to the gradient of `inputs[i]`.
    var pullbacks: [(Tensor) -> Tensor]
    /// The shape of the tensor this node belongs to.
    let shape: [Int]
    /// The operation's name, for error messages.
    let operation: String
    /// Whether this node is a leaf (a tensor the user asked gradients for).
    let isLeaf: Bool
    /// Whether the graph behind this node was released by a backward pass.
    var isReleased = false
    /// The accumulated gradient of a leaf after ``Tensor/backward(createGraph:)``.
    var gradient: Tensor?
    /// The last sweep that visited this node (see ``nextSweepStamp()``).
    var sweepStamp: UInt64 = 0
    /// The last sweep for which this node leads to a target.
    var neededStamp: UInt64 = 0
    /// The last sweep for which this node is a target.
    var targetStamp: UInt64 = 0
    /// The gradient flowing into this node during a sweep, consumed when the sweep reaches it.
    var pendingGradient: Tensor?

    private static let sweepCounter = Atomic<UInt64>(0)

    /// A stamp no earlier sweep used (so marks left by earlier sweeps never match).
    static func nextSweepStamp() -> UInt64 {
        sweepCounter.add(1, ordering: .relaxed).newValue
    }

    init(operation: String, shape: [Int], inputs: [GradientNode?], pullbacks: [(Tensor) -> Tensor]) {
        self.operation = operation
        self.shape = shape
        self.inputs = inputs
        self.pullbacks = pullbacks
        self.isLeaf = false
    }

    init(leafOfShape shape: [Int]) {
        self.operation = "leaf"
        self.shape = shape
        self.inputs = []
        self.pullbacks = []
        self.isLeaf = true
    }

    /// Drops the references to inputs and pullbacks so the graph's memory is freed.
    func release() {
        guard !isLeaf else { return }
        inputs = []
        pullbacks = []
        isReleased = true
    }
}

/// Runs `body` without recording the autodiff graph (inference mode): results never require
/// gradients, and no memory is kept for a backward pass.
public func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientMode.$isRecording.withValue(false) { try body() }
}

/// Runs `body` recording the autodiff graph, even inside ``withoutGradients(_:)``.
public func withGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientMode.$isRecording.withValue(true) { try body() }
}

extension Tensor {
    /// Attaches an autodiff node to `result` when gradients are recorded and some input needs one.
    ///
    /// - Parameters:
    ///   - operation: the operation's name, for messages.
    ///   - inputs: the operation's tensor inputs.
    ///   - pullbacks: one closure per input, mapping the output gradient to that input's gradient;
    ///     built with differentiable operations. Called only for inputs that need a gradient.
    static func record(_ result: Tensor, _ operation: String, inputs: [Tensor], pullbacks: [(Tensor) -> Tensor]) -> Tensor {
        guard GradientMode.isRecording, inputs.contains(where: { $0.node != nil }) else { return result }
        var result = result
        result.node = GradientNode(operation: operation, shape: result.shape, inputs: inputs.map(\.node), pullbacks: pullbacks)
        return result
    }

    /// Single-input form of ``record(_:_:inputs:pullbacks:)``.
    static func record(_ result: Tensor, _ operation: String, input: Tensor, pullback: @escaping (Tensor) -> Tensor) -> Tensor {
        guard input.node != nil, GradientMode.isRecording else { return result }
        var result = result
        result.node = GradientNode(operation: operation, shape: result.shape, inputs: [input.node], pullbacks: [pullback])
        return result
    }
}
