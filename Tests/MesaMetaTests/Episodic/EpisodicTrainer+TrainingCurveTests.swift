import Foundation
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class EpisodicTrainerTrainingCurveTests: SingleThreadedTestCase {
    func testTrainingCurveDrawsTheTrainingAndValidationLosses() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-curve-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = EpisodicConfiguration()
        configuration.name = "sine & co"
        configuration.hiddenSizes = [8]
        configuration.iterations = 6
        configuration.metaBatchSize = 2
        configuration.logInterval = 1
        configuration.validationInterval = 3
        configuration.validationEpisodes = 2
        let trainer = try EpisodicTrainer(configuration: configuration, directory: directory)
        try trainer.run()
        try trainer.writeTrainingCurve()
        XCTAssertEqual(trainer.trainingCurveURL, directory.appendingPathComponent("training-curve.svg"))
        let svg = try String(contentsOf: trainer.trainingCurveURL, encoding: .utf8)
        XCTAssertTrue(svg.contains("sine &amp; co: maml meta-training"), svg)
        XCTAssertTrue(svg.contains("query MSE (log scale)"))
        let polylines = svg.components(separatedBy: "<polyline").dropFirst().map { $0.components(separatedBy: "points=\"")[1].prefix { $0 != "\"" } }
        XCTAssertEqual(polylines.map { $0.split(separator: " ").count }, [6, 2], "six training points, two validations")
    }
}
