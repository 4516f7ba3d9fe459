import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

final class TransformerEncoderLayerTests: XCTestCase {
    private typealias Placement = TransformerEncoderLayer.NormalizationPlacement

    private func makeLayer(_ placement: Placement, activation: Activation = .relu, seed: UInt64 = 61,
                           modelSize: Int = 8, feedForwardSize: Int = 16) -> TransformerEncoderLayer {
        var generator = RandomGenerator(seed: seed)
        let layer = TransformerEncoderLayer(modelSize: modelSize, headCount: 2, feedForwardSize: feedForwardSize,
                                            activation: activation, placement: placement, using: &generator)
        // Non-trivial norms and attention biases, so the tests see where each one acts.
        for parameter in [layer.attentionNorm.weight, layer.attentionNorm.bias, layer.feedForwardNorm.weight,
                          layer.feedForwardNorm.bias, layer.attention.query.bias!, layer.attention.output.bias!] {
            parameter.assign(.randomUniform(parameter.shape, low: 0.5, high: 1.5, using: &generator))
        }
        return layer
    }

    private func input(seed: UInt64 = 62, shape: [Int] = [2, 5, 8]) -> Tensor {
        GradientCheck.randomInputs([shape], seed: seed)[0]
    }

    func testPostNormalizationMatchesPyTorchFormula() {
        let layer = makeLayer(.post)
        let x = input()
        // norm_first=False: x = norm1(x + sa(x)); x = norm2(x + ff(x)).
        let afterAttention = layer.attentionNorm(x + layer.attention(x, mask: .causal))
        let feedForward = layer.feedForwardOut(layer.feedForwardIn(afterAttention).relu())
        let expected = layer.feedForwardNorm(afterAttention + feedForward)
        assertClose(layer(x, mask: .causal), expected, tolerance: 1e-6)
    }

    func testPreNormalizationMatchesFormula() {
        let layer = makeLayer(.pre, activation: .gelu)
        let x = input()
        // norm_first=True: x = x + sa(norm1(x)); x = x + ff(norm2(x)).
        let afterAttention = x + layer.attention(layer.attentionNorm(x))
        let expected = afterAttention
            + layer.feedForwardOut(layer.feedForwardIn(layer.feedForwardNorm(afterAttention)).gelu())
        assertClose(layer(x), expected, tolerance: 1e-6)
    }

    func testPreAndPostDiffer() {
        let x = input()
        let pre = makeLayer(.pre), post = makeLayer(.post)
        // Same seed, so the same weights: only the placement of the norms differs.
        XCTAssertEqual(pre.parameters.map(\.value.scalars), post.parameters.map(\.value.scalars))
        XCTAssertFalse(pre(x).isApproximatelyEqual(to: post(x), tolerance: 1e-3))
    }

    func testCausalMaskKeepsEarlierOutputsIndependentOfLaterInputs() {
        for placement in [Placement.pre, .post] {
            let layer = makeLayer(placement)
            let x = input()
            var perturbed = x
            perturbed.withUnsafeMutableBufferPointer { buffer in
                // Batch 0, position 3. Not a constant shift: layer normalisation would erase it.
                for feature in 0..<8 { buffer[3 * 8 + feature] += Float(feature % 3) - 1 }
            }
            let before = layer(x, mask: .causal), after = layer(perturbed, mask: .causal)
            func positions(_ y: Tensor, _ range: Range<Int>) -> Tensor {
                y.slice(alongAxis: 0, from: 0, to: 1).slice(alongAxis: 1, from: range.lowerBound, to: range.upperBound)
            }
            // Earlier positions go through exactly the same arithmetic: equal to rounding (1e-6).
            assertClose(positions(after, 0..<3), positions(before, 0..<3), tolerance: 1e-6, "\(placement)")
            XCTAssertFalse(positions(after, 3..<5).isApproximatelyEqual(to: positions(before, 3..<5), tolerance: 1e-3))
            // Batch element 1 was not touched at all.
            assertClose(after.slice(alongAxis: 0, from: 1), before.slice(alongAxis: 0, from: 1), tolerance: 1e-6)
            // Without the mask, the change does reach position 0.
            XCTAssertFalse(positions(layer(perturbed), 0..<1).isApproximatelyEqual(to: positions(layer(x), 0..<1), tolerance: 1e-3))
        }
    }

    func testPostNormalizationOutputRowsAreNormalizedWithUnitGain() {
        var generator = RandomGenerator(seed: 63)
        let layer = TransformerEncoderLayer(modelSize: 8, headCount: 4, feedForwardSize: 8, using: &generator)
        let y = layer(input())
        for value in y.mean(alongAxis: -1).scalars { XCTAssertEqual(value, 0, accuracy: 1e-5) }
        for value in y.variance(alongAxis: -1).scalars { XCTAssertEqual(value, 1, accuracy: 1e-3) }
    }

    func testParameterNamesFollowPyTorchOrder() {
        let names = makeLayer(.post).namedParameters.map(\.name)
        XCTAssertEqual(names, [
            "attention.query.weight", "attention.query.bias", "attention.key.weight", "attention.key.bias",
            "attention.value.weight", "attention.value.bias", "attention.output.weight", "attention.output.bias",
            "feedForwardIn.weight", "feedForwardIn.bias", "feedForwardOut.weight", "feedForwardOut.bias",
            "attentionNorm.weight", "attentionNorm.bias", "feedForwardNorm.weight", "feedForwardNorm.bias",
        ])
    }

    func testGradientsMatchFiniteDifferences() {
        for placement in [Placement.pre, .post] {
            // GELU rather than ReLU: a kink within ±ε of a pre-activation would spoil the differences.
            let layer = makeLayer(placement, activation: .gelu, modelSize: 4, feedForwardSize: 8)
            let x = input(shape: [2, 3, 4])
            // Tolerance 1e-2 relative-plus-absolute with ε = 1e-2.
            GradientCheck.assertModuleMatches(layer, inputs: [x], "\(placement)") { layer($0[0], mask: .causal) }
        }
    }
}
