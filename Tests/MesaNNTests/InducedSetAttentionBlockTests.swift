import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

final class InducedSetAttentionBlockTests: XCTestCase {
    private func makeBlock(modelSize: Int = 4, inducing: Int = 3) -> InducedSetAttentionBlock {
        var generator = RandomGenerator(seed: 81)
        return InducedSetAttentionBlock(modelSize: modelSize, headCount: 2, inducingPointCount: inducing, feedForwardSize: 2 * modelSize,
                                        using: &generator)
    }

    func testIsTheTwoAttentionBlocksThroughTheInducingPoints() {
        let block = makeBlock(modelSize: 8)
        let x = GradientCheck.randomInputs([[2, 5, 8]], seed: 82)[0]
        let summary = block.summarise(block.inducingPoints.value.reshaped(to: [1, 3, 8]).broadcast(to: [2, 3, 8]), context: x)
        assertClose(block(x), block.broadcast(x, context: summary), tolerance: 1e-6)
    }

    /// Permuting the set permutes the output (equivariance), and with a context prefix an element
    /// after it changes its own output only.
    func testEquivarianceAndContextPrefix() {
        let block = makeBlock(modelSize: 8)
        let x = GradientCheck.randomInputs([[1, 6, 8]], seed: 83)[0]
        let order = [2, 0, 1, 5, 3, 4]
        let permuted = Tensor.concatenate(order.map { x.slice(alongAxis: 1, from: $0, to: $0 + 1) }, alongAxis: 1)
        let output = block(x)
        assertClose(block(permuted), Tensor.concatenate(order.map { output.slice(alongAxis: 1, from: $0, to: $0 + 1) }, alongAxis: 1),
                    tolerance: 1e-5)
        var changed = x.scalars
        for k in 0..<8 { changed[5 * 8 + k] += Float(k) * 0.3 - 1 }
        let before = block(x, contextCount: 3), after = block(Tensor(shape: [1, 6, 8], scalars: changed), contextCount: 3)
        assertClose(after.slice(alongAxis: 1, from: 0, to: 5), before.slice(alongAxis: 1, from: 0, to: 5), tolerance: 1e-6)
        XCTAssertFalse(after.slice(alongAxis: 1, from: 5).isApproximatelyEqual(to: before.slice(alongAxis: 1, from: 5), tolerance: 1e-3))
        // Without the prefix every output reads every element.
        let full = block(Tensor(shape: [1, 6, 8], scalars: changed))
        XCTAssertFalse(full.slice(alongAxis: 1, from: 0, to: 1).isApproximatelyEqual(to: output.slice(alongAxis: 1, from: 0, to: 1), tolerance: 1e-5))
    }

    func testGradientsMatchFiniteDifferences() {
        let block = makeBlock()
        let x = GradientCheck.randomInputs([[2, 4, 4]], seed: 84)[0]
        GradientCheck.assertModuleMatches(block, inputs: [x]) { block($0[0], contextCount: 3) }
    }
}
