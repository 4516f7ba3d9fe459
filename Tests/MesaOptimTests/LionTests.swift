import MesaCore
import MesaNN
import MesaOptim
import XCTest

/// Tolerance 1e-6 against the update rule evaluated by hand in `Double`.
final class LionTests: XCTestCase {
    func testMatchesSignUpdateRule() {
        let initial: [Double] = [1, -2, 0.5, 0]
        // Step 2's gradient flips element 0, but the momentum from step 1 keeps the update's sign
        // (0.9·0.05 − 0.1·0.1 > 0); element 3 has a zero direction at step 1, so no update.
        let gradients: [[Double]] = [[0.5, 0.25, -1, 0], [-0.1, 0.75, 0.2, 0.3], [0.1, -0.4, 0.9, -0.2]]
        let parameter = Parameter(Tensor(initial.map(Float.init)))
        applySteps(Lion(parameters: [parameter], learningRate: 0.01, beta1: 0.9, beta2: 0.99, weightDecay: 0.5),
            on: parameter, gradients: gradients)
        var p = initial, m = [Double](repeating: 0, count: 4)
        for g in gradients {
            for i in p.indices {
                let c = 0.9 * m[i] + 0.1 * g[i]
                let u: Double = c > 0 ? 1 : c < 0 ? -1 : 0
                p[i] -= 0.01 * (u + 0.5 * p[i])
                m[i] = 0.99 * m[i] + 0.01 * g[i]
            }
        }
        assertClose(parameter.value.scalars, p)
    }

    /// Without weight decay every element with a non-zero direction moves by exactly `η`.
    func testEveryElementMovesByLearningRate() {
        let parameter = makeParameter([1, 1, 1, 1], gradient: [1e-6, -3, 1e4, 0])
        Lion(parameters: [parameter], learningRate: 0.25).step()
        XCTAssertEqual(parameter.value.scalars, [0.75, 1.25, 0.75, 1])
    }

    func testMomentumOutweighsAFlippedGradient() {
        let parameter = makeParameter([0], gradient: [1])
        let optimizer = Lion(parameters: [parameter], learningRate: 1)
        optimizer.step()                       // m = 0.01
        parameter.setGradient(Tensor([-0.05])) // 0.9·0.01 − 0.1·0.05 = 0.004 > 0
        optimizer.step()
        XCTAssertEqual(parameter.value.scalars, [-2])
        XCTAssertEqual(optimizer.beta1, 0.9)
        XCTAssertEqual(optimizer.beta2, 0.99)
    }

    func testNaNGradientIsNotHidden() {
        let parameter = makeParameter([1], gradient: [.nan])
        Lion(parameters: [parameter]).step()
        XCTAssertTrue(parameter.value.scalars[0].isNaN)
    }
}
