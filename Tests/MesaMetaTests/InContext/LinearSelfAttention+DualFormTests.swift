import Foundation
import MesaCore
@testable import MesaMeta
import MesaNN
import XCTest

final class LinearSelfAttentionDualFormTests: XCTestCase {
    /// Dai et al. 2023's identity on random weights: the layer's update of a query token that
    /// attends to n demonstrations equals Σ_h ΔW_h q_h / n with ΔW_h = Σᵢ vᵢ kᵢᵀ.
    func testTheLayerUpdateEqualsTheDemonstrationUpdateAppliedToTheQuery() {
        for (seed, heads) in [(UInt64(1), 1), (2, 2), (3, 3)] {
            var generator = RandomGenerator(seed: seed)
            let (n, d) = (7, 5)
            let layer = LinearSelfAttention(tokenWidth: d, headCount: heads, standardDeviation: 0.7, using: &generator)
            let tokens = Tensor.randomNormal([1, n + 1, d], using: &generator)                   // n demonstrations, then the query
            let weights = LinearSelfAttention.contextWeights(mask: .none, tokenCount: n + 1, contextCount: n)
            let layerUpdate = (layer(tokens, contextWeights: weights) - tokens).slice(alongAxis: 1, from: n, to: n + 1).reshaped(to: [d])
            let demonstrations = tokens.slice(alongAxis: 1, from: 0, to: n).reshaped(to: [n, d])
            let query = tokens.slice(alongAxis: 1, from: n, to: n + 1).reshaped(to: [d])
            let dual = layer.dualFormUpdate(of: query, demonstrations: demonstrations)
            for (a, b) in zip(layerUpdate.scalars, dual.scalars) {
                XCTAssertEqual(a, b, accuracy: 1e-5 * (1 + abs(b)), "seed \(seed), \(heads) heads: float precision")
            }
        }
    }

    /// ΔW = Σᵢ vᵢ kᵢᵀ is one gradient-descent step (learning rate 1, from W = 0) on the linear
    /// layer W with loss L(W) = −Σᵢ vᵢᵀ W kᵢ, the "meta-gradient" of Dai et al. §3.
    func testTheDemonstrationUpdateIsAGradientDescentStepOfALinearLayer() {
        var generator = RandomGenerator(seed: 4)
        let (n, d) = (6, 4)
        let layer = LinearSelfAttention(tokenWidth: d, headCount: 1, standardDeviation: 0.8, using: &generator)
        let demonstrations = Tensor.randomNormal([n, d], using: &generator)
        let keys = Tensor.matmul(demonstrations, layer.keyWeights.value.reshaped(to: [d, d]), transposeB: true)     // [n, D]: kᵢ
        let values = Tensor.matmul(demonstrations, layer.valueWeights.value.reshaped(to: [d, d]), transposeB: true) // [n, D]: vᵢ
        let w = Tensor.zeros([d, d]).requiringGradient()
        let loss = -(values * Tensor.matmul(keys, w, transposeB: true)).sum()                                      // −Σᵢ vᵢᵀ W kᵢ
        let step = -gradients(of: loss, withRespectTo: [w])[0]
        let update = layer.demonstrationUpdate(demonstrations: demonstrations).reshaped(to: [d, d])
        for (a, b) in zip(step.scalars, update.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5 * (1 + abs(b))) }
    }
}
