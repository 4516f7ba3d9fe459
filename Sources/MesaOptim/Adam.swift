import Foundation
import MesaNN

/// Adam: adaptive moment estimation (Kingma & Ba 2015, "Adam: A Method for Stochastic
/// Optimization"), with PyTorch's `torch.optim.Adam` semantics, including its L2 weight decay.
///
/// For a parameter `p` with gradient `g` at its `t`-th step (`t` counts the steps that updated
/// this parameter, starting at 1), learning rate `η`, decay rates `β₁, β₂`, `ε` and weight decay `λ`:
///
/// ```
/// g ← g + λ·p                         (L2 weight decay, Adam only)
/// m ← β₁·m + (1 − β₁)·g               first-moment estimate, starts at 0
/// v ← β₂·v + (1 − β₂)·g²              second-moment estimate, starts at 0
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   bias correction
/// p ← p − η·m̂ / (√v̂ + ε)
/// ```
///
/// The bias correction undoes the pull towards the zero initial moments; at `t = 1` it makes
/// `m̂ = g` and `v̂ = g²`, so the first step moves each element by about `η·sign(g)`.
///
/// ``AdamW`` is the same algorithm with decoupled weight decay, and is this class with
/// ``decouplesWeightDecay`` set.
///
/// ```swift
/// let optimizer = Adam(parameters: model.parameters, learningRate: 1e-3)
/// ```
public class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    /// The decay rate `β₁` of the first-moment estimate.
    public var beta1: Float
    /// The decay rate `β₂` of the second-moment estimate.
    public var beta2: Float
    /// The `ε` added to `√v̂` in the denominator, for numerical stability.
    public var epsilon: Float
    /// The weight decay `λ`: an L2 term `λ·p` added to the gradient (Adam), or a decay
    /// `p ← p − η·λ·p` applied to the weights (AdamW).
    public var weightDecay: Float
    /// Whether weight decay is decoupled from the gradient (``AdamW``) instead of added to it.
    public let decouplesWeightDecay: Bool
    public private(set) var stepCount = 0

    /// The first-moment estimates `m`, one buffer per parameter.
    private var firstMoments: [[Float]]
    /// The second-moment estimates `v`, one buffer per parameter.
    private var secondMoments: [[Float]]
    /// The step count `t` of each parameter, for the bias correction.
    private var parameterStepCounts: [Int]

    /// Creates an Adam optimizer for `parameters` with PyTorch's defaults.
    ///
    /// - Parameters:
    ///   - learningRate: the step size `η`.
    ///   - beta1, beta2: the moments' decay rates, in `[0, 1)`.
    ///   - epsilon: the denominator's `ε`.
    ///   - weightDecay: the L2 penalty `λ ≥ 0`, added to the gradient.
    public convenience init(
        parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0
    ) {
        self.init(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                  weightDecay: weightDecay, decouplesWeightDecay: false)
    }

    init(
        parameters: [Parameter], learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float,
        decouplesWeightDecay: Bool
    ) {
        let name = decouplesWeightDecay ? "AdamW" : "Adam"
        preconditionDistinct(parameters, name)
        precondition(learningRate >= 0, "\(name): learning rate \(learningRate) must be non-negative")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "\(name): betas (\(beta1), \(beta2)) must lie in [0, 1)")
        precondition(epsilon >= 0, "\(name): epsilon \(epsilon) must be non-negative")
        precondition(weightDecay >= 0, "\(name): weight decay \(weightDecay) must be non-negative")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decouplesWeightDecay = decouplesWeightDecay
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.value.scalarCount) }
        secondMoments = firstMoments
        parameterStepCounts = Array(repeating: 0, count: parameters.count)
    }

    /// `"Adam"` or `"AdamW"`: the name in messages and in ``state``.
    private var algorithm: String { decouplesWeightDecay ? "AdamW" : "Adam" }

    public func step() {
        stepCount += 1
        let (learningRate, beta1, beta2, epsilon) = (learningRate, beta1, beta2, epsilon)
        // Exactly one of the two weight decays is active: `λ` in the gradient, or the factor `1 − ηλ`.
        let gradientDecay = decouplesWeightDecay ? 0 : weightDecay
        let weightFactor = decouplesWeightDecay ? 1 - learningRate * weightDecay : 1
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.gradient else { continue }
            parameterStepCounts[index] += 1
            // Bias corrections in Double: βᵗ underflows gracefully, and 1 − β₂ᵗ is tiny at t = 1.
            let t = Double(parameterStepCounts[index])
            let stepSize = learningRate / Float(1 - pow(Double(beta1), t))
            let inverseRootCorrection2 = Float(1 / (1 - pow(Double(beta2), t)).squareRoot())
            gradient.withUnsafeBufferPointer { g in
                parameter.update { p in
                    firstMoments[index].withUnsafeMutableBufferPointer { m in
                        secondMoments[index].withUnsafeMutableBufferPointer { v in
                            precondition(g.count == p.count && m.count == p.count,
                                         "\(algorithm): parameter \(index) has \(p.count) elements, its gradient \(g.count), its moments \(m.count)")
                            for i in p.indices {
                                let gi = g[i] + gradientDecay * p[i]
                                let mi = beta1 * m[i] + (1 - beta1) * gi
                                let vi = beta2 * v[i] + (1 - beta2) * gi * gi
                                m[i] = mi
                                v[i] = vi
                                p[i] = weightFactor * p[i] - stepSize * mi / (vi.squareRoot() * inverseRootCorrection2 + epsilon)
                            }
                        }
                    }
                }
            }
        }
    }

    private var hyperparameters: [String: Float] {
        ["beta1": beta1, "beta2": beta2, "epsilon": epsilon, "weightDecay": weightDecay]
    }

    public var state: OptimizerState {
        OptimizerState(
            algorithm: algorithm, stepCount: stepCount, learningRate: learningRate, hyperparameters: hyperparameters,
            parameters: parameters, parameterStepCounts: parameterStepCounts,
            buffers: ["firstMoment": firstMoments, "secondMoment": secondMoments])
    }

    public func load(_ state: OptimizerState) throws {
        try state.validate(algorithm: algorithm, hyperparameters: hyperparameters, parameters: parameters,
                           bufferNames: ["firstMoment", "secondMoment"])
        stepCount = state.stepCount
        learningRate = state.learningRate
        parameterStepCounts = state.parameters.map(\.stepCount)
        firstMoments = state.buffers(named: "firstMoment")
        secondMoments = state.buffers(named: "secondMoment")
    }
}
