@testable import MesaCore
import MesaTestSupport
import XCTest

final class TensorGradientTests: XCTestCase {
    func testBackwardAccumulatesIntoLeaves() {
        let x = Tensor([1, 2, 3]).requiringGradient()
        (x * x).sum().backward()
        XCTAssertEqual(x.gradient?.scalars, [2, 4, 6])
        (x * 3).sum().backward()
        XCTAssertEqual(x.gradient?.scalars, [5, 7, 9], "a second backward adds to the gradient")
        x.clearGradient()
        XCTAssertNil(x.gradient)
    }

    func testGradientsWithRespectToIntermediatesAndUnusedInputs() {
        let x = Tensor([0.5, -1]).requiringGradient()
        let hidden = x.exp()
        let unused = Tensor([7]).requiringGradient()
        let result = gradients(of: (hidden * hidden).sum(), withRespectTo: [hidden, x, unused])
        XCTAssertTrue(result[0].isApproximatelyEqual(to: hidden.detached() * 2))
        XCTAssertTrue(result[1].isApproximatelyEqual(to: (x.detached() * 2).exp() * 2, tolerance: 1e-6))
        XCTAssertEqual(result[2].scalars, [0])
        XCTAssertNil(x.gradient, "gradients(of:) leaves the leaves' gradients alone")
    }

    func testHessianVectorProductOfQuadraticForm() {
        // f(x) = xᵀ A x has Hessian A + Aᵀ, so H v = (A + Aᵀ) v exactly.
        var generator = RandomGenerator(seed: 120)
        let a = Tensor.randomNormal([4, 4], using: &generator), v = Tensor.randomNormal([4], using: &generator)
        let x = Tensor.randomNormal([4], using: &generator).requiringGradient()
        let g = gradients(of: x.matmul(a.matmul(x)), withRespectTo: [x], createGraph: true)[0]
        let hv = gradients(of: (g * v).sum(), withRespectTo: [x])[0]
        XCTAssertTrue(hv.isApproximatelyEqual(to: (a + a.transposed()).matmul(v), tolerance: 1e-5))
    }

    func testThirdDerivative() {
        // d³/dx³ sin(x) = −cos(x).
        let x = Tensor([0.3, 1.1]).requiringGradient()
        let first = gradients(of: x.sin().sum(), withRespectTo: [x], createGraph: true)[0]
        let second = gradients(of: first.sum(), withRespectTo: [x], createGraph: true)[0]
        let third = gradients(of: second.sum(), withRespectTo: [x])[0]
        XCTAssertTrue(third.isApproximatelyEqual(to: -Tensor([0.3, 1.1]).cos(), tolerance: 1e-6))
    }

    func testHessianVectorProductsOfCompositeNetworkMatchFiniteDifferences() {
        let inputs = GradientCheck.randomInputs([[3, 4], [4, 5]], seed: 121)
        let data = inputs[1]
        let f: (Tensor) -> Tensor = { w in
            let hidden = data.transposed().matmul(w.transposed()).tanh()       // [5, 3]
            return Tensor.crossEntropy(logits: hidden.softmax().log() + hidden.gelu(), labels: [0, 1, 2, 1, 0])
        }
        XCTAssertLessThan(GradientCheck.hessianVectorError(of: f, at: inputs[0], direction: inputs[0].sin()), 1e-2)
    }

    func testNoGradientModeRecordsNothing() {
        let x = Tensor([1, 2]).requiringGradient()
        let y = withoutGradients { (x * x).exp() }
        XCTAssertFalse(y.requiresGradient)
        XCTAssertFalse(GradientMode.isEnabled == false, "the mode is restored after the scope")
        XCTAssertTrue(withoutGradients { withGradients { x * 2 } }.requiresGradient)
        XCTAssertFalse((Tensor([1]) * 2).requiresGradient, "constants do not enter the graph")
        XCTAssertFalse(x.detached().requiresGradient)
    }

    func testGraphIsReleasedAfterBackward() {
        let x = Tensor([1, 2, 3]).requiringGradient()
        weak var intermediate: GradientNode?
        var loss: Tensor
        do {
            let hidden = (x * 2).exp()
            intermediate = hidden.node
            loss = (hidden * hidden).sum()
        }
        XCTAssertNotNil(intermediate, "the loss keeps its graph alive before backward")
        loss.backward()
        XCTAssertNil(intermediate, "backward releases the intermediate nodes")
        XCTAssertNotNil(x.gradient)
        XCTAssertThrowsError(try withTensorErrors { loss.backward() }) {
            XCTAssertEqual(($0 as? TensorError)?.kind, .gradient)
        }
        loss = Tensor(0)
    }

    func testMemoryDoesNotGrowAcrossTrainingSteps() {
        // Every step's graph must be freed: count the nodes still alive after each step through
        // weak references to the step's loss node.
        var generator = RandomGenerator(seed: 122)
        var w = Tensor.randomNormal([8, 8], using: &generator).requiringGradient()
        let data = Tensor.randomNormal([16, 8], using: &generator)
        var alive: [() -> GradientNode?] = []
        for _ in 0..<50 {
            let loss = data.matmul(w).tanh().pow(2).mean()
            weak let node = loss.node
            alive.append { node }
            loss.backward()
            let updated = w.detached() - w.gradient! * 0.1
            w = updated.requiringGradient()
        }
        XCTAssertEqual(alive.compactMap { $0() }.count, 0, "no step's graph survives its backward pass")
    }

    func testBadRequests() {
        XCTAssertThrowsError(try withTensorErrors { Tensor([1, 2]).requiringGradient().backward() })
        XCTAssertThrowsError(try withTensorErrors { Tensor(1).backward() })
        XCTAssertThrowsError(try withTensorErrors { _ = gradients(of: Tensor([1, 2]).requiringGradient(), withRespectTo: []) })
    }
}

final class RecordedGraphSizeTests: XCTestCase {
    func testCountsTheNodesBehindATensorAndDropsToZeroWithoutGradients() {
        let x = Tensor(shape: [3], scalars: [1, 2, 3]).requiringGradient()
        XCTAssertEqual(x.recordedGraphSize, 1)
        let y = (x * x).sum()   // leaf, product, sum
        XCTAssertEqual(y.recordedGraphSize, 3)
        XCTAssertEqual(y.detached().recordedGraphSize, 0)
        XCTAssertEqual(withoutGradients { (x * x).sum() }.recordedGraphSize, 0)
    }
}
