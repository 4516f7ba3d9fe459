import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

/// The encoder's fused inference path (all layers in one kernel call) against the recorded path.
final class TransformerEncoderInferenceTests: XCTestCase {
    func testFusedStackMatchesRecordedForBatchSizesMasksAndPlacements() {
        var generator = RandomGenerator(seed: 750)
        for placement in [TransformerEncoderLayer.NormalizationPlacement.pre, .post] {
            let encoder = TransformerEncoder(layerCount: 3, modelSize: 16, headCount: 4, feedForwardSize: 32, activation: .gelu,
                                             placement: placement, finalNorm: placement == .pre, using: &generator)
            for shape in [[1, 11, 16], [2, 11, 16], [6, 11, 16]] {
                let x = Tensor.randomNormal(shape, using: &generator)
                for mask in [AttentionMask.none, .causal] {
                    let recorded = encoder(x, mask: mask)
                    XCTAssertTrue(recorded.requiresGradient)
                    let fused = withoutGradients { encoder(x, mask: mask) }
                    XCTAssertFalse(fused.requiresGradient)
                    assertClose(fused, recorded.detached(), tolerance: 5e-5, "\(placement) \(shape) \(mask)")
                }
            }
        }
    }

    func testLastPositionsMatchTheLastRowsWithAndWithoutGradients() {
        // The pruned fused path and the recorded path (which slices) both give the last rows of
        // the full output; gradients flow through the recorded one (tolerance 5e-5, Float32).
        var generator = RandomGenerator(seed: 770)
        let encoder = TransformerEncoder(layerCount: 2, modelSize: 16, headCount: 4, feedForwardSize: 32, activation: .gelu,
                                         placement: .pre, finalNorm: true, using: &generator)
        for shape in [[1, 11, 16], [5, 11, 16]] {
            let x = Tensor.randomNormal(shape, using: &generator)
            for mask in [AttentionMask.none, .causal] {
                let full = encoder(x, mask: mask).detached()
                for count in [1, 3] {
                    let expected = full.slice(alongAxis: 1, from: 11 - count)
                    let recorded = encoder(x, mask: mask, lastPositions: count)
                    XCTAssertTrue(recorded.requiresGradient)
                    assertClose(recorded.detached(), expected, tolerance: 5e-5, "recorded \(shape) \(mask) \(count)")
                    let fused = withoutGradients { encoder(x, mask: mask, lastPositions: count) }
                    XCTAssertEqual(fused.shape, [shape[0], count, 16])
                    assertClose(fused, expected, tolerance: 5e-5, "fused \(shape) \(mask) \(count)")
                }
            }
        }
    }

    func testALayerWithoutAFusedFormSendsTheStackDownTheGeneralPath() {
        var generator = RandomGenerator(seed: 760)
        let fusable = TransformerEncoderLayer(modelSize: 8, headCount: 2, feedForwardSize: 8, using: &generator)
        let sigmoid = TransformerEncoderLayer(modelSize: 8, headCount: 2, feedForwardSize: 8, activation: .sigmoid, using: &generator)
        let encoder = TransformerEncoder(layers: [fusable, sigmoid])
        let x = Tensor.randomNormal([3, 5, 8], using: &generator)
        assertClose(withoutGradients { encoder(x) }, encoder(x).detached(), tolerance: 5e-5)
        // A per-batch mask has no fused form either.
        let perBatch = AttentionMask.custom(Tensor.ones([3, 1, 1, 5]))
        let plain = TransformerEncoder(layers: [fusable])
        assertClose(withoutGradients { plain(x, mask: perBatch) }, plain(x, mask: perBatch).detached(), tolerance: 5e-5)
    }
}
