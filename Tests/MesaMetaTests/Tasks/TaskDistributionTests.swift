import MesaCore
@testable import MesaMeta
import XCTest

/// The generic sampling of ``TaskDistribution``: options applied in the documented order.
final class TaskDistributionTests: XCTestCase {
    func testSamplingOptionsScaleMaskAndAddNoise() throws {
        let tasks = try LinearRegressionTasks(inputDimension: 4)
        var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
        let plain = tasks.sample(batchSize: 3, pointCount: 5, using: &a)
        let scaled = tasks.sample(batchSize: 3, pointCount: 5, options: SamplingOptions(activeDimensions: 2, inputScale: 3), using: &b)
        XCTAssertEqual(scaled.activeDimensions, 2)
        for task in 0..<3 {
            for point in 0..<5 {
                XCTAssertEqual(scaled.inputs[task, point, 1], 3 * plain.inputs[task, point, 1], accuracy: 1e-5)
                XCTAssertEqual(scaled.inputs[task, point, 3], 0)
            }
        }
        // One task: its weights and inputs are drawn before the noise, so they match the clean draw.
        var c = RandomGenerator(seed: 9)
        let noisy = tasks.sample(batchSize: 1, pointCount: 1000, options: SamplingOptions(addedNoise: 2), using: &c)
        var d = RandomGenerator(seed: 9)
        let clean = tasks.sample(batchSize: 1, pointCount: 1000, using: &d)
        XCTAssertTrue(noisy.inputs.isApproximatelyEqual(to: clean.inputs, tolerance: 0), "noise leaves the inputs alone")
        let residual = noisy.targets - clean.targets
        let variance = (residual * residual).mean().scalar
        XCTAssertEqual(variance, 4, accuracy: 0.5, "added noise has σ² = 4 (1000 draws, ±0.5)")
    }

    func testPrefixKeepsTheFirstPoints() throws {
        var generator = RandomGenerator(seed: 1)
        let batch = try LinearRegressionTasks(inputDimension: 2).sample(batchSize: 2, pointCount: 6, using: &generator)
        let prefix = batch.prefix(3)
        XCTAssertEqual(prefix.inputs.shape, [2, 3, 2])
        XCTAssertEqual(prefix.targets[1, 2], batch.targets[1, 2])
    }
}
