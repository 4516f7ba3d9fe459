import MesaCore
@testable import MesaMeta
import MesaTestSupport
import XCTest

/// Tiny tensors: single-threaded (see ``SingleThreadedTestCase``).
final class TrainedNetworkPredictorTests: SingleThreadedTestCase {

    /// Noise-free lines `y = a x` in one dimension (slopes 2, −1, 0.5, 3; x uniform in [−2, 2]):
    /// the network fitted to the first points predicts the next target far better than the
    /// prior guess 0, its squared error over prefixes 3…7 below a quarter of that of predicting 0.
    func testFitsASimpleTaskBetterThanPredictingZero() throws {
        var generator = RandomGenerator(seed: 11)
        let slopes: [Float] = [2, -1, 0.5, 3]
        let x = slopes.map { _ in (0..<8).map { _ in [4 * generator.nextUniform() - 2] } }
        let batch = TaskBatch.fixture(inputs: x, targets: zip(slopes, x).map { slope, points in points.map { slope * $0[0] } })
        let network = try TrainedNetworkPredictor(hiddenSize: 16, steps: 40, learningRate: 0.05, seed: 1)
        let predictions = network.predictions(for: batch)
        XCTAssertEqual(predictions.shape, [4, 8])
        XCTAssertFalse(predictions.requiresGradient)
        var networkError: Float = 0, zeroError: Float = 0
        for task in 0..<4 {
            XCTAssertEqual(predictions[task, 0], 0)
            for i in 3..<8 {
                networkError += (predictions[task, i] - batch.targets[task, i]) * (predictions[task, i] - batch.targets[task, i])
                zeroError += batch.targets[task, i] * batch.targets[task, i]
            }
        }
        XCTAssertLessThan(networkError, 0.25 * zeroError)
    }

    /// Tasks train independently: a prompt's predictions do not depend on the other prompts of
    /// the batch (only on the seed and its own pairs). Tolerance 1e-5.
    func testPromptsTrainIndependently() throws {
        let batch = try TaskBatch.linear(tasks: 3, points: 5, dimension: 2, seed: 12)
        let network = try TrainedNetworkPredictor(hiddenSize: 8, steps: 20, seed: 2)
        var changed = batch
        changed.targets = batch.targets + Tensor.oneHot([0], classCount: 3).reshaped(to: [3, 1]) * 4   // only task 0 changes
        let (before, after) = (network.predictions(for: batch), network.predictions(for: changed))
        for task in 1..<3 {
            for i in 0..<5 { XCTAssertEqual(before[task, i], after[task, i], accuracy: 1e-5) }
        }
        XCTAssertNotEqual(before[0, 4], after[0, 4])
    }
}
