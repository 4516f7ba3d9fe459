import Foundation
@testable import MesaMeta
import XCTest

final class MetricsLogTests: XCTestCase {
    func testReadsNumericFieldsAndSkipsNullsAndBrokenLines() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-metrics-\(UUID()).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try """
        {"loss": 0.5, "step": 1.0}
        {"evaluationLoss": null, "lastPointMetric": 0.25, "step": 2.0}
        {"loss": 0.
        {"loss": 0.125, "step": 3, "note": "text"}

        """.write(to: url, atomically: true, encoding: .utf8)
        let records = try MetricsLog.read(url)
        XCTAssertEqual(records, [["loss": 0.5, "step": 1], ["lastPointMetric": 0.25, "step": 2], ["loss": 0.125, "step": 3]])
        let losses = MetricsLog.series("loss", in: records)
        XCTAssertEqual(losses.map(\.x), [1, 3])
        XCTAssertEqual(losses.map(\.y), [0.5, 0.125])
        XCTAssertTrue(MetricsLog.series("evaluationLoss", in: records).isEmpty, "a null value is no point")
    }

    func testReadsWhatATrainerWrites() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-metrics-run-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = EpisodicConfiguration()
        configuration.hiddenSizes = [8]
        configuration.iterations = 4
        configuration.metaBatchSize = 2
        configuration.logInterval = 2
        configuration.validationInterval = 4
        configuration.validationEpisodes = 2
        let trainer = try EpisodicTrainer(configuration: configuration, directory: directory)
        try trainer.run()
        let records = try MetricsLog.read(trainer.metricsURL)
        XCTAssertEqual(MetricsLog.series("loss", in: records).map(\.x), [2, 4])
        XCTAssertEqual(MetricsLog.series("validationLoss", in: records).map(\.x), [4])
    }

    func testAMissingFileIsAnError() {
        XCTAssertThrowsError(try MetricsLog.read(URL(fileURLWithPath: "/nonexistent/metrics.jsonl")))
    }
}
