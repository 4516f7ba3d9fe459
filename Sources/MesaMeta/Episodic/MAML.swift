import MesaCore
import MesaNN

/// Model-Agnostic Meta-Learning (Finn, Abbeel & Levine 2017), second order by default.
///
/// For each task `T` of a meta-batch, adapt `θ′ = θ − α ∇θ L_support(θ)` (repeated
/// ``innerSteps`` times), then score `L_query(θ′)`; the meta-objective is the mean over tasks
/// and its gradient flows through the inner updates: `∇θ L_query(θ′) = (I − α ∇²L_support) ∇θ′ L_query`
/// per step. With ``order`` `.first` the Hessian term is dropped (first-order MAML): the
/// meta-gradient is the query gradient at the adapted weights.
///
/// ```swift
/// let maml = MAML(model: network, loss: .meanSquaredError, innerLearningRate: 0.01, innerSteps: 5)
/// optimizer.clearGradients()
/// maml.metaLoss(on: episodes).backward()
/// optimizer.step()
/// ```
public struct MAML<Model: Layer>: @unchecked Sendable {
    /// The network whose parameters are the meta-parameters `θ`.
    public let model: Model
    /// The loss adapted on and scored by.
    public var loss: MetaLoss
    /// The inner step size `α`.
    public var innerLearningRate: Float
    /// The number of inner gradient steps.
    public var innerSteps: Int
    /// Second order (exact) or first order.
    public var order: DerivativeOrder

    /// Creates the meta-learner.
    public init(model: Model, loss: MetaLoss, innerLearningRate: Float, innerSteps: Int = 1, order: DerivativeOrder = .second) {
        precondition(innerSteps >= 0, "MAML: innerSteps must be ≥ 0, got \(innerSteps)")
        self.model = model
        self.loss = loss
        self.innerLearningRate = innerLearningRate
        self.innerSteps = innerSteps
        self.order = order
    }

    /// The parameters the outer optimizer updates.
    public var metaParameters: [Parameter] { model.parameters }

    /// A learner adapted on `support` for `steps` inner steps (default ``innerSteps``).
    public func adapt(on support: ExampleSet, steps: Int? = nil) -> Learner<Model> {
        var learner = Learner(model)
        learner.adapt(on: support, loss: loss, learningRate: innerLearningRate, steps: steps ?? innerSteps, order: order)
        return learner
    }

    /// The mean over `episodes` of the query loss after adapting on each support set, one task
    /// at a time. Call `backward()` on it for the meta-gradient.
    public func metaLoss(on episodes: [Episode]) -> Tensor {
        precondition(!episodes.isEmpty, "MAML.metaLoss: needs at least one episode")
        var total: Tensor?
        for episode in episodes {
            let learner = adapt(on: episode.support)
            let taskLoss = loss(learner(episode.query.inputs), episode.query.targets)
            total = total.map { $0 + taskLoss } ?? taskLoss
        }
        return total! / Float(episodes.count)
    }
}

extension MAML where Model: TaskBatchedLayer {
    /// Per-task fast weights `[tasks] + shape` after adapting every task of `batch` at once.
    public func adaptedTaskWeights(on batch: EpisodeBatch, steps: Int? = nil) -> [Tensor] {
        let model = self.model, loss = self.loss, support = batch.support
        var weights = model.taskWeights(count: batch.taskCount)
        for _ in 0..<(steps ?? innerSteps) {
            weights = Learner<Model>.step(weights, indices: Array(weights.indices), order: order,
                                          learningRate: innerLearningRate, learningRates: nil) { current in
                loss.summedOverTasks(model(support.inputs, taskWeights: current), support.targets)
            }
        }
        return weights
    }

    /// The same meta-objective as ``metaLoss(on:)``, with all tasks adapted together
    /// (batched matmuls over per-task fast weights).
    public func metaLoss(on batch: EpisodeBatch) -> Tensor {
        let weights = adaptedTaskWeights(on: batch)
        return loss(model(batch.query.inputs, taskWeights: weights), batch.query.targets)
    }
}
