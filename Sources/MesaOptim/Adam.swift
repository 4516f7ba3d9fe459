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
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.gradient else { continue }
            parameterStepCounts[index] += 1
            let constants = StepConstants(self, step: parameterStepCounts[index])
            gradient.withUnsafeBufferPointer { g in
                parameter.update { p in
                    firstMoments[index].withUnsafeMutableBufferPointer { m in
                        secondMoments[index].withUnsafeMutableBufferPointer { v in
                            precondition(g.count == p.count && m.count == p.count && v.count == p.count,
                                         "\(algorithm): parameter \(index) has \(p.count) elements, its gradient \(g.count), its moments \(m.count)")
                            Self.update(p, gradient: g, firstMoment: m, secondMoment: v, constants)
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
        try state.validate(algorithm: algorithm, fixedHyperparameters: [:], parameters: parameters,
                           bufferNames: ["firstMoment", "secondMoment"])
        let below1 = 0...Float(1).nextDown
        let restored = (beta1: try state.hyperparameter("beta1", in: below1), beta2: try state.hyperparameter("beta2", in: below1),
                        epsilon: try state.hyperparameter("epsilon", in: 0...Float.infinity),
                        weightDecay: try state.hyperparameter("weightDecay", in: 0...Float.infinity))
        (beta1, beta2, epsilon, weightDecay) = restored
        stepCount = state.stepCount
        learningRate = state.learningRate
        parameterStepCounts = state.parameters.map(\.stepCount)
        firstMoments = state.buffers(named: "firstMoment")
        secondMoments = state.buffers(named: "secondMoment")
    }
}

extension Adam {
    /// The per-element constants of one step of one parameter.
    struct StepConstants {
        var beta1: Float, beta2: Float, epsilon: Float
        /// `λ` for Adam's L2 term `g + λ·p`, 0 for AdamW.
        var gradientDecay: Float
        /// `1 − ηλ` for AdamW's decoupled decay, 1 for Adam.
        var weightFactor: Float
        /// `η / (1 − β₁ᵗ)`: the learning rate with the first moment's bias correction.
        var stepSize: Float
        /// `1 / √(1 − β₂ᵗ)`: the second moment's bias correction, applied to `√v`.
        var inverseRootCorrection2: Float

        init(_ adam: Adam, step: Int) {
            (beta1, beta2, epsilon) = (adam.beta1, adam.beta2, adam.epsilon)
            // Exactly one of the two weight decays is active.
            gradientDecay = adam.decouplesWeightDecay ? 0 : adam.weightDecay
            weightFactor = adam.decouplesWeightDecay ? 1 - adam.learningRate * adam.weightDecay : 1
            // Bias corrections in Double: 1 − β₂ᵗ is tiny at t = 1 (0.001) and loses digits in Float.
            let t = Double(step)
            stepSize = adam.learningRate / Float(1 - pow(Double(adam.beta1), t))
            inverseRootCorrection2 = Float(1 / (1 - pow(Double(adam.beta2), t)).squareRoot())
        }
    }

    typealias Lanes = SIMD8<Float>

    /// One step over the elements of one parameter, eight lanes at a time.
    ///
    /// Written with SIMD types on purpose: on Linux `Float.squareRoot()` calls `sqrtf`, which may
    /// set `errno`, and that call stops LLVM from vectorising a scalar loop (about 1.5× slower).
    /// Each lane computes exactly what a scalar loop would, so results do not depend on the
    /// position of an element; the last partial group is padded with zeros that are discarded.
    static func update(
        _ p: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>,
        firstMoment m: UnsafeMutableBufferPointer<Float>, secondMoment v: UnsafeMutableBufferPointer<Float>,
        _ c: StepConstants
    ) {
        guard let pBase = p.baseAddress, let gBase = g.baseAddress, let mBase = m.baseAddress, let vBase = v.baseAddress
        else { return }
        let (parameter, gradient) = (UnsafeMutableRawPointer(pBase), UnsafeRawPointer(gBase))
        let (first, second) = (UnsafeMutableRawPointer(mBase), UnsafeMutableRawPointer(vBase))
        let fullGroups = p.count / Lanes.scalarCount
        for group in 0..<fullGroups {
            let offset = group * MemoryLayout<Lanes>.stride
            var (pi, mi, vi) = (parameter.loadUnaligned(fromByteOffset: offset, as: Lanes.self),
                                first.loadUnaligned(fromByteOffset: offset, as: Lanes.self),
                                second.loadUnaligned(fromByteOffset: offset, as: Lanes.self))
            step(&pi, gradient.loadUnaligned(fromByteOffset: offset, as: Lanes.self), &mi, &vi, c)
            parameter.storeBytes(of: pi, toByteOffset: offset, as: Lanes.self)
            first.storeBytes(of: mi, toByteOffset: offset, as: Lanes.self)
            second.storeBytes(of: vi, toByteOffset: offset, as: Lanes.self)
        }
        let tail = fullGroups * Lanes.scalarCount..<p.count
        guard !tail.isEmpty else { return }
        var (pi, gi, mi, vi) = (Lanes(), Lanes(), Lanes(), Lanes())
        for (lane, index) in tail.enumerated() { (pi[lane], gi[lane], mi[lane], vi[lane]) = (p[index], g[index], m[index], v[index]) }
        step(&pi, gi, &mi, &vi, c)
        for (lane, index) in tail.enumerated() { (p[index], m[index], v[index]) = (pi[lane], mi[lane], vi[lane]) }
    }

    /// The update rule on eight elements: parameter `p`, gradient `g`, moments `m` and `v`.
    @inline(__always)
    private static func step(_ p: inout Lanes, _ g: Lanes, _ m: inout Lanes, _ v: inout Lanes, _ c: StepConstants) {
        let g = g + c.gradientDecay * p
        m = c.beta1 * m + (1 - c.beta1) * g
        v = c.beta2 * v + (1 - c.beta2) * g * g
        p = c.weightFactor * p - c.stepSize * m / (v.squareRoot() * c.inverseRootCorrection2 + c.epsilon)
    }
}
