import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class FourierSeriesTasksTests: XCTestCase {
    /// The series, written out independently of the library in `Double`.
    func series(_ f: FourierSeriesFunction, at x: Double) -> Double {
        var sum = Double(f.constant)
        for n in 1...f.cosineCoefficients.count {
            let angle = Double(n) * Double.pi * x / Double(f.halfRange)
            sum += Double(f.cosineCoefficients[n - 1]) * cos(angle) + Double(f.sineCoefficients[n - 1]) * sin(angle)
        }
        return sum
    }

    func testTargetsMatchTheSeriesAndInputsLieInTheRange() throws {
        let tasks = try FourierSeriesTasks(maximumFrequency: 4, halfRange: 2)
        XCTAssertEqual(tasks.inputDimension, 1)
        let drawn = sampleTasks(tasks, count: 5)
        let batch = samplePrompts(tasks, tasks: drawn, pointCount: 20)
        for (row, task) in drawn.enumerated() {
            let f = try XCTUnwrap(task as? FourierSeriesFunction)
            XCTAssertEqual(f.cosineCoefficients.count, 4)
            for point in 0..<20 {
                let x = batch.inputs[row, point, 0]
                XCTAssertTrue((-2...2).contains(x), "input \(x) outside [−L, L]")
                XCTAssertEqual(Double(batch.targets[row, point]), series(f, at: Double(x)), accuracy: 1e-4)
            }
        }
    }

    func testAHandBuiltSeries() {
        // f(x) = 1 + 2 cos(πx/L) − sin(2πx/L) with L = 5, at x = 0, 2.5, 5.
        let f = FourierSeriesFunction(halfRange: 5, constant: 1, cosineCoefficients: [2, 0], sineCoefficients: [0, -1])
        var generator = RandomGenerator(seed: 0)
        let y = f.targets(for: [0, 2.5, 5], count: 3, using: &generator)
        XCTAssertEqual(y[0], 3, accuracy: 1e-5)
        XCTAssertEqual(y[1], 1, accuracy: 1e-5)    // cos(π/2) = 0, sin(π) = 0
        XCTAssertEqual(y[2], -1, accuracy: 1e-5)   // cos(π) = −1, sin(2π) = 0
    }

    func testFrequencyRangeIsCoveredUniformly() throws {
        let tasks = try FourierSeriesTasks(maximumFrequency: 3, minimumFrequency: 1)
        var counts = [Int](repeating: 0, count: 4)
        for task in sampleTasks(tasks, count: 600) { counts[(task as! FourierSeriesFunction).cosineCoefficients.count] += 1 }
        // 200 of 600 expected for each N in 1...3 (standard deviation ≈ 11.5).
        XCTAssertEqual(counts[0], 0)
        for n in 1...3 { XCTAssertEqual(Double(counts[n]), 200, accuracy: 50) }
    }

    func testNormalisationScalesCoefficientsAndGivesUnitVariance() throws {
        let raw = try FourierSeriesTasks(maximumFrequency: 4)
        let normalised = try FourierSeriesTasks(maximumFrequency: 4, normalizesVariance: true)
        let rawTasks = sampleTasks(raw, count: 2000).map { $0 as! FourierSeriesFunction }
        let normalisedTasks = sampleTasks(normalised, count: 2000).map { $0 as! FourierSeriesFunction }
        // Same seed: the same draws, scaled by 1/√(N + 1) = 1/√5.
        let scale = 1 / Float(5).squareRoot()
        XCTAssertEqual(normalisedTasks[0].constant, rawTasks[0].constant * scale, accuracy: 1e-6)
        XCTAssertEqual(normalisedTasks[0].sineCoefficients[3], rawTasks[0].sineCoefficients[3] * scale, accuracy: 1e-6)
        // Var f(x) is N + 1 = 5 raw and 1 normalised, at any x; 2000 tasks give a relative
        // standard error of √(2/2000) ≈ 3 %, so ±15 % is 5 of them.
        for x in [-3.7, 0.0, 1.2] {
            let rawValues = rawTasks.map { series($0, at: x) }, normalisedValues = normalisedTasks.map { series($0, at: x) }
            XCTAssertEqual(rawValues.map { $0 * $0 }.reduce(0, +) / 2000, 5, accuracy: 0.75)
            XCTAssertEqual(normalisedValues.map { $0 * $0 }.reduce(0, +) / 2000, 1, accuracy: 0.15)
        }
    }

    func testSeriesHasPeriodTwoL() throws {
        let f = sampleTasks(try FourierSeriesTasks(maximumFrequency: 5, halfRange: 3), count: 1)[0]
        var generator = RandomGenerator(seed: 0)
        let y = f.targets(for: [-2.5, 3.5, 0.7, 6.7], count: 4, using: &generator)
        XCTAssertEqual(y[0], y[1], accuracy: 1e-4)
        XCTAssertEqual(y[2], y[3], accuracy: 1e-4)
    }

    func testSameSeedGivesIdenticalBatches() throws {
        assertSeededBatchesRepeat(try FourierSeriesTasks(maximumFrequency: 10, minimumFrequency: 1, noise: 0.1))
    }

    func testBadConfigurationsThrow() {
        assertInvalidConfiguration(try FourierSeriesTasks(maximumFrequency: 0), mentions: "maximumFrequency", "got 0")
        assertInvalidConfiguration(try FourierSeriesTasks(maximumFrequency: 3, minimumFrequency: 0), mentions: "minimumFrequency", "got 0")
        assertInvalidConfiguration(try FourierSeriesTasks(maximumFrequency: 3, minimumFrequency: 4), mentions: "minimumFrequency", "got 4")
        assertInvalidConfiguration(try FourierSeriesTasks(maximumFrequency: 3, halfRange: 0), mentions: "halfRange", "got 0")
        assertInvalidConfiguration(try FourierSeriesTasks(maximumFrequency: 3, halfRange: .infinity), mentions: "halfRange", "got inf")
        assertInvalidConfiguration(try FourierSeriesTasks(maximumFrequency: 3, noise: -0.5), mentions: "noise", "got -0.5")
    }
}
