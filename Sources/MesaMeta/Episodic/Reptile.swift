import MesaCore
import MesaNN
import MesaOptim

/// Reptile (Nichol, Achiam & Schulman 2018, "On First-Order Meta-Learning Algorithms").
///
/// For each task, run ``innerSteps`` of plain SGD from `θ` on its examples to reach `φ_T`, then
/// move `θ` towards the adapted weights: `θ ← θ + ε (mean_T φ_T − θ)`. Written as a gradient,
/// `g = θ − mean_T φ_T`, which ``setMetaGradient(on:)`` stores in each parameter's gradient so
/// that any ``Optimizer`` applies it (SGD with learning rate `ε` is exactly Reptile's update;
/// Nichol et al. also use Adam). No second derivatives and no graph are kept.
public struct Reptile<Model: Layer>: @unchecked Sendable {
    /// The network whose parameters are `θ`.
    public let model: Model
    /// The loss of the inner SGD.
    public var loss: MetaLoss
    /// The inner SGD step size.
    public var innerLearningRate: Float
    /// The number of inner SGD steps per task.
    public var innerSteps: Int

    /// Creates the meta-learner.
    public init(model: Model, loss: MetaLoss, innerLearningRate: Float, innerSteps: Int) {
        self.model = model
        self.loss = loss
        self.innerLearningRate = innerLearningRate
        self.innerSteps = innerSteps
    }

    /// The parameters the outer optimizer updates.
    public var metaParameters: [Parameter] { model.parameters }

    /// A learner adapted by ``innerSteps`` of first-order SGD on `examples`.
    public func adapt(on examples: ExampleSet, steps: Int? = nil) -> Learner<Model> {
        var learner = Learner(model, weights: model.parameters.map { $0.value.detached() })
        learner.adapt(on: examples, loss: loss, learningRate: innerLearningRate, steps: steps ?? innerSteps, order: .first)
        learner.weights = learner.weights.map { $0.detached() }
        return learner
    }

    /// The Reptile direction `θ − mean_T φ_T` for the tasks' example sets, one tensor per parameter.
    public func metaGradient(on tasks: [ExampleSet]) -> [Tensor] {
        precondition(!tasks.isEmpty, "Reptile.metaGradient: needs at least one task")
        let theta = model.parameters.map { $0.value.detached() }
        var sum = theta.map { Tensor(repeating: 0, shape: $0.shape) }
        for task in tasks {
            let adapted = adapt(on: task).weights
            for index in sum.indices { sum[index] = sum[index] + adapted[index] }
        }
        return theta.indices.map { theta[$0] - sum[$0] / Float(tasks.count) }
    }

    /// Stores ``metaGradient(on:)`` as every parameter's gradient; then call `optimizer.step()`.
    public func setMetaGradient(on tasks: [ExampleSet]) {
        for (parameter, gradient) in zip(model.parameters, metaGradient(on: tasks)) {
            parameter.setGradient(gradient)
        }
    }
}
