import MesaCore
import MesaNN
import MesaOptim
import XCTest

/// Tolerance 1e-6 against the `Double` reference of `AdamTests.swift` (relative above 1, absolute below).
final class AdamWTests: XCTestCase {
    let initial: [Double] = [1, -2, 0.5]
    let gradients: [[Double]] = [[0.5, 0.25, -1], [-0.3, 0.75, 0.2], [0.1, -0.4, 0.9], [0.05, 0.3, -0.2]]

    func testMatchesUpdateRuleWithDecoupledWeightDecay() {
        let parameter = Parameter(Tensor(initial.map(Float.init)))
        applySteps(AdamW(parameters: [parameter], learningRate: 0.01, beta2: 0.99, weightDecay: 0.1), on: parameter, gradients: gradients)
        let expected = referenceAdam(initial: initial, gradients: gradients, learningRate: 0.01, beta2: 0.99,
                                     weightDecay: 0.1, decoupled: true)
        assertClose(parameter.value.scalars, expected)
    }

    /// With a zero gradient AdamW only shrinks the weights by `1 − ηλ` per step, while Adam's L2
    /// term goes through the normalisation and moves each weight by about `η` per step.
    func testDecoupledDecayDiffersFromL2() {
        let decoupled = makeParameter([1, -2], gradient: [0, 0])
        let coupled = makeParameter([1, -2], gradient: [0, 0])
        let adamW = AdamW(parameters: [decoupled], learningRate: 0.01, weightDecay: 0.1)
        let adam = Adam(parameters: [coupled], learningRate: 0.01, weightDecay: 0.1)
        for _ in 0..<3 {
            adamW.step()
            adam.step()
        }
        let shrink = (1 - 0.01 * 0.1) * (1 - 0.01 * 0.1) * (1 - 0.01 * 0.1)
        assertClose(decoupled.value.scalars, [shrink, -2 * shrink])
        let zeros = [[Double]](repeating: [0, 0], count: 3)
        assertClose(coupled.value.scalars, referenceAdam(initial: [1, -2], gradients: zeros, learningRate: 0.01,
                                                         weightDecay: 0.1, decoupled: false))
        assertClose(coupled.value.scalars, [1 - 0.03, -2 + 0.03], tolerance: 1e-4)
        XCTAssertTrue(adamW.decouplesWeightDecay)
        XCTAssertFalse(adam.decouplesWeightDecay)
    }

    func testWithoutWeightDecayEqualsAdam() {
        let a = Parameter(Tensor(initial.map(Float.init)))
        let b = Parameter(Tensor(initial.map(Float.init)))
        applySteps(AdamW(parameters: [a], weightDecay: 0), on: a, gradients: gradients)
        applySteps(Adam(parameters: [b]), on: b, gradients: gradients)
        XCTAssertEqual(a.value.scalars, b.value.scalars)
    }

    func testDefaultsFollowPyTorch() {
        let optimizer = AdamW(parameters: [])
        XCTAssertEqual(optimizer.learningRate, 1e-3)
        XCTAssertEqual(optimizer.weightDecay, 1e-2)
        XCTAssertEqual(optimizer.beta1, 0.9)
        XCTAssertEqual(optimizer.beta2, 0.999)
        XCTAssertEqual(optimizer.epsilon, 1e-8)
        XCTAssertEqual(Adam(parameters: []).weightDecay, 0)
    }
}
