import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class SparseLinearRegressionTasksTests: XCTestCase {
    func testEveryTaskHasExactlyKNonZeroWeightsOnAUniformSupport() throws {
        let tasks = try SparseLinearRegressionTasks(inputDimension: 10, nonZeroCount: 3)
        var supportCounts = [Int](repeating: 0, count: 10)
        for task in sampleTasks(tasks, count: 400) {
            let weights = try XCTUnwrap(task as? LinearFunction).weights
            XCTAssertEqual(weights.count, 10)
            XCTAssertEqual(weights.filter { $0 != 0 }.count, 3)
            for (coordinate, weight) in weights.enumerated() where weight != 0 { supportCounts[coordinate] += 1 }
        }
        // Each coordinate is in the support with probability k/d = 0.3: 120 of 400 expected,
        // standard deviation √(400·0.3·0.7) ≈ 9.2; ±40 is over 4 standard deviations.
        for count in supportCounts { XCTAssertEqual(Double(count), 120, accuracy: 40) }
    }

    func testNonZeroValuesAreStandardNormal() throws {
        let tasks = try SparseLinearRegressionTasks(inputDimension: 8, nonZeroCount: 2)
        let values = sampleTasks(tasks, count: 1000).flatMap { ($0 as! LinearFunction).weights.filter { $0 != 0 } }
        XCTAssertEqual(values.count, 2000)
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)
        // Standard errors: mean ≈ 0.022, variance ≈ 0.032; tolerances are about 4 of them.
        XCTAssertEqual(mean, 0, accuracy: 0.1)
        XCTAssertEqual(variance, 1, accuracy: 0.13)
    }

    func testTargetsAreTheDotProductWithTheSparseWeights() throws {
        let tasks = try SparseLinearRegressionTasks(inputDimension: 6, nonZeroCount: 2, inputs: .uniform(low: -1, high: 1))
        let drawn = sampleTasks(tasks, count: 3)
        let batch = samplePrompts(tasks, tasks: drawn, pointCount: 5)
        for (row, task) in drawn.enumerated() {
            let weights = (task as! LinearFunction).weights
            for point in 0..<5 {
                let x = (0..<6).map { batch.inputs[row, point, $0] }
                XCTAssertTrue(x.allSatisfy { (-1..<1).contains($0) })
                let expected = zip(weights, x).map { Double($0) * Double($1) }.reduce(0, +)
                XCTAssertEqual(Double(batch.targets[row, point]), expected, accuracy: 1e-5)
            }
        }
    }

    func testNoiseHasTheStatedStandardDeviation() throws {
        let tasks = try SparseLinearRegressionTasks(inputDimension: 4, nonZeroCount: 1, noise: 0.5)
        let drawn = sampleTasks(tasks, count: 50)
        let batch = samplePrompts(tasks, tasks: drawn, pointCount: 40)
        var squaredResidual = 0.0
        for (row, task) in drawn.enumerated() {
            let weights = (task as! LinearFunction).weights
            for point in 0..<40 {
                let clean = (0..<4).map { Double(weights[$0] * batch.inputs[row, point, $0]) }.reduce(0, +)
                squaredResidual += pow(Double(batch.targets[row, point]) - clean, 2)
            }
        }
        // 2000 residuals: the sample variance 0.25 has standard error ≈ 0.008.
        XCTAssertEqual(squaredResidual / 2000, 0.25, accuracy: 0.035)
    }

    func testSameSeedGivesIdenticalBatches() throws {
        assertSeededBatchesRepeat(try SparseLinearRegressionTasks(inputDimension: 5, nonZeroCount: 2, noise: 0.1))
    }

    func testBadConfigurationsThrow() {
        assertInvalidConfiguration(try SparseLinearRegressionTasks(inputDimension: 0, nonZeroCount: 1), mentions: "inputDimension", "got 0")
        assertInvalidConfiguration(try SparseLinearRegressionTasks(inputDimension: 5, nonZeroCount: 0), mentions: "nonZeroCount", "got 0")
        assertInvalidConfiguration(try SparseLinearRegressionTasks(inputDimension: 5, nonZeroCount: 6), mentions: "nonZeroCount", "got 6")
        assertInvalidConfiguration(try SparseLinearRegressionTasks(inputDimension: 5, nonZeroCount: 2, noise: -1), mentions: "noise", "got -1")
        assertInvalidConfiguration(try SparseLinearRegressionTasks(inputDimension: 5, nonZeroCount: 2, inputs: .normal(standardDeviation: 0)),
                                   mentions: "standard deviation", "got 0")
        assertInvalidConfiguration(try SparseLinearRegressionTasks(inputDimension: 5, nonZeroCount: 2, inputs: .uniform(low: 1, high: 1)),
                                   mentions: "input range", "[1.0, 1.0)")
    }
}
