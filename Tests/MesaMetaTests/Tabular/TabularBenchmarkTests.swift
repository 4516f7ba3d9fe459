import Foundation
import MesaCore
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class TabularBenchmarkTests: SingleThreadedTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-tabular-benchmark-\(UUID())")
        let tables = directory.appendingPathComponent("tables")
        try FileManager.default.createDirectory(at: tables, withIntermediateDirectories: true)
        try TabularFixtures.blobs(rows: 40, seed: 1).write(to: tables.appendingPathComponent("blobs.csv"), atomically: true, encoding: .utf8)
        // Integer targets with few values would be detected as classes: the manifest says regression.
        var generator = RandomGenerator(seed: 2)
        let regression = "x,y\n" + (0..<30).map { i in "\(generator.nextNormal()),\(i % 5)" }.joined(separator: "\n") + "\n"
        try regression.write(to: tables.appendingPathComponent("counts.csv"), atomically: true, encoding: .utf8)
        try "a,b\n1\n".write(to: tables.appendingPathComponent("broken.csv"), atomically: true, encoding: .utf8)
        try #"[{"id": "counts", "task": "regression"}, {"id": "blobs", "categorical_columns": ["colour"]}]"#
            .write(to: tables.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
        super.tearDown()
    }

    func testScoresEverySplitOfEveryTableAndWritesTheReports() throws {
        let benchmark = TabularBenchmark(splitCount: 2, ensembleSize: 1, classifierModel: try TabularFixtures.modelFile(kind: .classification),
                                         regressorModel: try TabularFixtures.modelFile(kind: .regression))
        let output = directory.appendingPathComponent("out")
        var updates: [ProgressUpdate] = []
        let report = try benchmark.run(on: directory.appendingPathComponent("tables"), writingTo: output) { updates.append($0) }

        XCTAssertEqual(report.rows.map(\.dataset), ["blobs", "blobs", "counts", "counts"], "broken.csv is skipped")
        XCTAssertEqual(report.rows.map(\.kind), [.classification, .classification, .regression, .regression])
        XCTAssertEqual(report.rows.map(\.split), [0, 1, 0, 1])
        XCTAssertEqual(report.rows[0].classes, 2)
        XCTAssertEqual(report.rows[0].scores.map(\.method), ["mesa", "logistic regression", "k-NN"])
        XCTAssertEqual(report.rows[2].scores.map(\.method), ["mesa", "ridge", "k-NN"])
        XCTAssertEqual(updates.first, ProgressUpdate(completed: 0, total: 6))
        XCTAssertTrue(updates.contains { $0.note?.hasPrefix("broken: skipped: ") ?? false }, "\(updates)")

        let csv = try String(contentsOf: output.appendingPathComponent("tabular-benchmark.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "dataset,kind,rows,features,classes,split,method,accuracy,log_loss,roc_auc,r2,rmse,seconds,mode")
        XCTAssertEqual(csv.count - 1, 4 * 3, "rows × methods")
        XCTAssertTrue(csv[1].hasPrefix("blobs,classification,40,3,2,0,mesa,"), String(csv[1]))
        XCTAssertTrue(csv.last!.hasPrefix("counts,regression,30,1,0,1,k-NN,,,,"), String(csv.last!))

        let markdown = try String(contentsOf: output.appendingPathComponent("tabular-benchmark.md"), encoding: .utf8)
        XCTAssertEqual(markdown, report.markdown)
        for heading in ["# mesa benchmark-tabular\n\n2 seeded 50/50 splits per dataset", "## Classification\n\n| dataset | rows | features | classes | mesa acc |",
                        "## Regression\n\n| dataset | rows | features | mesa R² | ridge R² | k-NN R² | mesa RMSE |", "| blobs | 40 | 3 | 2 | ",
                        "| counts | 30 | 1 | ", "Mean over datasets: mesa "] {
            XCTAssertTrue(markdown.contains(heading), "\(heading) missing from\n\(markdown)")
        }
        let svg = try String(contentsOf: output.appendingPathComponent("tabular-benchmark.svg"), encoding: .utf8)
        XCTAssertEqual(svg.components(separatedBy: "height=\"5.0\"").count - 1, 1 * 3, "a bar per classification dataset and method")
        XCTAssertTrue(report.description.hasSuffix("wrote \(output.path)/tabular-benchmark.{md,csv,svg}"))
    }

    func testFilterAndManifestSelectTablesAndTasks() throws {
        let tables = directory.appendingPathComponent("tables")
        XCTAssertEqual(try TabularBenchmark(filter: "ount").tables(in: tables).map(\.lastPathComponent), ["counts.csv"])
        XCTAssertEqual(try TabularBenchmark().tables(in: tables).map(\.lastPathComponent), ["blobs.csv", "broken.csv", "counts.csv"])
        let manifest = try TabularBenchmark.manifest(in: tables)
        XCTAssertEqual(manifest["counts"]?.kind, .regression)
        XCTAssertNil(manifest["blobs"]?.kind)
        XCTAssertEqual(manifest["blobs"]?.categoricalColumns, ["colour"])
        XCTAssertTrue(try TabularBenchmark.manifest(in: directory).isEmpty, "no manifest.json")
    }

    func testReportsOfNoRowsAreStillWritten() throws {
        let report = try TabularBenchmark(splitCount: 3).writeReports([], to: directory)
        XCTAssertEqual(report.markdown, "# mesa benchmark-tabular\n\n3 seeded 50/50 splits per dataset (stratified for classification); means over splits.\n\n")
        XCTAssertTrue(try String(contentsOf: directory.appendingPathComponent("tabular-benchmark.svg"), encoding: .utf8).hasPrefix("<svg"))
    }

    /// An output folder that cannot be made is one sentence, before any table is scored.
    func testAnUnusableOutputFolderIsExplainedBeforeTheWork() throws {
        let file = directory.appendingPathComponent("file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        var updates = 0
        XCTAssertThrowsError(try TabularBenchmark().run(on: directory.appendingPathComponent("tables"), writingTo: file.appendingPathComponent("reports")) { _ in updates += 1 }) {
            XCTAssertEqual("\($0)", "cannot write the benchmark reports to \(file.path)/reports: \(file.path) is not a folder; choose another output path")
        }
        XCTAssertEqual(updates, 0)
        XCTAssertThrowsError(try TabularBenchmark().writeReports([], to: file)) {
            XCTAssertEqual("\($0)", "cannot write the benchmark table to \(file.path)/tabular-benchmark.csv: \(file.path) is not a folder; choose another output path")
        }
    }
}
