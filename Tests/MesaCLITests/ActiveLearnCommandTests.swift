import Foundation
import XCTest

/// `mesa active-learn` end to end with the shipped model on small tables.
final class ActiveLearnCommandTests: ScratchFolderTestCase {

    /// Rows of two classes separated by `x` (`label` column last, or omitted).
    private func rows(_ range: Range<Int>, labels: Bool = true) -> String {
        (labels ? "x,z,label\n" : "x,z\n") + range.map { i in
            "\(Double(i % 20) / 2),\((i * 7) % 5)" + (labels ? ",\(i % 20 < 10 ? "low" : "high")" : "")
        }.joined(separator: "\n") + "\n"
    }

    func testChoosesDistinctPoolRowsWithTheirScoresAndCells() throws {
        let labelled = try write("labelled.csv", "x,z,label\n0,1,low\n9.5,2,high\n1,0,low\n8,4,high\n")
        let pool = try write("pool.csv", rows(0..<30, labels: false))
        let output = directory.appendingPathComponent("next.csv").path
        let result = try MesaProcess.run(["active-learn", "--pool", pool, "--labelled", labelled, "--batch", "3", "--output", output, "--ensemble", "2"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("4 labelled rows, 30 in the pool"), result.output)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "rank,pool_row,line,score,reason,x,z")
        XCTAssertEqual(lines.count, 4)
        let poolRows = lines.dropFirst().map { Int($0.split(separator: ",")[1])! }
        XCTAssertEqual(Set(poolRows).count, 3)
        XCTAssertTrue(poolRows.allSatisfy { (1...30).contains($0) })
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",").map(String.init)
            XCTAssertEqual(Int(cells[2]), Int(cells[1])! + 1, "line = data row + the header")
            XCTAssertTrue(line.contains("probabilities differ by"), line)
        }
    }

    /// The hybrid: the shipped policy's best rows, re-scored by the look-ahead.
    func testTheLearnedLookAheadChoosesByTheExpectedError() throws {
        let labelled = try write("labelled.csv", "x,z,label\n0,1,low\n9.5,2,high\n1,0,low\n8,4,high\n")
        let pool = try write("pool.csv", rows(0..<30, labels: false))
        let output = directory.appendingPathComponent("next.csv").path
        let result = try MesaProcess.run(["active-learn", "--pool", pool, "--labelled", labelled, "--strategy", "learned-look-ahead",
                                          "--candidates", "3", "--output", output, "--ensemble", "1"])
        XCTAssertEqual(result.status, 0, result.error)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[1].contains("expected error on the pool after labelling it"), String(lines[1]))
    }

    func testTheOracleSimulatesTheLoopAndWritesTheCurve() throws {
        let labelled = try write("labelled.csv", "x,z,label\n0,1,low\n9.5,2,high\n")
        let oracle = try write("oracle.csv", rows(0..<24))
        let output = directory.appendingPathComponent("queries.csv").path, curve = directory.appendingPathComponent("curve.csv").path
        let arguments = ["active-learn", "--oracle", oracle, "--labelled", labelled, "--budget", "4", "--strategy", "entropy",
                         "--output", output, "--curve", curve, "--ensemble", "1", "--seed", "3"]
        let result = try MesaProcess.run(arguments)
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("AUBC"), result.output)
        let lines = try String(contentsOfFile: curve, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "queries,labelled,accuracy")
        XCTAssertEqual(lines.count, 6)
        XCTAssertTrue(try String(contentsOfFile: directory.appendingPathComponent("curve.svg").path, encoding: .utf8).contains("<svg"))
        let queries = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertEqual(try MesaProcess.run(arguments).status, 0)
        XCTAssertEqual(try String(contentsOfFile: output, encoding: .utf8), queries, "the same seed, the same queries")
    }

    func testBadInputsGiveClearErrors() throws {
        let labelled = try write("labelled.csv", "x,z,label\n0,1,low\n9.5,2,high\n")
        let pool = try write("pool.csv", rows(0..<6, labels: false))
        let cases: [([String], String)] = [
            (["--pool", try write("other.csv", "x,w\n1,2\n")], "the pool file lacks the labelled file's column z and has column the labelled file lacks: w"),
            (["--pool", try write("empty.csv", "x,z\n")], "the pool file empty.csv has no rows to query"),
            (["--pool", pool, "--batch", "7"], "the budget of 7 queries is larger than the pool's 6 rows"),
            (["--oracle", try write("oracle.csv", rows(0..<6)), "--budget", "9"], "the budget of 9 queries is larger than the pool's 6 rows"),
            (["--oracle", try write("oracle6.csv", rows(0..<6)), "--test", try write("test.csv", "x,w,label\n1,2,low\n")],
             "the test file lacks the labelled file's column z and has column the labelled file lacks: w; the test and labelled files need the same feature columns"),
            (["--pool", pool, "--strategy", "smallest-margin"], "unknown query strategy 'smallest-margin'; valid strategies: random, least-confidence, margin"),
            (["--pool", pool, "--strategy", "variance"], "the query strategy 'variance' does not apply to a classification target"),
            (["--pool", pool, "--candidates", "0"], "--candidates must be at least 1, got 0"),
            (["--pool", pool, "--labelled", try write("one.csv", "x,z,label\n0,1,low\n1,1,low\n")], "the labelled rows have a single class ('low')"),
        ]
        for (arguments, message) in cases {
            let full = ["active-learn", "--output", directory.appendingPathComponent("q.csv").path] + arguments
                + (arguments.contains("--labelled") ? [] : ["--labelled", labelled])
            let result = try MesaProcess.run(full)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.error.contains(message), "\(arguments): \(result.error)")
        }
    }
}

/// `mesa benchmark-active-learning`'s argument checks.
final class BenchmarkActiveLearningCommandTests: ScratchFolderTestCase {
    func testUnknownOrRegressionStrategiesAreRefused() throws {
        let unknown = try MesaProcess.run(["benchmark-active-learning", "/nonexistent", "--strategies", "margin,best"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.error.contains("unknown query strategy 'best'; valid strategies: random, least-confidence"), unknown.error)
        let variance = try MesaProcess.run(["benchmark-active-learning", "/nonexistent", "--strategies", "variance"])
        XCTAssertTrue(variance.error.contains("'variance' does not apply to a classification target"), variance.error)
    }

    func testAFolderOrPriorTablesAreNeeded() throws {
        for (arguments, message) in [
            ([String](), "give a folder of CSV tables, or --prior-tables N"),
            (["/nonexistent", "--prior-tables", "3"], "either a folder of CSV tables or --prior-tables, not both"),
            (["--prior-tables", "0"], "--prior-tables must be at least 1, got 0"),
        ] {
            let result = try MesaProcess.run(["benchmark-active-learning"] + arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.error.contains(message), "\(arguments): \(result.error)")
        }
    }
}
