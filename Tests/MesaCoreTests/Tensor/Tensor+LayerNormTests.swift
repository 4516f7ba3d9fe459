import MesaCore
import MesaTestSupport
import XCTest

final class TensorLayerNormTests: XCTestCase {
    func testRowsHaveZeroMeanAndUnitVariance() {
        var generator = RandomGenerator(seed: 90)
        let x = Tensor.randomNormal([6, 16], mean: 3, standardDeviation: 4, using: &generator)
        let y = x.layerNormalized(epsilon: 0)
        XCTAssertTrue(y.mean(alongAxis: 1).isApproximatelyEqual(to: Tensor.zeros([6]), tolerance: 1e-5))
        XCTAssertTrue(y.variance(alongAxis: 1).isApproximatelyEqual(to: Tensor.ones([6]), tolerance: 1e-4))
        let gain = Tensor.randomNormal([16], using: &generator), bias = Tensor.randomNormal([16], using: &generator)
        XCTAssertTrue(x.layerNormalized(gain: gain, bias: bias).isApproximatelyEqual(to: x.layerNormalized() * gain + bias, tolerance: 1e-5))
    }

    func testGradientsFusedAndRecordedPathsAgree() {
        let inputs = GradientCheck.randomInputs([[2, 3, 6], [6], [6]], seed: 91, low: -2, high: 2)
        GradientCheck.assertMatches({ $0[0].layerNormalized(gain: $0[1], bias: $0[2]) }, at: inputs)
        GradientCheck.assertMatches({ $0[0].layerNormalized() }, at: inputs)
        // The fused backward (not recorded) and the differentiable one (recorded) agree.
        let leaves = inputs.map { $0.requiringGradient() }
        let loss = { (values: [Tensor]) in (values[0].layerNormalized(gain: values[1], bias: values[2]) * inputs[0]).sum() }
        let fused = gradients(of: loss(leaves), withRespectTo: leaves)
        let recorded = gradients(of: loss(leaves), withRespectTo: leaves, createGraph: true)
        XCTAssertEqual(fused.count, recorded.count, "paired lengths")
        for (a, b) in zip(fused, recorded) { XCTAssertTrue(a.isApproximatelyEqual(to: b, tolerance: 1e-5)) }
        let error = GradientCheck.hessianVectorError(
            of: { $0.layerNormalized(gain: inputs[1], bias: inputs[2]).pow(3).sum() }, at: inputs[0], direction: inputs[0])
        XCTAssertLessThan(error, 2e-2)
    }

    func testBadShapes() {
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]).layerNormalized(gain: Tensor.ones([4])) }) {
            XCTAssertTrue("\($0)".contains("[4]"))
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 0]).layerNormalized() })
    }
}
