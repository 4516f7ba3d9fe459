import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class InContextTrainingConfigurationTests: XCTestCase {
    func decode(_ json: String) throws -> InContextTrainingConfiguration {
        try InContextTrainingConfiguration(json: Data(json.utf8))
    }

    func testOmittedFieldsTakeDefaultsAndRoundTrip() throws {
        let configuration = try decode(#"{"task": {"family": "linear", "inputDimension": 4}, "training": {"steps": 10}}"#)
        XCTAssertEqual(configuration.task.inputDimension, 4)
        XCTAssertEqual(configuration.training.steps, 10)
        XCTAssertEqual(configuration.training.batchSize, TrainingConfiguration().batchSize)
        XCTAssertEqual(configuration.learner, LearnerConfiguration())
        XCTAssertEqual(try InContextTrainingConfiguration(json: configuration.jsonData()), configuration)
    }

    func testUnknownFieldsAndBadValuesAreNamed() {
        let cases: [(String, String)] = [
            (#"{"task": {"family": "linear", "inputDimension": 4}, "trainig": {}}"#, "'trainig'"),
            (#"{"task": {"family": "linear", "inputDimension": 4, "nois": 1}}"#, "'nois'"),
            (#"{"task": {"family": "quadratic"}}"#, #"unknown value "quadratic" for task.family; valid values: linear, sparseLinear"#),
            (#"{"task": {"family": "linear"}, "learner": {"architecture": "mamba"}}"#, #"unknown value "mamba" for learner.architecture; valid values: transformer, lstm, lsa"#),
            (#"{"task": {"family": "linear"}, "learner": {"encoding": "stacked"}}"#, "valid values: interleaved, concatenated, previousTarget"),
            (#"{"learner": {}}"#, "'task' section is required"),
            (#"{"task": {"family": "linear", "inputDimension": 0}}"#, "inputDimension must be positive"),
            (#"{"task": {"family": "linear", "inputDimension": 4}, "training": {"steps": -1}}"#, "steps must be positive"),
            (#"{"task": {"family": "linear", "inputDimension": 4}, "training": {"batchSize": "many"}}"#, "batchSize"),
            (#"{"task": {"family": "linear", "inputDimension": 4}, "training": {"pointCount": 50}}"#, "maximumPointCount (40) is below training.pointCount (50)"),
            (#"{"task": {"family": "linear", "inputDimension": 4}, "training": {"optimizer": "rmsprop"}}"#, "valid values: adam, adamw, sgd, lion"),
        ]
        for (json, expected) in cases {
            XCTAssertThrowsError(try decode(json), json) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(json): \(error)")
            }
        }
    }

    func testBaselinesThatCannotServeTheTaskAreFoundBeforeTraining() throws {
        // Caught by validateBaselines() (which a new run calls) rather than at evaluation; the
        // configuration itself still decodes, so a saved run with such a baseline still loads.
        let cases: [(String, String)] = [
            (#"{"task": {"family": "fourier", "inputDimension": 1}, "evaluation": {"baselines": ["gp"]}}"#, "baseline 'gp' needs a gaussianProcess task"),
            (#"{"task": {"family": "linear", "inputDimension": 4}, "evaluation": {"baselines": ["oracle"]}}"#, "unknown baseline 'oracle'"),
        ]
        for (json, expected) in cases {
            let configuration = try decode(json)
            XCTAssertThrowsError(try configuration.validateBaselines(), json) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(json): \(error)")
            }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-baselines-\(UUID())")
            defer { try? FileManager.default.removeItem(at: folder) }
            XCTAssertThrowsError(try InContextTrainer(configuration: configuration, directory: folder)) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(json): \(error)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path), "nothing is written for a refused run")
        }
    }

    func testLearnerFactoryRejectsBadArchitectures() {
        var generator = RandomGenerator(seed: 0)
                XCTAssertThrowsError(try LearnerConfiguration(modelSize: 10, headCount: 3).makeLearner(inputDimension: 2, kind: .regression, using: &generator))
        XCTAssertThrowsError(try LearnerConfiguration(architecture: .lstm, encoding: .concatenated)
            .makeLearner(inputDimension: 2, kind: .regression, using: &generator))
    }
}
