import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class GaussianProcessTasksTests: XCTestCase {
    /// Four fixed inputs in two dimensions, at distances comparable to the length scale.
    let inputs: [Float] = [0, 0, 0.5, 0, 0, 1, 2, 2]

    func kernel(_ i: Int, _ j: Int, lengthScale: Double, signalVariance: Double) -> Double {
        let dx = Double(inputs[2 * i] - inputs[2 * j]), dy = Double(inputs[2 * i + 1] - inputs[2 * j + 1])
        return signalVariance * exp(-(dx * dx + dy * dy) / (2 * lengthScale * lengthScale))
    }

    func testEmpiricalCovarianceMatchesTheKernel() throws {
        let tasks = try GaussianProcessTasks(inputDimension: 2, lengthScale: 0.8, signalVariance: 2)
        var generator = RandomGenerator(seed: 1)
        let drawCount = 3000
        var sums = [Double](repeating: 0, count: 16), means = [Double](repeating: 0, count: 4)
        for _ in 0..<drawCount {
            let y = tasks.sampleTask(using: &generator).targets(for: inputs, count: 4, using: &generator).map(Double.init)
            for i in 0..<4 {
                means[i] += y[i] / Double(drawCount)
                for j in 0..<4 { sums[i * 4 + j] += y[i] * y[j] / Double(drawCount) }
            }
        }
        // With s² = 2 the empirical second moment has standard error ≤ s²·√(2/3000) ≈ 0.052 and
        // the mean ≤ √(2/3000) ≈ 0.026; the tolerances are about 4 standard errors.
        for i in 0..<4 {
            XCTAssertEqual(means[i], 0, accuracy: 0.1)
            for j in 0..<4 {
                XCTAssertEqual(sums[i * 4 + j], kernel(i, j, lengthScale: 0.8, signalVariance: 2), accuracy: 0.2, "entry (\(i), \(j))")
            }
        }
    }

    func testCholeskyFactorReproducesTheKernelMatrix() {
        let f = GaussianProcessFunction(inputDimension: 2, lengthScale: 1.5, signalVariance: 1, seed: 9)
        let factor = f.choleskyFactor(for: inputs, count: 4)
        for i in 0..<4 {
            for j in 0..<4 {
                let product = (0..<4).map { factor[i * 4 + $0] * factor[j * 4 + $0] }.reduce(0, +)
                XCTAssertEqual(product, kernel(i, j, lengthScale: 1.5, signalVariance: 1) + (i == j ? 1e-8 : 0), accuracy: 1e-12)
                if j > i { XCTAssertEqual(factor[i * 4 + j], 0) }
            }
        }
    }

    func testATaskIsRepeatableAndPrefixConsistent() throws {
        let task = sampleTasks(try GaussianProcessTasks(inputDimension: 2, lengthScale: 1), count: 1)[0]
        var generator = RandomGenerator(seed: 0)
        let all = task.targets(for: inputs, count: 4, using: &generator)
        XCTAssertEqual(task.targets(for: inputs, count: 4, using: &generator), all)
        let prefix = task.targets(for: Array(inputs.prefix(4)), count: 2, using: &generator)
        XCTAssertEqual(prefix[0], all[0], accuracy: 1e-6)
        XCTAssertEqual(prefix[1], all[1], accuracy: 1e-6)
    }

    func testRepeatedInputsGiveEqualValues() throws {
        // With no active dimensions every input is 0, so K is the rank-one s²·11ᵀ: the jitter keeps
        // the factorisation going and all values coincide up to √jitter.
        let tasks = try GaussianProcessTasks(inputDimension: 3, lengthScale: 1, signalVariance: 4)
        var generator = RandomGenerator(seed: 2)
        let batch = tasks.sample(batchSize: 3, pointCount: 30, options: SamplingOptions(activeDimensions: 0), using: &generator)
        for row in 0..<3 {
            for point in 1..<30 { XCTAssertEqual(batch.targets[row, point], batch.targets[row, 0], accuracy: 1e-2) }
        }
        XCTAssertTrue(batch.targets.scalars.allSatisfy(\.isFinite))
    }

    func testNoiseIsAddedOnTopOfTheDraw() throws {
        let noisy = try GaussianProcessTasks(inputDimension: 2, lengthScale: 1, noise: 0.3)
        let task = sampleTasks(noisy, count: 1)[0] as! GaussianProcessFunction
        var clean = task
        clean.noise = 0
        var generator = RandomGenerator(seed: 5), unused = RandomGenerator(seed: 5)
        var squared = 0.0
        for _ in 0..<500 {
            let y = task.targets(for: inputs, count: 4, using: &generator), f = clean.targets(for: inputs, count: 4, using: &unused)
            squared += zip(y, f).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +)
        }
        // 2000 residuals of variance 0.09 (relative standard error ≈ 3 %).
        XCTAssertEqual(squared / 2000, 0.09, accuracy: 0.012)
    }

    func testSameSeedGivesIdenticalBatches() throws {
        assertSeededBatchesRepeat(try GaussianProcessTasks(inputDimension: 2, lengthScale: 0.5, noise: 0.1, inputs: .uniform(low: -1, high: 1)))
    }

    func testBadConfigurationsThrow() {
        assertInvalidConfiguration(try GaussianProcessTasks(inputDimension: 0, lengthScale: 1), mentions: "inputDimension", "got 0")
        assertInvalidConfiguration(try GaussianProcessTasks(inputDimension: 1, lengthScale: 0), mentions: "lengthScale", "got 0")
        assertInvalidConfiguration(try GaussianProcessTasks(inputDimension: 1, lengthScale: 1, signalVariance: -1), mentions: "signalVariance", "got -1")
        assertInvalidConfiguration(try GaussianProcessTasks(inputDimension: 1, lengthScale: 1, noise: -0.1), mentions: "noise", "got -0.1")
        assertInvalidConfiguration(try GaussianProcessTasks(inputDimension: 1, lengthScale: 1, inputs: .uniform(low: 2, high: -2)),
                                   mentions: "input range", "[2.0, -2.0)")
    }
}
