import Foundation
import MesaCore
import MesaNN
import MesaOptim
import XCTest

/// Adam's update evaluated by hand in `Double`: the reference for ``AdamTests`` and ``AdamWTests``.
///
/// `decoupled` selects AdamW's weight decay `p ← (1 − ηλ)·p` instead of Adam's `g ← g + λ·p`.
func referenceAdam(
    initial: [Double], gradients: [[Double]], learningRate η: Double, beta1 β1: Double = 0.9, beta2 β2: Double = 0.999,
    epsilon ε: Double = 1e-8, weightDecay λ: Double, decoupled: Bool
) -> [Double] {
    var p = initial
    var m = [Double](repeating: 0, count: p.count), v = m
    for (step, gradient) in gradients.enumerated() {
        let t = Double(step + 1)
        for i in p.indices {
            let g = decoupled ? gradient[i] : gradient[i] + λ * p[i]
            if decoupled { p[i] -= η * λ * p[i] }
            m[i] = β1 * m[i] + (1 - β1) * g
            v[i] = β2 * v[i] + (1 - β2) * g * g
            let mHat = m[i] / (1 - pow(β1, t)), vHat = v[i] / (1 - pow(β2, t))
            p[i] -= η * mHat / (vHat.squareRoot() + ε)
        }
    }
    return p
}

/// Tolerance 1e-6 against the `Double` reference (relative above 1, absolute below).
final class AdamTests: XCTestCase {
    let initial: [Double] = [1, -2, 0.5]
    let gradients: [[Double]] = [[0.5, 0.25, -1], [-0.3, 0.75, 0.2], [0.1, -0.4, 0.9], [0.05, 0.3, -0.2]]

    /// At `t = 1` the bias correction gives `m̂ = g`, `v̂ = g²`: every element moves by `η·g/(|g| + ε) ≈ η·sign(g)`.
    func testBiasCorrectionOnFirstStep() {
        let parameter = makeParameter([1, -2, 0.5, 3], gradient: [0.5, 1e-3, -40, 0])
        Adam(parameters: [parameter], learningRate: 0.1).step()
        let ε = 1e-8
        assertClose(parameter.value.scalars, [1 - 0.1 * 0.5 / (0.5 + ε), -2 - 0.1 * 1e-3 / (1e-3 + ε), 0.5 + 0.1 * 40 / (40 + ε), 3])
        assertClose(parameter.value.scalars, [0.9, -2.1, 0.6, 3], tolerance: 1e-5)
        // Without the correction the first step would be η·(1 − β₁)/√(1 − β₂) ≈ 0.316·η per element.
    }

    func testMatchesUpdateRuleWithL2WeightDecay() {
        let parameter = Parameter(Tensor(initial.map(Float.init)))
        applySteps(Adam(parameters: [parameter], learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1),
            on: parameter, gradients: gradients)
        let expected = referenceAdam(initial: initial, gradients: gradients, learningRate: 0.01, beta1: 0.8, beta2: 0.99,
                                     epsilon: 1e-6, weightDecay: 0.1, decoupled: false)
        assertClose(parameter.value.scalars, expected)
    }

    /// 19 elements: two full groups of the eight-lane kernel and a padded tail of three.
    func testLongParameterMatchesUpdateRule() {
        var generator = RandomGenerator(seed: 3)
        let initial = Tensor.randomNormal([19], using: &generator).scalars.map(Double.init)
        let gradients = (0..<3).map { _ in Tensor.randomNormal([19], using: &generator).scalars.map(Double.init) }
        let parameter = Parameter(Tensor(initial.map(Float.init)))
        applySteps(Adam(parameters: [parameter], learningRate: 0.01, weightDecay: 0.1), on: parameter, gradients: gradients)
        assertClose(parameter.value.scalars, referenceAdam(initial: initial, gradients: gradients, learningRate: 0.01,
                                                           weightDecay: 0.1, decoupled: false))
    }

    /// The bias correction counts a parameter's own steps: one that first gets a gradient at the
    /// third step takes a full first step then (PyTorch keeps `step` per parameter too).
    func testBiasCorrectionCountsEachParametersSteps() {
        let early = makeParameter([0], gradient: [1])
        let late = makeParameter([0], gradient: nil)
        let optimizer = Adam(parameters: [early, late], learningRate: 0.1)
        optimizer.step()
        optimizer.step()
        late.setGradient(Tensor([1]))
        optimizer.step()
        assertClose(late.value.scalars, [-0.1])
        assertClose(early.value.scalars, [-0.3])
    }
}
