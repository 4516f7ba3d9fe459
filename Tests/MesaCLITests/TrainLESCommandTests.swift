import Foundation
import XCTest

/// `mesa train-les` end to end: a tiny run, its export, resume and bad inputs.
final class TrainLESCommandTests: ScratchFolderTestCase {
    func testATinyRunTrainsExportsAndResumes() throws {
        let config = directory.appendingPathComponent("tiny.json").path
        try """
            {"steps": 2, "functions": [1, 8], "tasksPerStep": 2, "maximumDimension": 3, "generations": 4, "populationSize": 4,
             "metaPairs": 2, "evaluationInterval": 2}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("run").path
        let run = try MesaProcess.run(["train-les", "--config", config, "--output", output, "--threads", "1"])
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertTrue(run.output.contains("finished at step 2"), run.output)
        XCTAssertTrue(run.error.contains("score on the fixed tasks (lower is better): LES"), run.error)
        let exported = directory.appendingPathComponent("les.safetensors").path
        let export = try MesaProcess.run(["train-les", "--output", output, "--export", exported])
        XCTAssertEqual(export.status, 0, export.error)
        XCTAssertTrue(FileManager.default.fileExists(atPath: exported))
        let resumed = try MesaProcess.run(["train-les", "--resume", "--output", output])
        XCTAssertEqual(resumed.status, 0, resumed.error)
        XCTAssertTrue(resumed.output.contains("is finished (2 of 2 steps)"), resumed.output)
    }

    func testBadInputsAreClearErrors() throws {
        let config = directory.appendingPathComponent("bad.json").path
        try #"{"functions": [1, 25]}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let bad = try MesaProcess.run(["train-les", "--config", config, "--output", directory.appendingPathComponent("r").path])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.error.contains("there is no BBOB function f25; the noiseless suite has f1 … f24"), bad.error)
        let noOutput = try MesaProcess.run(["train-les", "--export", directory.appendingPathComponent("x.safetensors").path])
        XCTAssertNotEqual(noOutput.status, 0)
        XCTAssertTrue(noOutput.error.contains("--export needs --output FOLDER"), noOutput.error)
    }
}
