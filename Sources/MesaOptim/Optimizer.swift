import MesaNN

/// An algorithm that updates a fixed list of ``Parameter``s from their accumulated gradients.
///
/// An optimizer is created with the parameters it trains (e.g. `model.parameters`) and keeps
/// per-parameter state (momenta, step counts) in that order. One training step reads:
///
/// ```swift
/// let optimizer = AdamW(parameters: model.parameters, learningRate: 3e-4)
/// for step in 0..<steps {
///     optimizer.learningRate = schedule.learningRate(atStep: step)
///     let loss = Tensor.meanSquaredError(model(x), y)
///     loss.backward()
///     optimizer.step()
///     optimizer.clearGradients()
/// }
/// ```
///
/// Parameters whose ``Parameter/gradient`` is `nil` are skipped by ``step()``: neither their
/// values nor their state change (PyTorch's semantics).
///
/// The ``state`` is everything the optimizer has learned, exported as plain Codable data:
/// saving it with the model and ``load(_:)``-ing it into a freshly created optimizer over the
/// same parameters makes an interrupted and resumed run equal an uninterrupted one bit for bit.
public protocol Optimizer: AnyObject {
    /// The parameters this optimizer updates, in the order its state is kept.
    var parameters: [Parameter] { get }

    /// The step size `η` used by the next ``step()``; schedules set it before each step.
    var learningRate: Float { get set }

    /// The number of ``step()`` calls so far (restored by ``load(_:)``).
    var stepCount: Int { get }

    /// Updates every parameter that has a gradient, in place, by one step of the algorithm.
    func step()

    /// Clears the accumulated gradient of every parameter, ready for the next `backward()`.
    func clearGradients()

    /// A snapshot of the optimizer's state: step counts, per-parameter buffers, the learning
    /// rate and the other hyperparameters.
    var state: OptimizerState { get }

    /// Restores a snapshot taken by ``state`` of an optimizer of the same kind over parameters
    /// of the same shapes in the same order.
    ///
    /// As in PyTorch, the learning rate and the adjustable hyperparameters (weight decay, betas,
    /// `ε`) take the snapshot's values: set them after loading to change them deliberately. Those
    /// fixed at creation (SGD's momentum, dampening and Nesterov option) must match. Throws
    /// ``OptimizerStateMismatch``, changing nothing, when the snapshot does not fit.
    func load(_ state: OptimizerState) throws
}

extension Optimizer {
    public func clearGradients() {
        for parameter in parameters { parameter.clearGradient() }
    }
}

/// Stops when the same parameter is listed twice: it would be updated twice per step.
func preconditionDistinct(_ parameters: [Parameter], _ optimizer: String) {
    let distinct = Set(parameters.map(ObjectIdentifier.init))
    precondition(distinct.count == parameters.count, "\(optimizer): a parameter is listed more than once")
}
