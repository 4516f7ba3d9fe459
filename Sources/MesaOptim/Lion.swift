import MesaNN

/// Lion, "evolved sign momentum" (Chen et al. 2023, "Symbolic Discovery of Optimization
/// Algorithms"), with decoupled weight decay.
///
/// For a parameter `p` with gradient `g`, learning rate `η`, rates `β₁, β₂` and weight decay `λ`:
///
/// ```
/// u ← sign(β₁·m + (1 − β₁)·g)      interpolate, then keep only the sign
/// p ← p − η·(u + λ·p)
/// m ← β₂·m + (1 − β₂)·g            momentum, starts at 0
/// ```
///
/// Every element moves by exactly `η` (plus decay), so Lion wants a learning rate 3–10× smaller
/// than AdamW's and a weight decay 3–10× larger; it keeps one buffer per parameter, not two.
/// `sign(0) = 0`, and a NaN gradient propagates (it is not hidden as a zero update).
///
/// ```swift
/// let optimizer = Lion(parameters: model.parameters, learningRate: 3e-5, weightDecay: 1)
/// ```
public final class Lion: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    /// The interpolation weight `β₁` of the momentum in the update direction.
    public var beta1: Float
    /// The decay rate `β₂` of the momentum.
    public var beta2: Float
    /// The decoupled weight decay `λ`.
    public var weightDecay: Float
    public private(set) var stepCount = 0

    /// The momenta `m`, one buffer per parameter.
    private var momenta: [[Float]]
    /// How many steps updated each parameter.
    private var parameterStepCounts: [Int]

    /// Creates a Lion optimizer for `parameters` with the paper's default rates.
    ///
    /// - Parameters:
    ///   - learningRate: the step size `η`.
    ///   - beta1, beta2: the interpolation and momentum rates, in `[0, 1]`.
    ///   - weightDecay: the decoupled decay rate `λ ≥ 0`.
    public init(
        parameters: [Parameter], learningRate: Float = 1e-4, beta1: Float = 0.9, beta2: Float = 0.99, weightDecay: Float = 0
    ) {
        preconditionDistinct(parameters, "Lion")
        precondition(learningRate >= 0, "Lion: learning rate \(learningRate) must be non-negative")
        precondition((0...1).contains(beta1) && (0...1).contains(beta2), "Lion: betas (\(beta1), \(beta2)) must lie in [0, 1]")
        precondition(weightDecay >= 0, "Lion: weight decay \(weightDecay) must be non-negative")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.weightDecay = weightDecay
        momenta = parameters.map { [Float](repeating: 0, count: $0.value.scalarCount) }
        parameterStepCounts = Array(repeating: 0, count: parameters.count)
    }

    public func step() {
        stepCount += 1
        let (learningRate, beta1, beta2, weightDecay) = (learningRate, beta1, beta2, weightDecay)
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.gradient else { continue }
            parameterStepCounts[index] += 1
            gradient.withUnsafeBufferPointer { g in
                parameter.update { p in
                    momenta[index].withUnsafeMutableBufferPointer { m in
                        precondition(g.count == p.count && m.count == p.count,
                                     "Lion: parameter \(index) has \(p.count) elements, its gradient \(g.count), its momentum \(m.count)")
                        for i in p.indices {
                            let direction = beta1 * m[i] + (1 - beta1) * g[i]
                            // sign, keeping 0 as 0 and NaN as NaN (a select, so the loop vectorises).
                            let update: Float = direction > 0 ? 1 : direction < 0 ? -1 : direction
                            p[i] -= learningRate * (update + weightDecay * p[i])
                            m[i] = beta2 * m[i] + (1 - beta2) * g[i]
                        }
                    }
                }
            }
        }
    }

    private var hyperparameters: [String: Float] {
        ["beta1": beta1, "beta2": beta2, "weightDecay": weightDecay]
    }

    public var state: OptimizerState {
        OptimizerState(
            algorithm: "Lion", stepCount: stepCount, learningRate: learningRate, hyperparameters: hyperparameters,
            parameters: parameters, parameterStepCounts: parameterStepCounts, buffers: ["momentum": momenta])
    }

    public func load(_ state: OptimizerState) throws {
        try state.validate(algorithm: "Lion", fixedHyperparameters: [:], parameters: parameters, bufferNames: ["momentum"])
        let restored = (beta1: try state.hyperparameter("beta1", in: 0...1), beta2: try state.hyperparameter("beta2", in: 0...1),
                        weightDecay: try state.hyperparameter("weightDecay", in: 0...Float.infinity))
        (beta1, beta2, weightDecay) = restored
        stepCount = state.stepCount
        learningRate = state.learningRate
        parameterStepCounts = state.parameters.map(\.stepCount)
        momenta = state.buffers(named: "momentum")
    }
}
