import Foundation
import MesaCore
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class TwoSpiralsDemoTests: SingleThreadedTestCase {
    func testSpiralsAreTwoPointSymmetricClasses() {
        var generator = RandomGenerator(seed: 3)
        let (inputs, labels) = TwoSpiralsDemo.twoSpirals(pointsPerClass: 50, using: &generator)
        XCTAssertEqual(inputs.shape, [100, 2])
        XCTAssertEqual(labels, Array(repeating: 0, count: 50) + Array(repeating: 1, count: 50))
        // Class 1 is class 0 turned by π, up to the noise (σ = 0.05).
        let x = inputs.scalars
        for index in 0..<50 {
            XCTAssertEqual(x[2 * index], -x[2 * (50 + index)], accuracy: 0.5)
            XCTAssertEqual(x[2 * index + 1], -x[2 * (50 + index) + 1], accuracy: 0.5)
        }
    }

    func testTrainingLowersTheLossAndWritesMetricsAndPlot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-spirals-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let demo = TwoSpiralsDemo(pointsPerClass: 30, hiddenUnits: 16, learningRate: 0.03, steps: 60, seed: 1)
        XCTAssertEqual(demo.parameterCount, 3 * 16 + 17 * 16 + 17 * 2)
        XCTAssertEqual(demo.description, "MLP 2-16-16-2 (354 parameters) on two spirals (60 points), 60 Adam steps")
        var steps: [Int] = []
        let result = try demo.run(writingTo: folder) { step, _ in steps.append(step) }
        XCTAssertEqual(steps, Array(1...60))
        XCTAssertLessThan(result.lastLoss, result.firstLoss * 0.8)
        XCTAssertEqual(result.heldOutCount, 60)
        XCTAssertEqual(result.curve.map(\.x), [1, 10, 20, 30, 40, 50, 60])
        let records = try MetricsLog.read(folder.appendingPathComponent("metrics.jsonl"))
        XCTAssertEqual(MetricsLog.series("loss", in: records).map(\.x), [1, 10, 20, 30, 40, 50, 60])
        XCTAssertTrue(try String(contentsOf: folder.appendingPathComponent("loss.svg"), encoding: .utf8).contains("<polyline"))
        XCTAssertTrue(result.description.contains("on 60 fresh held-out points"))
        // The same seed trains the same model.
        let again = try demo.run(writingTo: folder)
        XCTAssertEqual(again.lastLoss, result.lastLoss)
    }

    func testBadSettingsAreRefused() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-spirals-bad-\(UUID())")
        XCTAssertThrowsError(try TwoSpiralsDemo(steps: 0).run(writingTo: folder))
        XCTAssertThrowsError(try TwoSpiralsDemo(pointsPerClass: 1).run(writingTo: folder))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path), "nothing is written")
    }
}
