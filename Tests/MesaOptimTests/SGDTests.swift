import MesaCore
import MesaNN
import MesaOptim
import XCTest

/// Each test runs a few steps on a three-element parameter with fixed gradients and compares
/// with the update rule evaluated by hand in `Double`, to 1e-6 (relative above 1, absolute below).
final class SGDTests: XCTestCase {
    let initial: [Double] = [1, -2, 0.5]
    let gradients: [[Double]] = [[0.5, 0.25, -1], [-0.3, 0.75, 0.2], [0.1, -0.4, 0.9]]

    func testPlainStepWithWeightDecay() {
        let parameter = Parameter(Tensor(initial.map(Float.init)))
        applySteps(SGD(parameters: [parameter], learningRate: 0.1, weightDecay: 0.01), on: parameter, gradients: gradients)
        var p = initial
        for g in gradients {
            for i in p.indices { p[i] -= 0.1 * (g[i] + 0.01 * p[i]) }
        }
        assertClose(parameter.value.scalars, p)
    }

    /// Classical momentum with dampening: the buffer starts as the first gradient, undamped.
    func testMomentumWithDampening() {
        let parameter = Parameter(Tensor(initial.map(Float.init)))
        let optimizer = SGD(parameters: [parameter], learningRate: 0.1, momentum: 0.9, dampening: 0.2, weightDecay: 0.01)
        applySteps(optimizer, on: parameter, gradients: gradients)
        var p = initial, b = [Double](repeating: 0, count: 3)
        for (step, g) in gradients.enumerated() {
            for i in p.indices {
                let d = g[i] + 0.01 * p[i]
                b[i] = step == 0 ? d : 0.9 * b[i] + 0.8 * d
                p[i] -= 0.1 * b[i]
            }
        }
        assertClose(parameter.value.scalars, p)
    }

    func testNesterovMomentum() {
        let parameter = Parameter(Tensor(initial.map(Float.init)))
        applySteps(SGD(parameters: [parameter], learningRate: 0.1, momentum: 0.9, nesterov: true), on: parameter, gradients: gradients)
        var p = initial, b = [Double](repeating: 0, count: 3)
        for g in gradients {
            for i in p.indices {
                b[i] = 0.9 * b[i] + g[i]
                p[i] -= 0.1 * (g[i] + 0.9 * b[i])
            }
        }
        assertClose(parameter.value.scalars, p)
        // Nesterov looks ahead, so it differs from classical momentum on the same gradients.
        let classical = Parameter(Tensor(initial.map(Float.init)))
        applySteps(SGD(parameters: [classical], learningRate: 0.1, momentum: 0.9), on: classical, gradients: gradients)
        XCTAssertNotEqual(classical.value.scalars, parameter.value.scalars)
    }

    func testLearningRateChangeTakesEffectAtOnce() {
        let parameter = makeParameter([1], gradient: [1])
        let optimizer = SGD(parameters: [parameter], learningRate: 0.1, momentum: 0.5)
        optimizer.step()   // b = 1, p = 0.9
        optimizer.learningRate = 0
        optimizer.step()   // b = 1.5, p unchanged
        XCTAssertEqual(parameter.value.scalars, [0.9])
        optimizer.learningRate = 0.1
        optimizer.step()   // b = 1.75
        assertClose(parameter.value.scalars, [0.9 - 0.175])
    }
}
