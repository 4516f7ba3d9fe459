import Foundation
import XCTest

/// `mesa experiment dual-form` end to end on tiny trained runs.
final class ExperimentCommandDualFormTests: ScratchFolderTestCase {
    /// Trains a tiny run of `learner` (a JSON object) on linear tasks and returns its folder.
    func train(_ name: String, learner: String, points: Int = 6) throws -> String {
        let configuration = directory.appendingPathComponent("\(name).json")
        try """
        {"name": "\(name)", "task": {"family": "linear", "inputDimension": 2}, "learner": \(learner),
         "training": {"steps": 2, "batchSize": 4, "pointCount": \(points), "evaluationInterval": 2, "evaluationPromptCount": 4,
                      "checkpointInterval": 2, "logInterval": 1},
         "evaluation": {"baselines": [], "probes": false}}
        """.write(to: configuration, atomically: true, encoding: .utf8)
        let folder = directory.appendingPathComponent(name).path
        let result = try MesaProcess.run(["train", "--config", configuration.path, "--output", folder, "--threads", "1"])
        XCTAssertEqual(result.status, 0, result.error)
        return folder
    }

    func testATransformerRunGetsTheFineTuningComparison() throws {
        let run = try train("softmax", learner: #"{"architecture": "transformer", "modelSize": 8, "layerCount": 1, "headCount": 2, "maximumPointCount": 6}"#)
        let result = try MesaProcess.run(["experiment", "dual-form", "--run", run, "--prompts", "3", "--query-points", "2", "--threads", "1"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("SimAOU ICL·FT"), result.output)
        XCTAssertTrue(result.output.contains("3 held-out tasks, 4 demonstrations, query part of 2 point(s)"), result.output)
        let csv = try String(contentsOfFile: "\(run)/dual-form/dual-form.csv", encoding: .utf8)
        XCTAssertTrue(csv.contains("\nrec2ftp,,"), csv)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(run)/dual-form/dual-form.md"))
    }

    func testALinearSelfAttentionRunGetsTheIdentity() throws {
        let run = try train("lsa", learner: #"{"architecture": "lsa", "layerCount": 1, "headCount": 1, "contextCount": 4, "maximumPointCount": 6}"#)
        let output = directory.appendingPathComponent("identity").path
        let result = try MesaProcess.run(["experiment", "dual-form", "--run", run, "--prompts", "3", "--output", output, "--threads", "1"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("largest |layer update − ΔW q|"), result.output)
        XCTAssertTrue(try String(contentsOfFile: "\(output)/dual-form.csv", encoding: .utf8).hasPrefix("measure,layer,value\ndual_form_identity_error,,"))
    }

    func testBadInputIsRefusedWithTheFix() throws {
        func refused(_ arguments: [String], _ expected: String) throws {
            let result = try MesaProcess.run(["experiment", "dual-form"] + arguments)
            XCTAssertNotEqual(result.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.error.contains(expected), "\(arguments): \(result.error)")
        }
        try refused([], "give --run FOLDER")
        try refused(["--run", "x", "--preset", "linear"], "takes no --preset, --config or --steps")
        try refused(["--run", "x", "--query-points", "0"], "--query-points must be positive")
        try refused(["--run", "x", "--demonstrations", "0"], "--demonstrations must be positive")
        try refused(["--run", "x", "--learning-rate=-1"], "--learning-rate must be finite and ≥ 0")
        try refused(["--run", "x", "--prompts", "1"], "--prompts must be at least 2")
        try refused(["--run", directory.appendingPathComponent("none").path, "--output", directory.appendingPathComponent("out").path], "none/checkpoint.safetensors")
        let lstm = try train("lstm", learner: #"{"architecture": "lstm", "modelSize": 8, "layerCount": 1, "maximumPointCount": 6}"#)
        try refused(["--run", lstm, "--prompts", "2"], "needs a Transformer (softmax attention) or linear self-attention")
        let short = try train("short", learner: #"{"architecture": "transformer", "modelSize": 8, "layerCount": 1, "headCount": 2, "maximumPointCount": 6}"#)
        try refused(["--run", short, "--prompts", "2", "--demonstrations", "9"], "prompts have 10 points, the learner reads at most 6")
    }
}
