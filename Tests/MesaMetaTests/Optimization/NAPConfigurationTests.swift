import Foundation
import MesaMeta
import XCTest

final class NAPConfigurationTests: XCTestCase {
    func testDefaultsRoundTripAndStepsCountEpochs() throws {
        let c = NAPConfiguration()
        XCTAssertEqual(try NAPConfiguration(json: try c.jsonData(), source: "defaults"), c)
        XCTAssertEqual(c.functionPrior.dimensions, 1...3)
        XCTAssertEqual(c.totalSteps, c.iterations * c.epochs)
        XCTAssertEqual(c.intervals.checkpoint, c.checkpointInterval * c.epochs)
        var extended = c
        extended.totalSteps = 2 * c.iterations * c.epochs + 1
        XCTAssertEqual(extended.iterations, 2 * c.iterations + 1, "extending rounds up to whole iterations")
    }

    func testBadConfigurationsAreClearErrors() {
        func message(_ json: String) -> String {
            do {
                _ = try NAPConfiguration(json: Data(json.utf8), source: "nap.json")
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertTrue(message(#"{"horizn": 3}"#).contains("horizn"), message(#"{"horizn": 3}"#))
        XCTAssertTrue(message(#"{"horizn": 3}"#).contains("horizon"), "the valid keys are listed")
        XCTAssertTrue(message(#"{"horizon": 0}"#).contains("nap.json: horizon must be at least 1, got 0"), message(#"{"horizon": 0}"#))
        XCTAssertTrue(message(#"{"clipRange": 1.5}"#).contains("clipRange must be in (0, 1)"))
        XCTAssertTrue(message(#"{"initialPoints": [0, 3]}"#).contains("initialPoints must start at 1"))
        XCTAssertTrue(message(#"{"optimizer": {"learningRate": -1}}"#).contains("learningRate must be positive"))
    }

    func testATrunkThatCannotReadThePriorsDimensionsIsRefused() {
        var c = NAPConfiguration()
        c.functionPrior.dimensions = 1...7
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-nap-config-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        XCTAssertThrowsError(try NAPTrainer(configuration: c, directory: directory)) { error in
            XCTAssertTrue("\(error)".contains("reads at most 6 coordinates"), "\(error)")
        }
    }
}
