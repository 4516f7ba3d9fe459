import MesaCore
import MesaNN

/// A model together with its own weights: the object gradient-based meta-learners adapt.
///
/// `Learner(model)` starts from the model's parameters themselves (the meta-parameters), so a
/// loss computed with an adapted learner differentiates back through every inner update to
/// them. A learner is a value: ``clone()`` (or plain assignment) gives an independent copy
/// whose adaptation leaves the original untouched, as `learn2learn`'s `clone()` does.
///
/// ```swift
/// var learner = Learner(network)
/// learner.adapt(on: episode.support, loss: .meanSquaredError, learningRate: 0.01, order: .second)
/// let queryLoss = MetaLoss.meanSquaredError(learner(episode.query.inputs), episode.query.targets)
/// queryLoss.backward()   // the meta-gradient, into network's parameters
/// ```
///
/// One inner step is `θᵢ ← θᵢ − αᵢ ∇θᵢ L_support(θ)` (Finn et al. 2017, eq. 1), with `αᵢ` a
/// scalar or, for Meta-SGD, a learned tensor of the parameter's shape (Li et al. 2017).
public struct Learner<Model: Layer>: @unchecked Sendable {
    /// The network whose forward pass the learner runs (with ``weights`` substituted).
    public let model: Model
    /// The current (fast) weights, in ``Module/namedParameters`` order.
    public var weights: [Tensor]
    /// The model's parameters, found once (the traversal reflects over the module tree).
    let parameters: [Parameter]

    /// A learner at the model's current parameters (the leaves, so meta-gradients reach them).
    public init(_ model: Model) {
        self.model = model
        self.parameters = model.parameters
        self.weights = parameters.map(\.value)
    }

    /// A learner with given weights (shapes as the model's parameters).
    public init(_ model: Model, weights: [Tensor]) {
        precondition(weights.count == model.parameters.count,
                     "Learner: \(weights.count) weights for a model with \(model.parameters.count) parameters")
        self.model = model
        self.parameters = model.parameters
        self.weights = weights
    }

    /// An independent copy; its graph still leads back to the same meta-parameters.
    public func clone() -> Learner { self }

    /// The model's output with the learner's weights.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        Self.substituting(weights, into: parameters) { model(input) }
    }

    /// Runs `body` with `parameters` holding `values`, then restores them (the functional call
    /// of ``Module/callAsFunction(substituting:_:)`` without re-traversing the module).
    static func substituting<Result>(_ values: [Tensor], into parameters: [Parameter], _ body: () -> Result) -> Result {
        let saved = parameters.map(\.value)
        for (parameter, value) in zip(parameters, values) { parameter.value = value }
        defer { for (parameter, value) in zip(parameters, saved) { parameter.value = value } }
        return body()
    }

    /// Takes `steps` gradient steps on `examples`' loss.
    ///
    /// - Parameters:
    ///   - learningRate: `α`, used for every parameter without an entry in `learningRates`.
    ///   - learningRates: per-parameter step sizes (Meta-SGD), broadcast against each weight.
    ///   - order: `.second` records the updates so the meta-gradient includes second
    ///     derivatives; `.first` keeps none of the inner graph (first-order MAML).
    ///   - adapting: indices (in ``weights``) of the weights to update; `nil` updates all (ANIL
    ///     passes the head's).
    public mutating func adapt(
        on examples: ExampleSet, loss: MetaLoss, learningRate: Float, steps: Int = 1, order: DerivativeOrder = .second,
        learningRates: [Tensor]? = nil, adapting: [Int]? = nil
    ) {
        let model = self.model, parameters = self.parameters
        for _ in 0..<steps {
            weights = Self.step(weights, indices: adapting ?? Array(weights.indices), order: order,
                                learningRate: learningRate, learningRates: learningRates) { current in
                loss(Self.substituting(current, into: parameters) { model(examples.inputs) }, examples.targets)
            }
        }
    }

    /// One inner update `wᵢ − αᵢ ∂L(w)/∂wᵢ` of the weights at `indices` (the others unchanged).
    ///
    /// Second order differentiates `lossOf` at `weights` with the backward pass recorded.
    /// First order evaluates it at detached copies, so no inner graph is kept: the update
    /// stays connected to the meta-parameters only through `wᵢ` itself, and the meta-gradient
    /// is the gradient at the adapted weights.
    public static func step(
        _ weights: [Tensor], indices: [Int], order: DerivativeOrder, learningRate: Float, learningRates: [Tensor]?,
        lossOf: ([Tensor]) -> Tensor
    ) -> [Tensor] {
        let differentiated: [Tensor]
        let grads: [Tensor]
        switch order {
        case .second:
            // A weight outside the graph (e.g. evaluated under a detached copy) still adapts.
            differentiated = weights.map { $0.requiresGradient ? $0 : $0.requiringGradient() }
            grads = gradients(of: lossOf(differentiated), withRespectTo: indices.map { differentiated[$0] },
                              createGraph: true, retainGraph: true)
        case .first:
            var leaves = weights.map { $0.detached() }
            for index in indices { leaves[index] = leaves[index].requiringGradient() }
            differentiated = leaves
            grads = gradients(of: lossOf(differentiated), withRespectTo: indices.map { differentiated[$0] })
        }
        var updated = weights
        for (position, index) in indices.enumerated() {
            let base = order == .second ? differentiated[index] : weights[index]
            if let rates = learningRates {
                updated[index] = base - rates[index] * grads[position]
            } else {
                updated[index] = base - grads[position] * learningRate
            }
        }
        return updated
    }
}
