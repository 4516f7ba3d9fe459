import Foundation
import MesaMeta
import XCTest

final class BayesianOptimizationBenchmarkTests: XCTestCase {
    func testAReducedProtocolWritesDesignsTracesAndReports() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-bo-benchmark-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var sampler = GaussianProcessFunctionSampler()
        sampler.minimumSearchSize = 512
        let benchmark = BayesianOptimizationBenchmark(functions: [.branin], seedCount: 2, heldOutCount: 1, initialPointCount: 5,
                                                      evaluationCount: 8, sampler: sampler)
        let report = try benchmark.run(writingTo: folder)
        let traces = try BayesianOptimizationBenchmark.readTraces(folder.appendingPathComponent("traces.csv"))
        XCTAssertEqual(traces.count, 3 * 3 * 8)   // (2 seeds + 1 held-out function) × 3 methods × 8 evaluations
        // The same initial design for every method; the best value never increases.
        for method in ["mesa", "pfn", "random"] {
            XCTAssertEqual(traces.filter { $0.method == method && $0.problem == "branin" && $0.seed == 1 && $0.evaluation <= 5 }.map(\.value),
                           traces.filter { $0.method == "mesa" && $0.problem == "branin" && $0.seed == 1 && $0.evaluation <= 5 }.map(\.value))
        }
        for run in Dictionary(grouping: traces, by: { "\($0.method) \($0.problem) \($0.seed)" }).values {
            XCTAssertEqual(run.map(\.best), run.map(\.value).reduce(into: [Double]()) { $0.append(Swift.min($0.last ?? .infinity, $1)) })
        }
        XCTAssertEqual(report.summaries.map { "\($0.group) \($0.method)" }, ["branin mesa", "branin pfn", "branin random", "gp-prior-d2 mesa", "gp-prior-d2 pfn", "gp-prior-d2 random"])
        XCTAssertTrue(report.markdown.contains("| branin | mesa | 2 |"), report.markdown)
        for file in ["designs.json", "bo-benchmark.md", "bo-benchmark.csv", "bo-benchmark-branin.svg", "bo-benchmark-gp-prior-d2.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), file)
        }
        // designs.json holds the values of the initial designs.
        let designs = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("designs.json"))) as! [String: Any]
        let branin = (designs["problems"] as! [[String: Any]])[0]
        let run = (branin["runs"] as! [[String: Any]])[1]
        let point = NamedBenchmark.branin.function.point(fromUnit: (run["initial_points"] as! [[Double]])[0])
        XCTAssertEqual((run["initial_values"] as! [Double])[0], NamedBenchmark.branin.value(at: point), accuracy: 1e-12)

        // Another tool's traces join the report; Mesa ÷ BoTorch ratios appear.
        let other = folder.appendingPathComponent("botorch-traces.csv")
        let copied = try String(contentsOf: folder.appendingPathComponent("traces.csv"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("mesa,") || $0.hasPrefix("method,") }
            .map { $0.hasPrefix("mesa,") ? "botorch," + $0.dropFirst(5) : String($0) }.joined(separator: "\n")
        try copied.write(to: other, atomically: true, encoding: .utf8)
        let combined = try BayesianOptimizationBenchmark.report(in: folder, including: [other])
        XCTAssertTrue(combined.markdown.contains("## Mesa ÷ BoTorch"), combined.markdown)
        XCTAssertTrue(combined.markdown.contains("| branin | 1 | 1 |"), combined.markdown)
        XCTAssertEqual(combined.summaries.first { $0.method == "botorch" && $0.group == "branin" }?.averageRank,
                       combined.summaries.first { $0.method == "mesa" && $0.group == "branin" }?.averageRank)
    }

    func testTheYardsticksRunOnHeldOutFunctionsOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-bo-yardsticks-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var sampler = GaussianProcessFunctionSampler()
        sampler.minimumSearchSize = 256
        var benchmark = BayesianOptimizationBenchmark(functions: [.branin], seedCount: 0, heldOutCount: 2, heldOutDimensions: [2, 3], initialPointCount: 5,
                                                      evaluationCount: 8, methods: [.gpOracle, .gpBayes], sampler: sampler)
        benchmark.mixtureDrawCount = 16
        benchmark.heldOutSplit = .metaValidation
        try benchmark.checkMethods()
        let report = try benchmark.run(writingTo: folder)
        XCTAssertEqual(report.summaries.map { "\($0.group) \($0.method) \($0.runCount)" },
                       ["gp-validation-d2 gp-oracle 1", "gp-validation-d2 gp-bayes 1", "gp-validation-d3 gp-oracle 1", "gp-validation-d3 gp-bayes 1"])
        // The oracle suggests differently from the fitted process (it is not the GP under another name).
        let problem = try XCTUnwrap(benchmark.problems().first { !$0.seeds.isEmpty }).function
        let oracle = try benchmark.run(.gpOracle, on: problem, seed: 0), fitted = try benchmark.run(.mesa, on: problem, seed: 0)
        XCTAssertEqual(oracle.prefix(5).map(\.value), fitted.prefix(5).map(\.value))
        XCTAssertNotEqual(oracle.suffix(3).map(\.value), fitted.suffix(3).map(\.value))

        // The oracle on a named function: a clear error before anything runs, and from run(_:on:seed:).
        benchmark.seedCount = 1
        XCTAssertThrowsError(try benchmark.checkMethods()) { error in
            XCTAssertTrue("\(error)".contains("--methods gp-oracle: the oracle knows the hyperparameters of GP-prior functions only, and branin has none"), "\(error)")
        }
        XCTAssertThrowsError(try benchmark.run(.gpOracle, on: NamedBenchmark.branin.function, seed: 0)) { error in
            XCTAssertTrue("\(error)".contains("branin has none"), "\(error)")
        }
        benchmark.mixtureDrawCount = 0
        benchmark.methods = [.gpBayes]
        XCTAssertThrowsError(try benchmark.checkMethods()) { error in
            XCTAssertTrue("\(error)".contains("at least 1 hyperparameter draw, got 0"), "\(error)")
        }
    }

    func testAllRunsEachMethodOnlyWhereItCan() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-bo-all-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var sampler = GaussianProcessFunctionSampler()
        sampler.minimumSearchSize = 256
        var benchmark = BayesianOptimizationBenchmark(functions: [.branin, .hartmann6], seedCount: 1, heldOutCount: 1, heldOutDimensions: [2],
                                                      initialPointCount: 5, evaluationCount: 6, methods: [.random, .gpOracle, .nap], sampler: sampler)
        // Named one by one, a method that cannot run a problem is an error before anything runs.
        XCTAssertThrowsError(try benchmark.checkMethods()) { error in
            XCTAssertTrue("\(error)".contains("--methods gp-oracle"), "\(error)")
        }
        benchmark.methods = [.random, .nap]
        XCTAssertThrowsError(try benchmark.checkMethods()) { error in
            XCTAssertTrue("\(error)".contains("--methods nap: the NAP policy accepts at most") && "\(error)".contains("hartmann6 has 6"), "\(error)")
        }
        // As `--methods all` asks: each method where it can run, the others left out.
        benchmark.methods = [.random, .gpOracle, .nap]
        benchmark.onlyWhereApplicable = true
        try benchmark.checkMethods()
        let report = try benchmark.run(writingTo: folder)
        XCTAssertEqual(Set(report.summaries.map { "\($0.group) \($0.method)" }),
                       ["branin random", "branin nap", "hartmann6 random", "gp-prior-d2 random", "gp-prior-d2 gp-oracle", "gp-prior-d2 nap"])
        let traces = try BayesianOptimizationBenchmark.readTraces(folder.appendingPathComponent("traces.csv"))
        XCTAssertEqual(traces.count, 6 * 6)
    }
}
