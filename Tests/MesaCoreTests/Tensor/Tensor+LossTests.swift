import MesaCore
import MesaTestSupport
import XCTest

final class TensorLossTests: XCTestCase {
    func testValues() {
        XCTAssertEqual(Tensor.meanSquaredError(Tensor([1, 2, 3]), Tensor([1, 0, 0])).scalar, 13.0 / 3, accuracy: 1e-6)
        // Uniform logits over 4 classes: cross-entropy log 4.
        XCTAssertEqual(Tensor.crossEntropy(logits: Tensor.zeros([3, 4]), labels: [0, 1, 3]).scalar, Float(Foundation.log(4.0)), accuracy: 1e-6)
        let logits = Tensor([[2, 0, -1]])
        let expected = -(2 - Foundation.log(Foundation.exp(2.0) + 1 + Foundation.exp(-1.0)))
        XCTAssertEqual(Tensor.crossEntropy(logits: logits, labels: [0]).scalar, Float(expected), accuracy: 1e-5)
    }

    func testGradients() {
        let inputs = GradientCheck.randomInputs([[5, 3], [5, 3]], seed: 100, low: -2, high: 2)
        GradientCheck.assertMatches({ Tensor.meanSquaredError($0[0], $0[1]) }, at: inputs)
        GradientCheck.assertMatches({ Tensor.crossEntropy(logits: $0[0], labels: [0, 2, 1, 1, 0]) }, at: inputs)
        // Cross-entropy gradient is (softmax − onehot) / N.
        let leaf = inputs[0].requiringGradient()
        let g = gradients(of: Tensor.crossEntropy(logits: leaf, labels: [0, 2, 1, 1, 0]), withRespectTo: [leaf])[0]
        let expected = (inputs[0].softmax() - Tensor.oneHot([0, 2, 1, 1, 0], classCount: 3)) / 5
        XCTAssertTrue(g.isApproximatelyEqual(to: expected, tolerance: 1e-6))
    }

    func testBadInput() {
        XCTAssertThrowsError(try withTensorErrors { Tensor.meanSquaredError(Tensor.zeros([3]), Tensor.zeros([3, 1])) }) {
            XCTAssertTrue("\($0)".contains("[3, 1]"))
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor.crossEntropy(logits: Tensor.zeros([2, 3]), labels: [0]) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.crossEntropy(logits: Tensor.zeros([2, 3]), labels: [0, 3]) })
    }
}

import Foundation
