import Foundation
import XCTest

/// `mesa meta-train`, `mesa meta-test` and `mesa meta-presets` end to end on a tiny run.
final class MetaTrainCommandTests: ScratchFolderTestCase {
    func testMetaTrainResumeAndMetaTestWriteTheirFiles() throws {
        let run = directory.appendingPathComponent("run").path
        let first = try MesaProcess.run(["meta-train", "--preset", "maml-sine", "--iterations", "300", "--output", run, "--time-limit", "0.0001"])
        XCTAssertEqual(first.status, 0, first.error)
        XCTAssertTrue(first.output.contains("stopped at iteration"), first.output)
        let resumed = try MesaProcess.run(["meta-train", "--resume", "--output", run])
        XCTAssertEqual(resumed.status, 0, resumed.error)
        XCTAssertTrue(resumed.output.contains("finished at iteration 300"), resumed.output)
        for file in ["config.json", "checkpoint.safetensors", "metrics.jsonl", "training-curve.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(run)/\(file)"), "missing \(file)")
        }
        XCTAssertTrue(try String(contentsOfFile: "\(run)/training-curve.svg", encoding: .utf8).hasPrefix("<svg"))

        let test = try MesaProcess.run(["meta-test", "--run", run, "--episodes", "50", "--inner-steps", "2"])
        XCTAssertEqual(test.status, 0, test.error)
        XCTAssertTrue(test.output.contains("50 test episodes: loss"), test.output)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(run)/meta-test-test-steps2.json"))) as? [String: Any]
        XCTAssertEqual(report?["episodes"] as? Int, 50)
    }

    func testPresetsAreListedAndBadInputIsRefused() throws {
        let list = try MesaProcess.run(["meta-presets"])
        XCTAssertEqual(list.status, 0, list.error)
        for name in ["maml-sine", "maml-sine-k5", "fashion-mnist-maml-1shot", "fashion-mnist-reptile-5shot", "fashion-mnist-protonet-1shot"] {
            XCTAssertTrue(list.output.contains(name), "\(name) missing from \(list.output)")
        }
        let unknown = try MesaProcess.run(["meta-train", "--preset", "nope"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.error.contains("unknown preset 'nope'"), unknown.error)
        let missing = try MesaProcess.run(["meta-test", "--run", directory.appendingPathComponent("absent").path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertFalse(missing.error.isEmpty)
    }
}
