import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

/// The fused inference path (inside `withoutGradients`) against the recorded, differentiable path.
final class TransformerEncoderLayerInferenceTests: XCTestCase {
    private typealias Placement = TransformerEncoderLayer.NormalizationPlacement

    private func makeLayer(_ placement: Placement, activation: Activation, seed: UInt64,
                           modelSize: Int = 16, headCount: Int = 4, feedForwardSize: Int = 24) -> TransformerEncoderLayer {
        var generator = RandomGenerator(seed: seed)
        let layer = TransformerEncoderLayer(modelSize: modelSize, headCount: headCount, feedForwardSize: feedForwardSize,
                                            activation: activation, placement: placement, using: &generator)
        // Non-trivial norms and biases everywhere, so a misplaced term shows.
        for parameter in layer.parameters where parameter.shape.count == 1 {
            parameter.assign(.randomUniform(parameter.shape, low: 0.5, high: 1.5, using: &generator))
        }
        return layer
    }

    private func assertFusedMatchesRecorded(_ layer: TransformerEncoderLayer, _ x: Tensor, mask: AttentionMask = .none,
                                            _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let recorded = layer(x, mask: mask)                       // gradients recorded: the composed path
        XCTAssertTrue(recorded.requiresGradient, message, file: file, line: line)
        let fused = withoutGradients { layer(x, mask: mask) }
        XCTAssertFalse(fused.requiresGradient, message, file: file, line: line)
        assertClose(fused, recorded.detached(), tolerance: 2e-5, message, file: file, line: line)
    }

    func testFusedPathMatchesRecordedPathAcrossPlacementsActivationsMasksAndBatchSizes() {
        var seed: UInt64 = 700
        for placement in [Placement.post, .pre] {
            for activation in [Activation.relu, .gelu, .identity] {
                // Batch 1 splits heads and rows across threads; larger batches run whole sequences.
                for shape in [[1, 7, 16], [3, 7, 16], [5, 33, 16], [2, 2, 7, 16], [9, 16]] {
                    for mask in [AttentionMask.none, .causal] {
                        seed += 1
                        let layer = makeLayer(placement, activation: activation, seed: seed)
                        let x = GradientCheck.randomInputs([shape], seed: seed)[0]
                        assertFusedMatchesRecorded(layer, x, mask: mask, "\(placement) \(activation) \(shape) \(mask)")
                    }
                }
            }
        }
    }

    func testFusedPathWithCustomMaskAndOddHeadSplit() {
        var generator = RandomGenerator(seed: 720)
        // Three heads over two threads: the head groups are uneven.
        let layer = makeLayer(.post, activation: .relu, seed: 721, modelSize: 12, headCount: 3, feedForwardSize: 20)
        let x = Tensor.randomNormal([1, 6, 12], using: &generator)
        let custom = Tensor.randomBernoulli([6, 6], probability: 0.5, using: &generator).maskedFill(where: Tensor.eye(6), with: 1)
        assertFusedMatchesRecorded(layer, x, mask: .custom(custom), "custom [6, 6]")
        assertFusedMatchesRecorded(layer, x, mask: .custom(custom.reshaped(to: [1, 1, 6, 6])), "custom [1, 1, 6, 6]")
    }

    func testSameResultWithOneThreadAndWithSeveral() {
        let layer = makeLayer(.pre, activation: .gelu, seed: 730)
        let x = GradientCheck.randomInputs([[2, 9, 16]], seed: 731)[0]
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        Parallelism.threadCount = 1
        let serial = withoutGradients { layer(x) }
        for threads in [2, 3, 4] {
            Parallelism.threadCount = threads
            assertClose(withoutGradients { layer(x) }, serial, tolerance: 1e-6, "\(threads) threads")
        }
    }

    func testActiveDropoutAndUnfusedActivationsTakeTheGeneralPath() {
        var generator = RandomGenerator(seed: 740)
        let dropping = TransformerEncoderLayer(modelSize: 8, headCount: 2, feedForwardSize: 8, dropout: 0.5, using: &generator)
        let x = GradientCheck.randomInputs([[2, 3, 8]], seed: 741)[0]
        // While training, dropout draws a fresh mask per call: two calls differ.
        let first = withoutGradients { dropping(x) }, second = withoutGradients { dropping(x) }
        XCTAssertFalse(first.isApproximatelyEqual(to: second, tolerance: 1e-3))
        dropping.setTraining(false)
        assertFusedMatchesRecorded(dropping, x, "dropout in evaluation mode")

        let tanhLayer = makeLayer(.post, activation: .tanh, seed: 742, modelSize: 8, headCount: 2, feedForwardSize: 8)
        XCTAssertNil(tanhLayer.fusedParameters)
        assertFusedMatchesRecorded(tanhLayer, x, "tanh (general path)")
    }
}
