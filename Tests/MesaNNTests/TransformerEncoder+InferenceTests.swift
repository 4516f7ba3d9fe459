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
