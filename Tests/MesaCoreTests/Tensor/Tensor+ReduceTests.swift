import MesaCore
import MesaTestSupport
import XCTest

final class TensorReduceTests: XCTestCase {
    func testValues() {
        let x = Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
        XCTAssertEqual(x.sum(alongAxis: 0).scalars, [5, 7, 9])
        XCTAssertEqual(x.sum(alongAxis: 1, keepingDimensions: true).shape, [2, 1])
        XCTAssertEqual(x.sum().scalar, 21)
        XCTAssertEqual(x.mean(alongAxis: -1).scalars, [3, 4])
        XCTAssertEqual(x.max(alongAxis: 1).scalars, [5, 6])
        XCTAssertEqual(x.min(alongAxis: 0).scalars, [1, 2, 3])
        XCTAssertEqual(x.argmax(alongAxis: 1).indices, [1, 2])
        XCTAssertEqual(x.argmin(alongAxis: 1).indices, [0, 1])
        XCTAssertEqual(x.variance(alongAxis: 1).scalars[0], 8.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(x.variance(alongAxis: 1, unbiased: true).scalars[0], 4, accuracy: 1e-6)
        XCTAssertEqual(x.logSumExp(alongAxis: 1).scalars[0], Float(Foundation.log(Foundation.exp(1.0) + Foundation.exp(5.0) + Foundation.exp(3.0))), accuracy: 1e-5)
        // Large values do not overflow.
        XCTAssertEqual(Tensor([1000, 1000]).logSumExp(alongAxis: 0).scalar, 1000 + Float(Foundation.log(2.0)), accuracy: 1e-3)
        let y = Tensor.randomNormal([2, 3, 4, 5], using: &generator)
        XCTAssertTrue(y.sum(alongAxes: [1, 3]).isApproximatelyEqual(to: y.sum(alongAxis: 3).sum(alongAxis: 1), tolerance: 1e-5))
        XCTAssertEqual(y.sum(alongAxes: [0, 2], keepingDimensions: true).shape, [1, 3, 1, 5])
    }

    var generator = RandomGenerator(seed: 3)

    func testGradients() {
        let shapes: [[Int]] = [[4], [3, 4], [2, 3, 4]]
        for (index, shape) in shapes.enumerated() {
            // Distinct values 0.1 apart, so perturbing by ε never changes which element is extreme.
            var generator = RandomGenerator(seed: 20 + UInt64(index))
            let count = shape.reduce(1, *)
            let x = [Tensor(shape: shape, scalars: Tensor.randomPermutation(count, using: &generator).map { Float($0) * 0.1 - 1 })]
            for axis in 0..<shape.count {
                GradientCheck.assertMatches({ $0[0].sum(alongAxis: axis) }, at: x, "sum \(shape) \(axis)")
                GradientCheck.assertMatches({ $0[0].mean(alongAxis: axis, keepingDimensions: true) }, at: x, "mean \(shape) \(axis)")
                GradientCheck.assertMatches({ $0[0].variance(alongAxis: axis) }, at: x, "variance \(shape) \(axis)")
                GradientCheck.assertMatches({ $0[0].max(alongAxis: axis) }, at: x, "max \(shape) \(axis)")
                GradientCheck.assertMatches({ $0[0].min(alongAxis: axis) }, at: x, "min \(shape) \(axis)")
                GradientCheck.assertMatches({ $0[0].logSumExp(alongAxis: axis) }, at: x, "logSumExp \(shape) \(axis)")
            }
            GradientCheck.assertMatches({ $0[0].sum() }, at: x)
            GradientCheck.assertMatches({ $0[0].mean() }, at: x)
        }
        let x = GradientCheck.randomInputs([[2, 3, 4]], seed: 30)
        GradientCheck.assertMatches({ $0[0].sum(alongAxes: [0, 2]) }, at: x)
        GradientCheck.assertMatches({ $0[0].variance(alongAxes: [1, 2], unbiased: true) }, at: x)
    }

    func testMaxSplitsGradientOnTies() {
        let x = Tensor([2, 7, 7]).requiringGradient()
        XCTAssertEqual(gradients(of: x.max(), withRespectTo: [x])[0].scalars, [0, 0.5, 0.5])
    }

    func testBadAxesAndEmptyInputs() {
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]).sum(alongAxis: 2) }) {
            XCTAssertEqual(($0 as? TensorError)?.kind, .invalidAxis)
            XCTAssertTrue("\($0)".contains("[2, 3]"))
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]).sum(alongAxes: [1, -1]) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([0, 3]).mean(alongAxis: 0) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([0, 3]).max(alongAxis: 0) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([1, 3]).variance(alongAxis: 0, unbiased: true) })
        XCTAssertEqual(Tensor.zeros([0, 3]).sum(alongAxis: 0).scalars, [0, 0, 0])
    }
}

import Foundation
