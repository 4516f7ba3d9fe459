import Foundation
@testable import MesaMeta
import XCTest

final class BenchmarksTests: XCTestCase {
    /// A quick run of one small variant reports it in the reference's JSON schema; a variant
    /// that does not exist runs nothing.
    func testRunsTheSelectedVariantOnly() throws {
        var results: [BenchmarkResult] = []
        Benchmarks(variant: "n64", quick: true).run(.matmul) { results.append($0) }
        XCTAssertEqual(results.map(\.variant), ["n64"])
        let result = try XCTUnwrap(results.first)
        XCTAssertEqual(result.count, 3)
        XCTAssertTrue(result.samples.allSatisfy { $0 > 0 })
        XCTAssertLessThanOrEqual(result.minimum, result.median)
        XCTAssertLessThanOrEqual(result.median, result.maximum)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.jsonLine.utf8)) as? [String: Any])
        XCTAssertEqual(json["workload"] as? String, "matmul")
        XCTAssertEqual(json["unit"] as? String, "ms")
        XCTAssertEqual(json["impl"] as? String, "mesa-\(MesaVersion.current)")

        var none: [BenchmarkResult] = []
        Benchmarks(variant: "no-such-variant", quick: true).run(.matmul) { none.append($0) }
        XCTAssertTrue(none.isEmpty)
    }

    func testMedianOfEvenAndOddCounts() {
        XCTAssertEqual(BenchmarkResult(workload: "w", variant: "v", samples: [3, 1, 2]).median, 2)
        XCTAssertEqual(BenchmarkResult(workload: "w", variant: "v", samples: [4, 1, 2, 3]).median, 2.5)
    }
}
