import Foundation
import XCTest

/// `mesa optimize --method …` (population methods) and `mesa benchmark-bbob` end to end.
final class OptimizeMethodCommandTests: ScratchFolderTestCase {
    var space: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        space = directory.appendingPathComponent("space.json").path
        try """
            {"parameters": [{"name": "x", "type": "continuous", "low": -2, "high": 2},
                            {"name": "y", "type": "continuous", "low": -2, "high": 2}]}
            """.write(toFile: space, atomically: true, encoding: .utf8)
    }

    private let objective = ["--", "/bin/sh", "-c", "awk 'BEGIN { print ({x} - 0.5) ^ 2 + ({y} + 1) ^ 2 }'"]

    func testCMAESRunsInParallelBatchesAndResumesByReplayingItsHistory() throws {
        let history = directory.appendingPathComponent("history.csv").path
        let first = try MesaProcess.run(["optimize", "--method", "cmaes", "--parallel", "3", "--seed", "4", "--space", space, "--budget", "12",
                                         "--history", history] + objective)
        XCTAssertEqual(first.status, 0, first.error)
        XCTAssertEqual(try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n").count, 13)
        let resumed = try MesaProcess.run(["optimize", "--method", "cmaes", "--parallel", "3", "--seed", "4", "--space", space, "--budget", "60",
                                           "--history", history] + objective)
        XCTAssertEqual(resumed.status, 0, resumed.error)
        XCTAssertTrue(resumed.error.contains("replaying the 12 evaluations"), resumed.error)
        XCTAssertEqual(try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n").count, 61)
        XCTAssertTrue(resumed.output.contains("best objective"), resumed.output)
        let other = try MesaProcess.run(["optimize", "--method", "cmaes", "--seed", "5", "--space", space, "--budget", "70",
                                         "--history", history] + objective)
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.error.contains("is not the point cmaes with seed 5 proposes; resume with the --method and --seed that wrote it"), other.error)
    }

    func testEveryPopulationMethodFillsItsBudget() throws {
        for method in ["sep-cmaes", "de", "jade", "metade", "openai-es", "les", "les-no-restarts"] {
            let history = directory.appendingPathComponent("\(method).csv").path
            let run = try MesaProcess.run(["optimize", "--method", method, "--parallel", "4", "--space", space, "--budget", "40",
                                           "--history", history, "--", "/bin/sh", "-c", "echo {x} {y} | awk '{ print ($1 - 0.5) ^ 2 + ($2 + 1) ^ 2 }'"])
            XCTAssertEqual(run.status, 0, "\(method): \(run.error)")
            XCTAssertEqual(try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n").count, 41, method)
        }
    }

    func testBadMethodsAndParallelismAreClearErrors() throws {
        let unknown = try MesaProcess.run(["optimize", "--method", "pso", "--space", space] + objective)
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.error.contains("unknown --method 'pso'; valid: bayes, cmaes, sep-cmaes, de, jade, metade, openai-es, les, les-no-restarts"), unknown.error)
        let parallelBayes = try MesaProcess.run(["optimize", "--parallel", "2", "--space", space, "--history", directory.appendingPathComponent("h.csv").path] + objective)
        XCTAssertNotEqual(parallelBayes.status, 0)
        XCTAssertTrue(parallelBayes.error.contains("--parallel 2 needs a population method"), parallelBayes.error)
        let zero = try MesaProcess.run(["optimize", "--method", "de", "--parallel", "0", "--space", space] + objective)
        XCTAssertTrue(zero.error.contains("--parallel must be at least 1, got 0"), zero.error)
    }

    func testBenchmarkBBOBWritesItsReportAndComparesWithAReference() throws {
        let output = directory.appendingPathComponent("bbob").path
        let run = try MesaProcess.run(["benchmark-bbob", "--output", output, "--methods", "cmaes,jade,metade", "--functions", "1,2",
                                       "--dimensions", "2", "--instances", "1-2", "--budget-multiplier", "100"])
        XCTAssertEqual(run.status, 0, run.error)
        for file in ["runs.csv", "bbob.md", "ecdf-d02.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(output)/\(file)"), file)
        }
        XCTAssertTrue(run.output.contains("| metade | 4 |"), run.output)
        // A reference tool's runs in the same format, as benchmarks/bbob/pycma_reference.py writes them.
        let runs = try String(contentsOfFile: "\(output)/runs.csv", encoding: .utf8)
        let reference = runs.split(separator: "\n").enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.replacingOccurrences(of: "jade,", with: "pycma,") }
            .filter { $0.hasPrefix("method") || $0.hasPrefix("pycma") }.joined(separator: "\n")
        let referencePath = directory.appendingPathComponent("pycma.csv").path
        try reference.write(toFile: referencePath, atomically: true, encoding: .utf8)
        let report = try MesaProcess.run(["benchmark-bbob", "--output", output, "--report-only", "--budget-multiplier", "100",
                                          "--include", referencePath, "--reference", "pycma"])
        XCTAssertEqual(report.status, 0, report.error)
        XCTAssertTrue(report.output.contains("| pycma | 4 |"), report.output)
        XCTAssertTrue(report.output.contains("Mesa's cmaes against pycma: largest ECDF gap"), report.output)
        let bad = try MesaProcess.run(["benchmark-bbob", "--output", output, "--functions", "30"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.error.contains("there is no BBOB function f30; the noiseless suite has f1 … f24"), bad.error)
        let badMethod = try MesaProcess.run(["benchmark-bbob", "--output", output, "--methods", "cmaes,pso"])
        XCTAssertTrue(badMethod.error.contains("valid values: cmaes, sep-cmaes, de, jade, metade, openai-es, les, les-no-restarts"), badMethod.error)
    }
}
