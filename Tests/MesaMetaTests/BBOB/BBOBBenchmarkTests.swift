import XCTest
@testable import MesaMeta

final class BBOBBenchmarkTests: XCTestCase {
    func run(_ function: Int, instance: Int, evaluations: Int, hits: [Int?]) -> BBOBRun {
        BBOBRun(method: "m", function: function, dimension: 2, instance: instance, evaluations: evaluations, bestDelta: 1, seconds: 1,
                overheadSeconds: 0.5, generations: 10, hits: hits + Array(repeating: nil, count: BBOBBenchmark.targets.count - hits.count))
    }

    func testTargetsAreCOCOs() {
        XCTAssertEqual(BBOBBenchmark.targets.count, 51)
        XCTAssertEqual(BBOBBenchmark.targets.first, 100)
        XCTAssertEqual(BBOBBenchmark.targets.last!, 1e-8, accuracy: 1e-20)
    }

    func testExpectedRunningTimeCountsFailedRunsWholly() {
        let runs = [run(1, instance: 1, evaluations: 100, hits: [10]), run(1, instance: 2, evaluations: 200, hits: [nil]),
                    run(1, instance: 3, evaluations: 50, hits: [30])]
        // (10 + 200 + 30) / 2 successes
        XCTAssertEqual(BBOBBenchmark.expectedRunningTime(runs, target: 0), 120)
        XCTAssertEqual(BBOBBenchmark.expectedRunningTime(runs, target: 1), .infinity)
    }

    func testECDFCountsTriplesReachedWithinEvaluationsPerDimension() {
        // d = 2: target 0 at evaluation 2 (1 × d), target 1 at evaluation 20 (10 × d).
        let summary = BBOBBenchmark.summaries([run(1, instance: 1, evaluations: 200, hits: [2, 20])], budgetMultiplier: 100)[0]
        XCTAssertEqual(summary.fraction(atEvaluationsPerDimension: 1), 1 / 51, accuracy: 1e-12)
        XCTAssertEqual(summary.fraction(atEvaluationsPerDimension: 10), 2 / 51, accuracy: 1e-12)
        XCTAssertEqual(summary.overheadPerGeneration, 0.05)
    }

    func testARunRecordsMonotoneHitsAndStopsAtTheLastTarget() throws {
        let problem = try BBOBProblem(function: .sphere, dimension: 5, instance: 1)
        let result = try BBOBBenchmark.run(.cmaes, on: problem, budget: 10_000, seed: 3)
        XCTAssertNotNil(result.hits.last!, "CMA-ES solves the sphere")
        XCTAssertEqual(result.evaluations, result.hits.last!!)
        let hits = result.hits.compactMap { $0 }
        XCTAssertEqual(hits, hits.sorted())
        XCTAssertLessThanOrEqual(result.bestDelta, 1e-8)
        let again = try BBOBBenchmark.run(.cmaes, on: problem, budget: 10_000, seed: 3)
        XCTAssertEqual(again.hits, result.hits, "seeded")
    }

    func testRunsCSVRoundTripsAndRejectsMalformedRows() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bbob-runs-\(UUID()).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let original = [run(3, instance: 2, evaluations: 90, hits: [4, nil, 80])]
        try ([BBOBRun.header] + original.map(\.csvRow)).joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try BBOBRun.read(url), original)
        try (BBOBRun.header + "\nm,1,2,1,10,0.5,1,1,3,1 2 x").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BBOBRun.read(url)) { error in
            XCTAssert("\(error)".contains("line 2: expected"), "\(error)")
        }
    }
}
