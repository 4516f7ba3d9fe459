import Foundation
import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

final class MultiHeadAttentionMomentumTests: XCTestCase {
    private func makeAttention(momentum: Float?, modelSize: Int = 6, seed: UInt64 = 61) -> MultiHeadAttention {
        var generator = RandomGenerator(seed: seed)
        let attention = MultiHeadAttention(modelSize: modelSize, headCount: 2, using: &generator)
        attention.momentum = momentum
        return attention
    }

    func testMomentumWeightsAreDecayingPowersOfEarlierPositions() {
        let weights = MultiHeadAttention.momentumWeights(decay: 0.5, queryCount: 4, keyCount: 4, mask: nil)
        XCTAssertEqual(weights.scalars, [0, 0, 0, 0,
                                         0.5, 0, 0, 0,
                                         0.25, 0.5, 0, 0,
                                         0.125, 0.25, 0.5, 0])
        let masked = MultiHeadAttention.momentumWeights(decay: 0.5, queryCount: 3, keyCount: 3,
                                                        mask: Tensor(shape: [3, 3], scalars: [1, 0, 0, 0, 1, 0, 1, 0, 1]))
        XCTAssertEqual(masked.scalars, [0, 0, 0, 0, 0, 0, 0.25, 0, 0], "a blocked key stays out of the average")
    }

    /// MoAttn(V, K, q_t) = Attn(V, K, q_t) + Σ_{i<t} η^{t−i} v_i, written out with the standard layer's own parts.
    func testMomentumAttentionAddsTheMovingAverageOfTheValuesBeforeTheOutputProjection() {
        let momentum = makeAttention(momentum: 0.8), standard = makeAttention(momentum: nil)
        let x = GradientCheck.randomInputs([[2, 5, 6]], seed: 62)[0]
        let v = standard.value(x)
        var expected = [Float](repeating: 0, count: 2 * 5 * 6)
        for b in 0..<2 {
            for t in 0..<5 {
                for i in 0..<t {
                    for f in 0..<6 { expected[(b * 5 + t) * 6 + f] += Float(Foundation.pow(0.8, Double(t - i))) * v[b, i, f] }
                }
            }
        }
        let ema = Tensor(shape: [2, 5, 6], scalars: expected)
        let difference = momentum(x, mask: .causal) - standard(x, mask: .causal)          // W_O · EMA(V)
        let projected = Tensor.matmul(ema, standard.output.weight.value, transposeB: true)
        assertClose(difference, projected, tolerance: 1e-5)
    }

    func testGradientsMatchFiniteDifferences() {
        let attention = makeAttention(momentum: 0.7, modelSize: 4)
        let x = GradientCheck.randomInputs([[1, 4, 4]], seed: 63)[0]
        GradientCheck.assertModuleMatches(attention, inputs: [x], "momentum attention, causal") { attention($0[0], mask: .causal) }
    }

    func testOutputsDoNotDependOnLaterPositions() {
        let attention = makeAttention(momentum: 0.9)
        let x = GradientCheck.randomInputs([[1, 6, 6]], seed: 64)[0]
        let before = attention(x, mask: .causal)
        var changed = x
        changed.withUnsafeMutableBufferPointer { buffer in for f in 0..<6 { buffer[4 * 6 + f] += 3 } }   // position 4
        let after = attention(changed, mask: .causal)
        for t in 0..<6 {
            let same = (0..<6).allSatisfy { before[0, t, $0] == after[0, t, $0] }
            XCTAssertEqual(same, t < 4, "position \(t)")
        }
    }

    func testTheInferencePathKeepsTheMomentum() {
        var generator = RandomGenerator(seed: 65)
        let layer = TransformerEncoderLayer(modelSize: 6, headCount: 2, feedForwardSize: 8, activation: .gelu, placement: .pre, using: &generator)
        layer.attention.momentum = 0.6
        XCTAssertNil(layer.fusedParameters, "the fused kernel knows no momentum")
        let x = GradientCheck.randomInputs([[2, 5, 6]], seed: 66)[0]
        let recorded = layer(x.requiringGradient(), mask: .causal).detached()
        assertClose(withoutGradients { layer(x, mask: .causal) }, recorded, tolerance: 1e-5)
    }
}
