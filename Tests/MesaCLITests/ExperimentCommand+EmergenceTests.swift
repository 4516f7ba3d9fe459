import Foundation
import XCTest

/// `mesa experiment emergence` end to end on a tiny base run.
final class ExperimentCommandEmergenceTests: ScratchFolderTestCase {
    func testTheGridTrainsEveryRunWritesTablesAndPlotsAndResumes() throws {
        let configuration = directory.appendingPathComponent("tiny.json")
        try """
        {"name": "tiny", "tasks": {"classCount": 64, "labelCount": 4, "inputDimension": 4, "contextCount": 4, "burstiness": 2},
         "learner": {"architecture": "transformer", "modelSize": 8, "layerCount": 1, "headCount": 2, "maximumPointCount": 5},
         "training": {"steps": 2, "batchSize": 2, "evaluationInterval": 1, "evaluationPromptCount": 4, "checkpointInterval": 1, "logInterval": 1}}
        """.write(to: configuration, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("grid").path
        let arguments = ["experiment", "emergence", "--config", configuration.path, "--seeds", "1", "--output", output, "--threads", "1"]
        let result = try MesaProcess.run(arguments)
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("effect 4 architecture"), result.output)
        let runs = try String(contentsOfFile: "\(output)/emergence-runs.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(runs.count, 1 + 11, "a header and 11 runs (the base already has K = 64)")
        for name in ["emergence.csv", "emergence-effects.csv", "emergence-curves.csv", "emergence-zipf.svg", "emergence-curves.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(output)/\(name)"), name)
        }
        let again = try MesaProcess.run(arguments)
        XCTAssertEqual(again.status, 0, again.error)
        XCTAssertEqual(try String(contentsOfFile: "\(output)/emergence-runs.csv", encoding: .utf8).split(separator: "\n").count, 12)
        // Two seeds: the second seed's runs are not trained; --analyse-finished reports the first seed's.
        let partial = try MesaProcess.run(Array(arguments.dropLast(6)) + ["--seeds", "2", "--output", output, "--analyse-finished"])
        XCTAssertEqual(partial.status, 0, partial.error)
        XCTAssertTrue(partial.output.contains("analysing 11 of 22 runs"), partial.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(output)/base-seed1"), "nothing is trained")
    }

    func testFactorsZipfTrainsTheBaseAndTheZipfArmsOnly() throws {
        let configuration = directory.appendingPathComponent("tiny.json")
        try """
        {"name": "tiny", "tasks": {"classCount": 64, "labelCount": 4, "inputDimension": 4, "contextCount": 4, "burstiness": 2},
         "learner": {"architecture": "transformer", "modelSize": 8, "layerCount": 1, "headCount": 2, "maximumPointCount": 5},
         "training": {"steps": 2, "batchSize": 2, "evaluationInterval": 1, "evaluationPromptCount": 4, "checkpointInterval": 1, "logInterval": 1}}
        """.write(to: configuration, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("zipf").path
        let result = try MesaProcess.run(["experiment", "emergence", "--config", configuration.path, "--seeds", "1", "--factors", "zipf",
                                          "--output", output, "--threads", "1"])
        XCTAssertEqual(result.status, 0, result.error)
        let runs = try String(contentsOfFile: "\(output)/emergence-runs.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        XCTAssertEqual(runs, ["base-seed0", "zipf-0.5-seed0", "zipf-1.0-seed0", "zipf-1.5-seed0"])
        XCTAssertTrue(result.output.contains("IW(α=1) − IW(α=0)"), result.output)
        XCTAssertFalse(result.output.contains("effect 4 architecture"), result.output)
        for name in ["emergence-zipf.svg", "emergence-zipf-in-context-curves.svg", "emergence-zipf-in-weights-curves.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(output)/\(name)"), name)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(output)/emergence-burstiness.svg"))
    }

    func testBadInputIsRefusedWithTheFix() throws {
        let factor = try MesaProcess.run(["experiment", "emergence", "--factors", "zipf,alpha"])
        XCTAssertNotEqual(factor.status, 0)
        XCTAssertTrue(factor.error.contains("--factors: unknown factor 'alpha'; valid: burstiness, classes, zipf, noise, labels, architecture, or all"), factor.error)
        let elsewhere = try MesaProcess.run(["experiment", "gpicl-plateau", "--factors", "zipf"])
        XCTAssertNotEqual(elsewhere.status, 0)
        XCTAssertTrue(elsewhere.error.contains("--factors applies to the emergence experiment only"), elsewhere.error)
        let preset = try MesaProcess.run(["experiment", "emergence", "--preset", "linear"])
        XCTAssertNotEqual(preset.status, 0)
        XCTAssertTrue(preset.error.contains("emergence takes --config FILE"), preset.error)
        let seeds = try MesaProcess.run(["experiment", "emergence", "--seeds", "0"])
        XCTAssertNotEqual(seeds.status, 0)
        XCTAssertTrue(seeds.error.contains("--seeds must be positive"), seeds.error)
        let bad = directory.appendingPathComponent("bad.json")
        try #"{"tasks": {"burstiness": 3}}"#.write(to: bad, atomically: true, encoding: .utf8)
        let invalid = try MesaProcess.run(["experiment", "emergence", "--config", bad.path, "--output", directory.appendingPathComponent("x").path])
        XCTAssertNotEqual(invalid.status, 0)
        XCTAssertTrue(invalid.error.contains("burstiness must divide contextCount"), invalid.error)
        let nothing = try MesaProcess.run(["experiment", "emergence", "--analyse-finished", "--output", directory.appendingPathComponent("empty").path])
        XCTAssertNotEqual(nothing.status, 0)
        XCTAssertTrue(nothing.error.contains("no run of the grid is finished"), nothing.error)
        let other = try MesaProcess.run(["experiment", "gpicl-plateau", "--analyse-finished"])
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.error.contains("--analyse-finished applies to the emergence experiment only"), other.error)
    }
}
