import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

final class TransformerEncoderTests: XCTestCase {
    private func makeEncoder(placement: TransformerEncoderLayer.NormalizationPlacement = .pre, finalNorm: Bool = true,
                             modelSize: Int = 8) -> TransformerEncoder {
        var generator = RandomGenerator(seed: 71)
        return TransformerEncoder(layerCount: 2, modelSize: modelSize, headCount: 2, feedForwardSize: 2 * modelSize,
                                  activation: .gelu, placement: placement, finalNorm: finalNorm, using: &generator)
    }

    func testParameterNamesOrderAndCount() {
        let encoder = makeEncoder()
        let names = encoder.namedParameters.map(\.name)
        XCTAssertEqual(Array(names.prefix(4)), [
            "layers.0.attention.query.weight", "layers.0.attention.query.bias",
            "layers.0.attention.key.weight", "layers.0.attention.key.bias",
        ])
        XCTAssertEqual(names[16], "layers.1.attention.query.weight")
        XCTAssertEqual(Array(names.suffix(2)), ["finalNorm.weight", "finalNorm.bias"])
        XCTAssertEqual(names.count, 2 * 16 + 2)
        // Per layer (d = 8, ffn = 16): attention 4·(8·8 + 8), feed-forward 8·16 + 16 + 16·8 + 8, norms 2·2·8.
        let perLayer = 4 * (64 + 8) + (128 + 16 + 128 + 8) + 32
        XCTAssertEqual(encoder.parameterCount, 2 * perLayer + 16)
        XCTAssertEqual(makeEncoder(finalNorm: false).namedParameters.count, 2 * 16)
    }

    func testAppliesLayersInOrderThenFinalNorm() {
        let encoder = makeEncoder()
        let x = GradientCheck.randomInputs([[2, 4, 8]], seed: 72)[0]
        let expected = encoder.finalNorm!(encoder.layers[1](encoder.layers[0](x, mask: .causal), mask: .causal))
        assertClose(encoder(x, mask: .causal), expected, tolerance: 1e-6)
    }

    func testFunctionalCallUsesTheSubstitutedValues() {
        let encoder = makeEncoder()
        let x = GradientCheck.randomInputs([[2, 4, 8]], seed: 73)[0]
        let reference = encoder(x)
        let own = encoder.parameters.map(\.value)
        assertClose(encoder.callAsFunction(substituting: own) { encoder(x) }, reference, tolerance: 0)
        let shifted = own.map { $0 + 0.1 }
        let changed = encoder.callAsFunction(substituting: shifted) { encoder(x) }
        XCTAssertFalse(changed.isApproximatelyEqual(to: reference, tolerance: 1e-3))
        // The module's own values are back afterwards.
        assertClose(encoder(x), reference, tolerance: 0)
    }

    func testCausalMaskReachesEveryLayer() {
        let encoder = makeEncoder(placement: .post, finalNorm: false)
        let x = GradientCheck.randomInputs([[1, 4, 8]], seed: 74)[0]
        var perturbed = x
        perturbed.withUnsafeMutableBufferPointer { $0[3 * 8] += 1 }   // last position
        let before = encoder(x, mask: .causal), after = encoder(perturbed, mask: .causal)
        assertClose(after.slice(alongAxis: 1, from: 0, to: 3), before.slice(alongAxis: 1, from: 0, to: 3), tolerance: 1e-6)
    }

    func testGradientsMatchFiniteDifferences() {
        let encoder = makeEncoder(modelSize: 4)
        let x = GradientCheck.randomInputs([[1, 3, 4]], seed: 75)
        // Tolerance 1e-2 relative-plus-absolute with ε = 1e-2.
        GradientCheck.assertModuleMatches(encoder, inputs: x) { encoder($0[0], mask: .causal) }
    }
}
