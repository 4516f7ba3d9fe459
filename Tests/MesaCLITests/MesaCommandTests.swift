import Foundation
import XCTest

/// Runs the built `mesa` executable as a user would and checks its output and errors.
final class MesaCommandTests: XCTestCase {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try MesaProcess.run(arguments)
    }

    func testInContextDemoMetaTrainsThenComparesWithLeastSquares() throws {
        // A few steps only (the default is 6,000): the run, the evaluation and the table appear;
        // a second demo in the same folder replaces the first.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-icl-demo-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        for _ in 0..<2 {
            let result = try run(["demo", "--steps", "20", "--output", directory.path])
            XCTAssertEqual(result.status, 0, result.error)
            XCTAssertTrue(result.output.contains("finished at step 20"), result.output)
            XCTAssertTrue(result.output.contains("least squares") && result.output.contains("transformer (step 20)"), result.output)
        }
        let csv = try String(contentsOf: directory.appendingPathComponent("eval/curves.csv"), encoding: .utf8).split(separator: "\n")
        // 4 predictors (the Transformer, least squares, averaging, 3-NN) × 12 points, in distribution only.
        XCTAssertEqual(csv.count - 1, 4 * 12)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("eval/curves-in-distribution.svg").path))

        // Another run's folder is never replaced: a clear error, and the run is left as it was.
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-not-demo-\(UUID())")
        defer { try? FileManager.default.removeItem(at: other) }
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let foreign = #"{"name": "mine", "task": {"family": "linear", "inputDimension": 2}}"#
        try foreign.write(to: other.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let refused = try run(["demo", "--steps", "5", "--output", other.path])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.error.contains("not a demo run"), refused.error)
        XCTAssertEqual(try String(contentsOf: other.appendingPathComponent("config.json"), encoding: .utf8), foreign)
    }

    func testDemoTrainsWritesMetricsAndPlot() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-demo-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run(["demo", "--spirals", "--steps", "200", "--points", "60", "--output", directory.path])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("loss"), result.output)
        let lines = try String(contentsOf: directory.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        let losses = try lines.map { line -> Double in
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try XCTUnwrap(record?["loss"] as? Double)
        }
        XCTAssertLessThan(losses.last!, losses.first! * 0.5, "the loss falls over 200 steps")
        let svg = try String(contentsOf: directory.appendingPathComponent("loss.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg") && svg.contains("polyline"))
        XCTAssertTrue(result.error.contains("100%"), "the progress reaches 100 %: \(result.error)")
    }

    func testBadArgumentsGiveClearErrors() throws {
        let steps = try run(["demo", "--steps", "0"])
        XCTAssertNotEqual(steps.status, 0)
        XCTAssertTrue(steps.error.contains("must be positive"), steps.error)
        let rate = try run(["demo", "--learning-rate", "-1"])
        XCTAssertNotEqual(rate.status, 0)
        XCTAssertTrue(rate.error.contains("--learning-rate"), rate.error)
        let workload = try run(["bench", "no-such-workload"])
        XCTAssertNotEqual(workload.status, 0)
        XCTAssertTrue(workload.error.contains("encoder-train"), "the error lists the workloads: \(workload.error)")
    }

    func testThreadsAreOneOptionValidatedTheSameEverywhere() throws {
        for arguments in [["demo", "--threads", "0"], ["eval", "--preset", "linear", "--threads", "257"], ["bench", "matmul", "--threads", "0"],
                          ["train", "--preset", "linear", "--threads", "0"], ["experiment", "gpicl-plateau", "--threads", "300"]] {
            let result = try run(arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.error.contains("--threads must be in 1...256"), "\(arguments): \(result.error)")
        }
        let help = try run(["predict", "--help"])
        XCTAssertTrue(help.output.contains("--threads <threads>") && help.output.contains("Threads for tensor kernels. (default: 2)"), help.output)
    }

    func testBenchPrintsTheReferenceSchema() throws {
        let result = try run(["bench", "matmul", "--json", "--quick", "--variant", "n64"])
        XCTAssertEqual(result.status, 0, result.error)
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        XCTAssertEqual(record["workload"] as? String, "matmul")
        XCTAssertEqual(record["variant"] as? String, "n64")
        XCTAssertEqual(record["unit"] as? String, "ms")
        XCTAssertGreaterThan(try XCTUnwrap(record["median"] as? Double), 0)
    }
}
