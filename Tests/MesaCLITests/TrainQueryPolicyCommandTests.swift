import Foundation
import XCTest

/// `mesa train-query-policy`'s configuration: the look-ahead recipe's fields are printed, and a
/// bad value is a clear error.
final class TrainQueryPolicyCommandTests: XCTestCase {
    func testPrintsTheRecipeAndRefusesBadConfigurations() throws {
        let printed = try MesaProcess.run(["train-query-policy", "--print-config"])
        XCTAssertEqual(printed.status, 0, printed.error)
        for field in [#""loss" : "regression""#, #""taskPoolSize" : 0"#, #""ensembleSize" : 4"#, #""temperature" : 0.5"#, #""method" : "distillation""#] {
            XCTAssertTrue(printed.output.contains(field), "\(field) in \(printed.output)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-query-policy-cli-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases = [(#"{"loss": "pairwise"}"#, "valid values: regression, listwise"), (#"{"temperature": -1}"#, "temperature > 0"),
                     (#"{"method": "reinforce"}"#, "valid values: distillation, evolution"), (#"{"residualScale": -0.1}"#, "residualScale > 0")]
        for (json, message) in cases {
            let file = directory.appendingPathComponent("q.json")
            try json.write(to: file, atomically: true, encoding: .utf8)
            let result = try MesaProcess.run(["train-query-policy", "--config", file.path, "--print-config"])
            XCTAssertNotEqual(result.status, 0, json)
            XCTAssertTrue(result.error.contains(message), "\(json): \(result.error)")
        }
    }
}
