import Foundation
import XCTest

/// `mesa experiment` end to end on a tiny CSV-based configuration (the shipped presets use
/// Fashion-MNIST and train for minutes).
final class ExperimentCommandTests: ScratchFolderTestCase {
    /// A 3-class table of 60 rows and a tiny configuration meta-training on its projections.
    private func writeConfiguration() throws -> String {
        var csv = "a,b,c,d,class\n"
        for row in 0..<60 {
            let label = row % 3
            csv += "\(Double(label) + 0.1 * Double(row % 7)),\(Double(row % 5)),\(-Double(label)),\(Double(row % 11) / 11),k\(label)\n"
        }
        let table = directory.appendingPathComponent("tables/three.csv")
        try FileManager.default.createDirectory(at: table.deletingLastPathComponent(), withIntermediateDirectories: true)
        try csv.write(to: table, atomically: true, encoding: .utf8)
        let configuration = directory.appendingPathComponent("tiny.json")
        try """
        {"name": "tiny", "task": {"family": "projectedDataset", "dataset": "\(table.path)", "inputDimension": 4, "classCount": 10},
         "learner": {"architecture": "transformer", "encoding": "concatenated", "modelSize": 16, "layerCount": 1, "headCount": 2, "maximumPointCount": 20},
         "training": {"steps": 2, "batchSize": 2, "pointCount": 20, "evaluationInterval": 1, "evaluationPromptCount": 4, "checkpointInterval": 1},
         "evaluation": {"probes": false}}
        """.write(to: configuration, atomically: true, encoding: .utf8)
        return configuration.path
    }

    func testStateSizeTrainsEveryRunAndWritesCSVAndSVG() throws {
        let configuration = try writeConfiguration()
        let output = directory.appendingPathComponent("state").path
        let result = try MesaProcess.run(["experiment", "gpicl-state-size", "--config", configuration, "--prompts", "4", "--output", output, "--threads", "1"])
        XCTAssertEqual(result.status, 0, result.error)
        let csv = try String(contentsOfFile: "\(output)/state-size.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 8, "a header and 7 runs")
        XCTAssertTrue(csv.dropFirst().allSatisfy { $0.hasPrefix("transformer,") || $0.hasPrefix("lstm,") })
        XCTAssertTrue(try String(contentsOfFile: "\(output)/state-size.svg", encoding: .utf8).hasPrefix("<svg"))
        let again = try MesaProcess.run(["experiment", "gpicl-state-size", "--config", configuration, "--prompts", "4", "--output", output, "--threads", "1"])
        XCTAssertEqual(again.status, 0, again.error)
        XCTAssertEqual(try String(contentsOfFile: "\(output)/state-size.csv", encoding: .utf8).split(separator: "\n").count, 8,
                       "finished runs are evaluated again, not retrained or duplicated")
    }

    func testGeneralisationEvaluatesATrainedRunOnDigitsAndTables() throws {
        let configuration = try writeConfiguration()
        let run = directory.appendingPathComponent("run").path
        let train = try MesaProcess.run(["train", "--config", configuration, "--output", run, "--threads", "1"])
        XCTAssertEqual(train.status, 0, train.error)
        let output = directory.appendingPathComponent("general").path
        let result = try MesaProcess.run(["experiment", "gpicl-generalisation", "--run", run, "--tables", directory.appendingPathComponent("tables").path,
                                          "--prompts", "4", "--output", output, "--threads", "1"])
        XCTAssertEqual(result.status, 0, result.error)
        let csv = try String(contentsOfFile: "\(output)/generalisation.csv", encoding: .utf8)
        XCTAssertTrue(csv.contains("\"digits\",\"logistic regression (λ = 0.01)\",10,"), csv)
        XCTAssertTrue(csv.contains("\"three\",\"5-nearest neighbours\",10,"), csv)
        for file in ["generalisation.md", "fashion-mnist.svg", "digits.svg", "tables.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(output)/\(file)"), "missing \(file)")
        }
    }

    func testBadInputIsRefusedWithTheFix() throws {
        let unknown = try MesaProcess.run(["experiment", "gpicl-nothing"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.error.contains("unknown experiment 'gpicl-nothing'; known: gpicl-transition"), unknown.error)
        let steps = try MesaProcess.run(["experiment", "gpicl-generalisation", "--steps", "5"])
        XCTAssertNotEqual(steps.status, 0)
        XCTAssertTrue(steps.error.contains("evaluates a trained run"), steps.error)
        let missing = try MesaProcess.run(["experiment", "gpicl-generalisation", "--run", directory.appendingPathComponent("none").path,
                                           "--output", directory.appendingPathComponent("out").path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("none/checkpoint.safetensors"), missing.error)
    }
}
