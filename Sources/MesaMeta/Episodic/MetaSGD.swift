import MesaCore
import MesaNN

/// Meta-SGD (Li, Zhou, Chen & Li 2017, "Meta-SGD: Learning to Learn Quickly for Few-Shot
/// Learning"): MAML whose inner step size is a learned tensor per parameter.
///
/// `θ′ = θ − α ⊙ ∇θ L_support(θ)` with `α` of `θ`'s shape, initialised to a constant and
/// meta-trained together with `θ` (both are in ``metaParameters``).
public struct MetaSGD<Model: Layer>: @unchecked Sendable {
    /// The network whose parameters are `θ`.
    public let model: Model
    /// The learned step sizes `α`, one tensor per parameter of the model, in its order.
    public let learningRates: [Parameter]
    /// The loss adapted on and scored by.
    public var loss: MetaLoss
    /// The number of inner steps (Li et al. use one).
    public var innerSteps: Int
    /// Second order (exact) or first order.
    public var order: DerivativeOrder

    /// Creates the meta-learner with every step size set to `initialLearningRate`.
    public init(model: Model, loss: MetaLoss, initialLearningRate: Float, innerSteps: Int = 1, order: DerivativeOrder = .second) {
        self.model = model
        self.learningRates = model.parameters.map { Parameter(Tensor(repeating: initialLearningRate, shape: $0.shape)) }
        self.loss = loss
        self.innerSteps = innerSteps
        self.order = order
    }

    /// Creates the meta-learner with existing step-size parameters (one per model parameter,
    /// same shapes), e.g. restored from a checkpoint.
    public init(model: Model, learningRates: [Parameter], loss: MetaLoss, innerSteps: Int = 1, order: DerivativeOrder = .second) {
        precondition(learningRates.map(\.shape) == model.parameters.map(\.shape),
                     "MetaSGD: step-size shapes \(learningRates.map(\.shape)) differ from the parameters' \(model.parameters.map(\.shape))")
        self.model = model
        self.learningRates = learningRates
        self.loss = loss
        self.innerSteps = innerSteps
        self.order = order
    }

    /// `θ` followed by `α`.
    public var metaParameters: [Parameter] { model.parameters + learningRates }

    /// A learner adapted on `support` with the learned step sizes.
    public func adapt(on support: ExampleSet, steps: Int? = nil) -> Learner<Model> {
        var learner = Learner(model)
        learner.adapt(on: support, loss: loss, learningRate: 0, steps: steps ?? innerSteps, order: order,
                      learningRates: learningRates.map(\.value))
        return learner
    }

    /// The mean query loss after adaptation over `episodes`; its gradient reaches `θ` and `α`.
    public func metaLoss(on episodes: [Episode]) -> Tensor {
        precondition(!episodes.isEmpty, "MetaSGD.metaLoss: needs at least one episode")
        let losses = episodes.map { episode in loss(adapt(on: episode.support)(episode.query.inputs), episode.query.targets) }
        return losses.dropFirst().reduce(losses[0], +) / Float(episodes.count)
    }
}
