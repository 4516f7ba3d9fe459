import Foundation
import XCTest

/// Runs the built `mesa` executable as a user would and checks its output and errors.
final class MesaCommandTests: XCTestCase {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try MesaProcess.run(arguments)
    }

    func testDemoTrainsWritesMetricsAndPlot() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-demo-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run(["demo", "--steps", "200", "--points", "60", "--output", directory.path])
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
