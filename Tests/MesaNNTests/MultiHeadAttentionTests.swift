import Foundation
import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

final class MultiHeadAttentionTests: XCTestCase {
    private func makeAttention(modelSize: Int = 6, headCount: Int = 3, seed: UInt64 = 51) -> MultiHeadAttention {
        var generator = RandomGenerator(seed: seed)
        let attention = MultiHeadAttention(modelSize: modelSize, headCount: headCount, using: &generator)
        // PyTorch initialises the biases to zero; randomise them so the test sees them used.
        for parameter in attention.parameters where parameter.shape.count == 1 {
            parameter.assign(.randomUniform(parameter.shape, low: -0.5, high: 0.5, using: &generator))
        }
        return attention
    }

    /// Multi-head attention with plain loops over batch, head, query and key.
    /// `allowed(b, i, j)` says whether query `i` of batch element `b` may see key `j`.
    private func naiveAttention(_ attention: MultiHeadAttention, query: Tensor, key: Tensor, value: Tensor,
                                allowed: (Int, Int, Int) -> Bool) -> Tensor {
        let (batch, queries, keys) = (query.shape[0], query.shape[1], key.shape[1])
        let d = attention.modelSize, heads = attention.headCount, size = attention.headSize
        func project(_ x: Tensor, _ layer: Linear) -> [[[Float]]] {   // [batch][position][feature]
            let w = layer.weight.value, b = layer.bias!.value
            return (0..<x.shape[0]).map { n in
                (0..<x.shape[1]).map { t in
                    (0..<d).map { o in (0..<d).reduce(b[o]) { $0 + w[o, $1] * x[n, t, $1] } }
                }
            }
        }
        let q = project(query, attention.query), k = project(key, attention.key), v = project(value, attention.value)
        var merged = [Float](repeating: 0, count: batch * queries * d)
        for n in 0..<batch {
            for h in 0..<heads {
                for i in 0..<queries {
                    var scores = [Float](repeating: 0, count: keys)
                    for j in 0..<keys {
                        var dot: Float = 0
                        for f in 0..<size { dot += q[n][i][h * size + f] * k[n][j][h * size + f] }
                        scores[j] = allowed(n, i, j) ? dot / Float(size).squareRoot() : -.infinity
                    }
                    let maximum = scores.max()!
                    let weights = scores.map { Foundation.exp($0 - maximum) }
                    let total = weights.reduce(0, +)
                    for f in 0..<size {
                        var sum: Float = 0
                        for j in 0..<keys { sum += weights[j] / total * v[n][j][h * size + f] }
                        merged[(n * queries + i) * d + h * size + f] = sum
                    }
                }
            }
        }
        return attention.output(Tensor(shape: [batch, queries, d], scalars: merged))
    }

    func testMatchesNaiveLoopsWithoutMask() {
        let attention = makeAttention()
        let inputs = GradientCheck.randomInputs([[2, 3, 6], [2, 4, 6], [2, 4, 6]], seed: 52)
        let expected = naiveAttention(attention, query: inputs[0], key: inputs[1], value: inputs[2]) { _, _, _ in true }
        // Float32 sums of a few dozen terms: 1e-5 relative-plus-absolute.
        assertClose(attention(query: inputs[0], key: inputs[1], value: inputs[2]), expected, tolerance: 1e-5)
        let x = inputs[1]
        assertClose(attention(x), naiveAttention(attention, query: x, key: x, value: x) { _, _, _ in true }, tolerance: 1e-5)
    }

    func testMatchesNaiveLoopsWithCausalMask() {
        let attention = makeAttention()
        let x = GradientCheck.randomInputs([[2, 5, 6]], seed: 53)[0]
        let expected = naiveAttention(attention, query: x, key: x, value: x) { _, i, j in j <= i }
        assertClose(attention(x, mask: .causal), expected, tolerance: 1e-5)
    }

    func testMatchesNaiveLoopsWithCustomMask() {
        let attention = makeAttention()
        let inputs = GradientCheck.randomInputs([[2, 3, 6], [2, 4, 6]], seed: 54)
        // A per-batch-element pattern [batch, 1, queries, keys]; every query sees at least one key.
        var generator = RandomGenerator(seed: 55)
        var mask = Tensor.randomBernoulli([2, 1, 3, 4], probability: 0.5, using: &generator)
        mask.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<(2 * 3) { buffer[row * 4 + row % 4] = 1 }
        }
        let expected = naiveAttention(attention, query: inputs[0], key: inputs[1], value: inputs[1]) { n, i, j in
            mask[n, 0, i, j] == 1
        }
        assertClose(attention(query: inputs[0], key: inputs[1], value: inputs[1], mask: .custom(mask)), expected, tolerance: 1e-5)
    }

    func testUnbatchedInputMatchesBatchOfOne() {
        let attention = makeAttention()
        let x = GradientCheck.randomInputs([[4, 6]], seed: 56)[0]
        let unbatched = attention(x, mask: .causal)
        XCTAssertEqual(unbatched.shape, [4, 6])
        assertClose(unbatched, attention(x.unsqueezed(at: 0), mask: .causal).squeezed(at: 0))
    }

    func testInitialisationMatchesPyTorch() {
        var generator = RandomGenerator(seed: 57)
        let attention = MultiHeadAttention(modelSize: 8, headCount: 2, using: &generator)
        XCTAssertEqual(attention.namedParameters.map(\.name), [
            "query.weight", "query.bias", "key.weight", "key.bias",
            "value.weight", "value.bias", "output.weight", "output.bias",
        ])
        XCTAssertEqual(attention.headSize, 4)
        // Xavier-uniform over the stacked [24, 8] input projection: bound √(6 / 32); output: 1/√8.
        let inputBound = (Float(6) / 32).squareRoot(), outputBound = 1 / Float(8).squareRoot()
        for projection in [attention.query, attention.key, attention.value] {
            XCTAssertTrue(projection.weight.value.scalars.allSatisfy { abs($0) <= inputBound })
        }
        XCTAssertTrue(attention.output.weight.value.scalars.allSatisfy { abs($0) <= outputBound })
        XCTAssertTrue(attention.parameters.filter { $0.shape == [8] }.allSatisfy { $0.value.scalars.allSatisfy { $0 == 0 } })
    }

    func testGradientsMatchFiniteDifferences() {
        let attention = makeAttention(modelSize: 4, headCount: 2)
        let inputs = GradientCheck.randomInputs([[2, 3, 4]], seed: 58)
        // Tolerance 1e-2 relative-plus-absolute, ε = 1e-2 (softmax is smooth: error O(ε²)).
        GradientCheck.assertModuleMatches(attention, inputs: inputs) { attention($0[0], mask: .causal) }
        let cross = GradientCheck.randomInputs([[1, 2, 4], [1, 3, 4], [1, 3, 4]], seed: 59)
        GradientCheck.assertModuleMatches(attention, inputs: cross) { attention(query: $0[0], key: $0[1], value: $0[2]) }
    }

    func testWrongFeatureSizeThrowsNamingShapes() {
        let attention = makeAttention()
        let good = Tensor.zeros([2, 3, 6]), bad = Tensor.zeros([2, 3, 5])
        for call in [{ attention(bad) }, { attention(query: good, key: bad, value: good) }] {
            XCTAssertThrowsError(try withTensorErrors(call)) { error in
                guard let error = error as? TensorError else { return XCTFail("not a TensorError: \(error)") }
                XCTAssertEqual(error.kind, .shapeMismatch)
                XCTAssertTrue(error.message.contains("[2, 3, 5]") && error.message.contains("[6, 6]"), error.message)
            }
        }
    }
}
