import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class ActiveLearningBenchmarkTests: XCTestCase {
    func testTheSplitFollowsTheProtocol() throws {
        var text = "x,label\n"
        for i in 0..<60 { text += "\(i),\(["a", "b", "c"][i % 3])\n" }
        let table = try TabularFixtures.table(text)
        let benchmark = ActiveLearningBenchmark(maximumBudget: 100)
        let split = benchmark.split(table, seed: 4)
        XCTAssertEqual(split.initial.count, 4)
        XCTAssertEqual(Set(split.initial.map { table.targets[$0] }), ["a", "b", "c"])
        XCTAssertEqual(split.initial.count + split.pool.count, 30)
        XCTAssertEqual(split.test.count, 30)
        XCTAssertTrue(Set(split.initial).isDisjoint(with: split.pool) && Set(split.pool + split.initial).isDisjoint(with: split.test))
        XCTAssertEqual(split.budget, 15, "min(100, half the pool)")
        XCTAssertEqual(benchmark.split(table, seed: 4), split)
        XCTAssertNotEqual(benchmark.split(table, seed: 5), split)
    }

    func testRunsTheAdmittedTablesAndWritesTheReports() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-al-benchmark-\(UUID())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tables"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try TabularFixtures.blobs(rows: 24, seed: 1).write(to: folder.appendingPathComponent("tables/blobs.csv"), atomically: true, encoding: .utf8)
        try TabularFixtures.blobs(rows: 1200, seed: 1).write(to: folder.appendingPathComponent("tables/large.csv"), atomically: true, encoding: .utf8)
        var numbers = "x,y\n"
        for i in 0..<40 { numbers += "\(i),\(Double(i) * 1.7)\n" }
        try numbers.write(to: folder.appendingPathComponent("tables/numbers.csv"), atomically: true, encoding: .utf8)
        var benchmark = ActiveLearningBenchmark(strategies: [.random, .margin], repetitions: 2, maximumBudget: 3)
        benchmark.ensembleSize = 1
        benchmark.classifierModel = InContextActiveLearnerTests.classifierURL
        var notes: [String] = []
        let report = try benchmark.run(on: folder.appendingPathComponent("tables"), writingTo: folder.appendingPathComponent("out")) { update in
            if let note = update.note { notes.append(note) }
        }
        XCTAssertEqual(report.runs.count, 4)
        XCTAssertTrue(report.runs.allSatisfy { $0.dataset == "blobs" && $0.curve.points.count == 4 })
        XCTAssertEqual(notes.sorted(), ["left out large: 1200 rows > 1000", "left out numbers: regression"])
        for file in ["active-learning-benchmark.md", "active-learning-benchmark.csv", "active-learning-benchmark.svg", "active-learning-splits.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/\(file)").path), file)
        }
        XCTAssertTrue(report.markdown.contains("| blobs | 24 | 2 | 3 |"), report.markdown)
        let splits = try String(contentsOf: folder.appendingPathComponent("out/active-learning-splits.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(splits.count, 3)
    }

    /// Synthetic tables from the prior: seeded, named, of the asked rows, never of one class; the
    /// protocol runs on them as on a folder's tables.
    func testRunsOnTablesFromThePrior() throws {
        var prior = TabularPrior()
        prior.featureRange = 1...4
        let tables = ActiveLearningBenchmark.priorTables(count: 3, prior: prior, rows: 30...40, seed: 5)
        XCTAssertFalse(tables.isEmpty)
        XCTAssertTrue(tables.allSatisfy { $0.name.hasPrefix("prior-") && (30...40).contains($0.table.count) && Set($0.table.targets).count >= 2 })
        let again = ActiveLearningBenchmark.priorTables(count: 3, prior: prior, rows: 30...40, seed: 5)
        XCTAssertEqual(again.map(\.table.rows), tables.map(\.table.rows))
        XCTAssertNotEqual(ActiveLearningBenchmark.priorTables(count: 3, prior: prior, rows: 30...40, seed: 6).map(\.table.rows), tables.map(\.table.rows))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-al-prior-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var benchmark = ActiveLearningBenchmark(strategies: [.margin], repetitions: 1, maximumBudget: 2)
        benchmark.ensembleSize = 1
        benchmark.classifierModel = InContextActiveLearnerTests.classifierURL
        let report = try benchmark.run(tables: Array(tables.prefix(1)), writingTo: folder)
        XCTAssertEqual(report.runs.map(\.dataset), [tables[0].name])
        XCTAssertEqual(report.runs.first?.curve.points.count, 3)
    }

    func testSummariesGiveTheStandardError() {
        let summary = ActiveLearningBenchmark.Summary([1, 2, 3, 4])
        XCTAssertEqual(summary.mean, 2.5)
        XCTAssertEqual(summary.standardError, (5.0 / 3 / 4).squareRoot(), accuracy: 1e-12)
        let overall = ActiveLearningBenchmark.Summary(overTables: [summary, ActiveLearningBenchmark.Summary([0.5])])
        XCTAssertEqual(overall.mean, 1.5)
        XCTAssertEqual(overall.standardError, summary.standardError / 2, accuracy: 1e-12)
    }
}
