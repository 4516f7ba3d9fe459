import MesaCore
import MesaTestSupport
import XCTest

final class TensorLinearTests: XCTestCase {
    func testMatchesMatmulPlusBias() {
        var generator = RandomGenerator(seed: 140)
        let x = Tensor.randomNormal([2, 3, 5], using: &generator), w = Tensor.randomNormal([4, 5], using: &generator)
        let b = Tensor.randomNormal([4], using: &generator)
        XCTAssertTrue(Tensor.linear(x, weight: w, bias: b).isApproximatelyEqual(to: x.matmul(w.transposed()) + b, tolerance: 1e-5))
        XCTAssertTrue(Tensor.linear(x, weight: w).isApproximatelyEqual(to: x.matmul(w.transposed()), tolerance: 1e-5))
        XCTAssertEqual(Tensor.linear(Tensor.zeros([3, 0]), weight: Tensor.zeros([2, 0]), bias: Tensor([1, 2])).scalars, [1, 2, 1, 2, 1, 2])
    }

    func testGradientsFirstAndSecondOrder() {
        let inputs = GradientCheck.randomInputs([[2, 3, 5], [4, 5], [4]], seed: 141)
        GradientCheck.assertMatches({ Tensor.linear($0[0], weight: $0[1], bias: $0[2]) }, at: inputs)
        GradientCheck.assertMatches({ Tensor.linear($0[0], weight: $0[1]) }, at: inputs)
        let error = GradientCheck.hessianVectorError(
            of: { Tensor.linear(inputs[0], weight: $0, bias: inputs[2]).tanh().sum() }, at: inputs[1], direction: inputs[1].cos())
        XCTAssertLessThan(error, 1e-2)
    }

    func testBadShapes() {
        XCTAssertThrowsError(try withTensorErrors { Tensor.linear(Tensor.zeros([2, 3]), weight: Tensor.zeros([4, 5])) }) {
            XCTAssertTrue("\($0)".contains("[2, 3]") && "\($0)".contains("[4, 5]"))
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor.linear(Tensor.zeros([2, 5]), weight: Tensor.zeros([4, 5]), bias: Tensor.zeros([5])) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.linear(Tensor.zeros([2, 5]), weight: Tensor.zeros([20])) })
    }
}
