import MesaCore
import MesaNN
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class LinearSelfAttentionTests: XCTestCase {
    /// A 2-head layer on width-3 tokens, and random tokens `[2, 5, 3]`.
    func layerAndTokens(seed: UInt64 = 3) -> (LinearSelfAttention, Tensor) {
        var generator = RandomGenerator(seed: seed)
        let layer = LinearSelfAttention(tokenWidth: 3, headCount: 2, standardDeviation: 0.7, using: &generator)
        return (layer, Tensor.randomUniform([2, 5, 3], low: -1, high: 1, using: &generator))
    }

    func testContextWeightsAverageOverVisibleContextTokens() {
        // Prefix mask of 3 points (6 tokens, 3 contexts): context i sees contexts ≤ i, query i contexts < i.
        let weights = LinearSelfAttention.contextWeights(mask: .custom(PromptEncoding.prefixMask(pointCount: 3)), tokenCount: 6, contextCount: 3)
        XCTAssertEqual(weights.shape, [6, 6])
        XCTAssertEqual((0..<6).map { weights[2, $0] }, [1.0 / 3, 1.0 / 3, 1.0 / 3, 0, 0, 0].map { Float($0) })
        XCTAssertEqual((0..<6).map { weights[3, $0] }, [0, 0, 0, 0, 0, 0], "query 0 sees no context: no update")
        XCTAssertEqual((0..<6).map { weights[5, $0] }, [0.5, 0.5, 0, 0, 0, 0], "query 2 averages contexts 0 and 1, not itself")
        // No mask: every token averages all contexts.
        let full = LinearSelfAttention.contextWeights(mask: .none, tokenCount: 4, contextCount: 2)
        XCTAssertEqual(full.scalars, Array(repeating: [0.5, 0.5, 0, 0] as [Float], count: 4).flatMap { $0 })
    }

    /// The batched implementation against the formula `e_t + Σ_h W_V,h Σ_i e_i (e_iᵀ W_K,hᵀ W_Q,h e_t) / n_t`, in `Double`.
    func testMatchesTheFormulaTokenByToken() {
        let (layer, tokens) = layerAndTokens()
        let mask = PromptEncoding.prefixMask(pointCount: 2)                  // 4 tokens: 2 contexts, 2 queries
        let fourTokens = tokens.slice(alongAxis: 1, from: 0, to: 4)
        let weights = LinearSelfAttention.contextWeights(mask: .custom(mask), tokenCount: 4, contextCount: 2)
        let output = withoutGradients { layer(fourTokens, contextWeights: weights) }
        let (q, k, v) = (layer.queryWeights.value, layer.keyWeights.value, layer.valueWeights.value)
        func apply(_ m: Tensor, _ h: Int, _ e: [Double]) -> [Double] {   // W_h e
            (0..<3).map { row in (0..<3).reduce(0) { $0 + Double(m[h, row, $1]) * e[$1] } }
        }
        for b in 0..<2 {
            let e = (0..<4).map { t in (0..<3).map { Double(fourTokens[b, t, $0]) } }
            for t in 0..<4 {
                let visible = (0..<2).filter { mask[t, $0] == 1 }
                var expected = e[t]
                for h in 0..<2 {
                    var sum = [Double](repeating: 0, count: 3)
                    for i in visible {
                        let score = zip(apply(k, h, e[i]), apply(q, h, e[t])).reduce(0) { $0 + $1.0 * $1.1 }
                        for c in 0..<3 { sum[c] += e[i][c] * score / Double(max(visible.count, 1)) }
                    }
                    let update = apply(v, h, sum)
                    for c in 0..<3 { expected[c] += update[c] }
                }
                for c in 0..<3 { XCTAssertEqual(Double(output[b, t, c]), expected[c], accuracy: 1e-5, "batch \(b) token \(t) feature \(c)") }
            }
        }
    }

    func testGradientsMatchFiniteDifferences() {
        let (layer, tokens) = layerAndTokens()
        let weights = LinearSelfAttention.contextWeights(mask: .custom(PromptEncoding.prefixMask(pointCount: 2)), tokenCount: 4, contextCount: 2)
        let inputs = [tokens.slice(alongAxis: 1, from: 0, to: 4)] + layer.parameters.map { $0.value.detached() }
        GradientCheck.assertMatches({ values in
            layer(substituting: Array(values.dropFirst())) { layer(values[0], contextWeights: weights) }
        }, at: inputs, epsilon: 1e-2, tolerance: 1e-2)
    }

    func testParametersAreNamedAndShaped() {
        let (layer, _) = layerAndTokens()
        XCTAssertEqual(layer.namedParameters.map(\.name), ["queryWeights", "keyWeights", "valueWeights"])
        XCTAssertEqual(layer.parameters.map(\.shape), [[2, 3, 3], [2, 3, 3], [2, 3, 3]])
        XCTAssertEqual(layer.headCount, 2)
        XCTAssertEqual(layer.tokenWidth, 3)
    }
}
