import MesaNN

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
/// with the semantics of PyTorch's `torch.optim.SGD`.
///
/// For a parameter `p` with gradient `g`, learning rate `η`, momentum `μ`, dampening `τ` and
/// weight decay `λ`, one step is
///
/// ```
/// d ← g + λ·p
/// b ← d                         at the parameter's first step
/// b ← μ·b + (1 − τ)·d           at later steps
/// d ← d + μ·b   (Nesterov)   or   d ← b   (classical momentum)
/// p ← p − η·d
/// ```
///
/// Without momentum (`μ = 0`, the default) there is no buffer and the step is `p ← p − η·(g + λ·p)`.
/// Momentum is Polyak's heavy ball (1964); the Nesterov form is the reformulation of Sutskever
/// et al. 2013, "On the importance of initialization and momentum in deep learning". As in
/// PyTorch, `η` multiplies the buffer rather than entering it, so changing the learning rate
/// takes effect at once.
///
/// ```swift
/// let optimizer = SGD(parameters: model.parameters, learningRate: 0.1, momentum: 0.9, nesterov: true)
/// ```
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    /// The momentum factor `μ` (0 for plain SGD). Fixed at creation: it decides whether there is a buffer.
    public let momentum: Float
    /// The dampening `τ` of the gradient entering the momentum buffer (PyTorch's, default 0).
    public let dampening: Float
    /// Whether the step uses Nesterov momentum `d + μ·b` instead of the buffer `b`.
    public let usesNesterovMomentum: Bool
    /// The L2 weight decay `λ`, added to the gradient as `λ·p`.
    public var weightDecay: Float
    public private(set) var stepCount = 0

    /// The momentum buffers `b`, one per parameter (empty arrays without momentum).
    private var momentumBuffers: [[Float]]
    /// How many steps updated each parameter (its buffer starts as `d` at the first).
    private var parameterStepCounts: [Int]

    /// Creates an optimizer for `parameters`.
    ///
    /// - Parameters:
    ///   - learningRate: the step size `η`.
    ///   - momentum: `μ ≥ 0`; 0 disables momentum.
    ///   - dampening: `τ`; must be 0 with Nesterov momentum.
    ///   - nesterov: use Nesterov momentum (needs `μ > 0`).
    ///   - weightDecay: the L2 penalty `λ ≥ 0`.
    public init(
        parameters: [Parameter], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
        nesterov: Bool = false, weightDecay: Float = 0
    ) {
        preconditionDistinct(parameters, "SGD")
        precondition(learningRate >= 0, "SGD: learning rate \(learningRate) must be non-negative")
        precondition(momentum >= 0, "SGD: momentum \(momentum) must be non-negative")
        precondition(weightDecay >= 0, "SGD: weight decay \(weightDecay) must be non-negative")
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "SGD: Nesterov momentum needs momentum > 0 and dampening 0 (got \(momentum), \(dampening))")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.usesNesterovMomentum = nesterov
        self.weightDecay = weightDecay
        momentumBuffers = parameters.map { momentum == 0 ? [] : [Float](repeating: 0, count: $0.value.scalarCount) }
        parameterStepCounts = Array(repeating: 0, count: parameters.count)
    }

    public func step() {
        stepCount += 1
        let (learningRate, momentum, weightDecay, nesterov) = (learningRate, momentum, weightDecay, usesNesterovMomentum)
        let undamped = 1 - dampening
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.gradient else { continue }
            let isFirstStep = parameterStepCounts[index] == 0
            parameterStepCounts[index] += 1
            gradient.withUnsafeBufferPointer { g in
                parameter.update { p in
                    precondition(g.count == p.count, "SGD: parameter \(index) has \(p.count) elements but its gradient \(g.count)")
                    guard momentum != 0 else {
                        for i in p.indices { p[i] -= learningRate * (g[i] + weightDecay * p[i]) }
                        return
                    }
                    momentumBuffers[index].withUnsafeMutableBufferPointer { b in
                        precondition(b.count == p.count, "SGD: parameter \(index) changed size from \(b.count) to \(p.count)")
                        for i in p.indices {
                            let d = g[i] + weightDecay * p[i]
                            // Loaded unconditionally so that the choice is a select and the loop vectorises.
                            let previous = b[i]
                            let buffer = isFirstStep ? d : momentum * previous + undamped * d
                            b[i] = buffer
                            p[i] -= learningRate * (nesterov ? d + momentum * buffer : buffer)
                        }
                    }
                }
            }
        }
    }

    private var hyperparameters: [String: Float] {
        ["momentum": momentum, "dampening": dampening, "nesterov": usesNesterovMomentum ? 1 : 0, "weightDecay": weightDecay]
    }

    public var state: OptimizerState {
        OptimizerState(
            algorithm: "SGD", stepCount: stepCount, learningRate: learningRate, hyperparameters: hyperparameters,
            parameters: parameters, parameterStepCounts: parameterStepCounts,
            buffers: momentum == 0 ? [:] : ["momentum": momentumBuffers])
    }

    public func load(_ state: OptimizerState) throws {
        let fixed: [String: Float] = ["momentum": momentum, "dampening": dampening, "nesterov": usesNesterovMomentum ? 1 : 0]
        try state.validate(algorithm: "SGD", fixedHyperparameters: fixed, parameters: parameters,
                           bufferNames: momentum == 0 ? [] : ["momentum"])
        weightDecay = try state.hyperparameter("weightDecay", in: 0...Float.infinity)
        stepCount = state.stepCount
        learningRate = state.learningRate
        parameterStepCounts = state.parameters.map(\.stepCount)
        momentumBuffers = momentum == 0 ? parameters.map { _ in [] } : state.buffers(named: "momentum")
    }
}
