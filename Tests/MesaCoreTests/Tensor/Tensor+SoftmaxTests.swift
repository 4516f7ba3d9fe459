import MesaCore
import MesaTestSupport
import XCTest

final class TensorSoftmaxTests: XCTestCase {
    func testRowsSumToOneAndLogSoftmaxAgrees() {
        var generator = RandomGenerator(seed: 80)
        let x = Tensor.randomNormal([4, 3, 5], standardDeviation: 5, using: &generator)
        for axis in 0..<3 {
            let s = x.softmax(alongAxis: axis)
            let sums = s.sum(alongAxis: axis)
            XCTAssertTrue(sums.isApproximatelyEqual(to: Tensor.ones(sums.shape), tolerance: 1e-5), "axis \(axis)")
            XCTAssertTrue(x.logSoftmax(alongAxis: axis).exp().isApproximatelyEqual(to: s, tolerance: 1e-5))
        }
        // Stable for huge logits.
        XCTAssertEqual(Tensor([1000, 1000]).softmax().scalars, [0.5, 0.5])
        XCTAssertTrue(Tensor([-1e4, 0, 1e4]).logSoftmax().isFinite)
    }

    func testGradientsOnEveryAxisAndSecondOrder() {
        let x = GradientCheck.randomInputs([[3, 4, 5]], seed: 81, low: -2, high: 2)
        for axis in [0, 1, -1] {
            GradientCheck.assertMatches({ $0[0].softmax(alongAxis: axis) }, at: x, "softmax axis \(axis)")
            GradientCheck.assertMatches({ $0[0].logSoftmax(alongAxis: axis) }, at: x, "logSoftmax axis \(axis)")
            for function in [{ (t: Tensor) in t.softmax(alongAxis: axis).pow(2).sum() }, { (t: Tensor) in t.logSoftmax(alongAxis: axis).pow(2).sum() }] {
                XCTAssertLessThan(GradientCheck.hessianVectorError(of: function, at: x[0], direction: x[0]), 1e-2)
            }
        }
    }

    func testBadAxis() {
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]).softmax(alongAxis: 2) })
    }
}
