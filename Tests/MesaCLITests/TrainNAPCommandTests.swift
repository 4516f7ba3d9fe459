import Foundation
import XCTest

/// `mesa train-nap` end to end on a tiny run.
final class TrainNAPCommandTests: ScratchFolderTestCase {
    func testTrainResumeExportAndUseThePolicy() throws {
        let config = directory.appendingPathComponent("nap.json")
        try #"{"iterations": 2, "epochs": 1, "episodesPerIteration": 2, "horizon": 2, "initialPoints": [3, 3], "uniformCandidates": 6, "localCandidates": 2, "evaluationFunctions": 1, "functionPrior": {"dimensions": [1, 2]}}"#
            .write(to: config, atomically: true, encoding: .utf8)
        let run = directory.appendingPathComponent("run").path
        let first = try MesaProcess.run(["train-nap", "--config", config.path, "--output", run, "--iterations", "1"])
        XCTAssertEqual(first.status, 0, first.error)
        XCTAssertTrue(first.output.contains("finished at iteration 1"), first.output)
        let extended = try MesaProcess.run(["train-nap", "--resume", "--output", run, "--iterations", "2"])
        XCTAssertEqual(extended.status, 0, extended.error)
        XCTAssertTrue(extended.output.contains("resuming") && extended.output.contains("finished at iteration 2"), extended.output)
        let done = try MesaProcess.run(["train-nap", "--resume", "--output", run])
        XCTAssertTrue(done.output.contains("is finished (2 iterations); nothing to resume"), done.output)
        XCTAssertTrue(try String(contentsOfFile: "\(run)/training-curve.svg", encoding: .utf8).hasPrefix("<svg"))
        let exported = directory.appendingPathComponent("nap.safetensors").path
        let export = try MesaProcess.run(["train-nap", "--output", run, "--export", exported])
        XCTAssertEqual(export.status, 0, export.error)
        XCTAssertTrue(FileManager.default.fileExists(atPath: exported))
        let space = directory.appendingPathComponent("space.json")
        try #"{"parameters": [{"name": "x", "type": "continuous", "low": 0, "high": 1}, {"name": "y", "type": "continuous", "low": 0, "high": 1}]}"#
            .write(to: space, atomically: true, encoding: .utf8)
        let history = directory.appendingPathComponent("history.csv")
        try "x,y,objective\n0.1,0.2,3\n0.8,0.5,1\n0.4,0.9,2\n".write(to: history, atomically: true, encoding: .utf8)
        let suggest = try MesaProcess.run(["suggest", "--space", space.path, "--history", history.path, "--initial", "3", "--surrogate", "nap",
                                           "--surrogate-model", exported])
        XCTAssertEqual(suggest.status, 0, suggest.error)
        XCTAssertEqual(suggest.output.split(separator: "\n").count, 2, suggest.output)
    }

    func testBadInputIsAClearError() throws {
        let bad = directory.appendingPathComponent("bad.json")
        try #"{"horizn": 3}"#.write(to: bad, atomically: true, encoding: .utf8)
        let unknown = try MesaProcess.run(["train-nap", "--config", bad.path, "--output", directory.appendingPathComponent("run").path])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.error.contains("horizn"), unknown.error)
        let missing = try MesaProcess.run(["train-nap", "--resume", "--output", directory.appendingPathComponent("absent").path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertFalse(missing.error.isEmpty)
        let export = try MesaProcess.run(["train-nap", "--export", "x.safetensors"])
        XCTAssertTrue(export.error.contains("--export needs --output FOLDER"), export.error)
    }
}
