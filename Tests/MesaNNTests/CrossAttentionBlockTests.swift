import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

final class CrossAttentionBlockTests: XCTestCase {
    private func makeBlock(modelSize: Int = 4) -> CrossAttentionBlock {
        var generator = RandomGenerator(seed: 71)
        let block = CrossAttentionBlock(modelSize: modelSize, headCount: 2, feedForwardSize: 2 * modelSize, using: &generator)
        // Non-trivial norms, so the test sees where each one acts.
        for parameter in [block.queryNorm.weight, block.contextNorm.bias, block.feedForwardNorm.weight] {
            parameter.assign(.randomUniform(parameter.shape, low: 0.5, high: 1.5, using: &generator))
        }
        return block
    }

    func testMatchesTheFormula() {
        let block = makeBlock(modelSize: 8)
        let inputs = GradientCheck.randomInputs([[2, 3, 8], [2, 5, 8]], seed: 72)
        let (x, y) = (inputs[0], inputs[1])
        let context = block.contextNorm(y)
        let attended = x + block.attention(query: block.queryNorm(x), key: context, value: context)
        let expected = attended + block.feedForwardOut(block.feedForwardIn(block.feedForwardNorm(attended)).gelu())
        assertClose(block(x, context: y), expected, tolerance: 1e-6)
        XCTAssertEqual(block(x, context: y).shape, [2, 3, 8])
    }

    /// The output of a query does not depend on the other queries.
    func testQueriesAreIndependent() {
        let block = makeBlock(modelSize: 8)
        let inputs = GradientCheck.randomInputs([[1, 4, 8], [1, 6, 8]], seed: 73)
        let alone = block(inputs[0].slice(alongAxis: 1, from: 0, to: 1), context: inputs[1])
        assertClose(block(inputs[0], context: inputs[1]).slice(alongAxis: 1, from: 0, to: 1), alone, tolerance: 1e-5)
    }

    func testGradientsMatchFiniteDifferences() {
        let block = makeBlock()
        let inputs = GradientCheck.randomInputs([[2, 3, 4], [2, 2, 4]], seed: 74)
        GradientCheck.assertModuleMatches(block, inputs: inputs) { block($0[0], context: $0[1]) }
    }
}
