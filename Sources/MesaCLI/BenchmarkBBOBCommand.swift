import ArgumentParser
import Foundation
import Mesa

/// `mesa benchmark-bbob`: COCO's BBOB protocol for Mesa's evolutionary optimisers (``BBOBBenchmark``).
struct BenchmarkBBOBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-bbob",
        abstract: "Benchmark Mesa's evolutionary optimisers on the BBOB noiseless suite (COCO's protocol).",
        discussion: """
        Runs each method on BBOB functions f1-f24 (COCO's instances) and records when each of the 51 targets \
        10^2 ... 10^-8 on f - f_opt is first reached, within --budget-multiplier x dimension evaluations. Writes runs.csv, \
        bbob.md (ECDF fractions, average ranks, overhead per generation, final precision per function) and one ECDF SVG per \
        dimension. --include adds another tool's runs (same CSV, e.g. from benchmarks/bbob/pycma_reference.py); \
        --reference names the included method that Mesa's cmaes is compared with; --report-only rewrites the report from \
        --output's runs.csv and the included files.
        """
    )

    @Option(help: "Where to write runs.csv, bbob.md and the SVGs.") var output = "runs/benchmark-bbob"
    @Option(help: "Methods, comma-separated: \(EvolutionMethod.names.joined(separator: ", ")).") var methods = "cmaes"
    @Option(help: "BBOB function numbers, e.g. 1-24 or 1,8,15.") var functions = "1-24"
    @Option(help: "Dimensions, comma-separated (2-40).") var dimensions = "5,20"
    @Option(help: "COCO instance numbers, e.g. 1-5.") var instances = "1-5"
    @Option(help: "The budget per run is this times the dimension (COCO: 10000).") var budgetMultiplier = 10_000
    @Option(help: "The base seed.") var seed: UInt64 = 1
    @Option(help: "Another tool's runs CSV to include in the report (repeatable).") var include: [String] = []
    @Option(help: "The included method to compare Mesa's cmaes with (e.g. pycma).") var reference: String?
    @Flag(help: "Only rewrite the report from --output's runs.csv and --include.") var reportOnly = false

    /// `1-5,8` as [1, 2, 3, 4, 5, 8].
    static func numbers(_ text: String, option: String) throws -> [Int] {
        var result: [Int] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(bounds.count), bounds.allSatisfy({ $0 != nil }), bounds.first!! <= bounds.last!! else {
                throw ValidationErrorMessage("--\(option) must be numbers and ranges such as 1-5,8; got '\(text)'")
            }
            result += Array(bounds.first!!...bounds.last!!)
        }
        return result
    }

    func validate() throws {
        guard budgetMultiplier >= 1 else { throw ValidationError("--budget-multiplier must be at least 1, got \(budgetMultiplier)") }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: output)
        var runs: [BBOBRun] = []
        if reportOnly {
            runs = try BBOBRun.read(folder.appendingPathComponent("runs.csv"))
        } else {
            let chosen = try methods.split(separator: ",").map { try EvolutionMethod(named: String($0).trimmingCharacters(in: .whitespaces), field: "--methods") }
            let benchmark = BBOBBenchmark(methods: chosen, functions: try Self.numbers(functions, option: "functions").map(BBOBFunction.init(number:)),
                                          dimensions: try Self.numbers(dimensions, option: "dimensions"),
                                          instances: try Self.numbers(instances, option: "instances"), budgetMultiplier: budgetMultiplier, seed: seed)
            for dimension in benchmark.dimensions { _ = try BBOBProblem(function: .sphere, dimension: dimension, instance: 1) }
            runs = try benchmark.run(progress: ProgressBar.handler(label: "benchmark-bbob"))
        }
        let mesaMethods = Set(runs.map(\.method))
        for path in include {
            runs += try BBOBRun.read(URL(fileURLWithPath: path)).filter { !mesaMethods.contains($0.method) }
        }
        if let reference, !runs.contains(where: { $0.method == reference }) {
            throw ValidationErrorMessage("--reference \(reference) names no method in the runs; the methods are \(Set(runs.map(\.method)).sorted().joined(separator: ", "))")
        }
        print(try BBOBBenchmark.writeReport(runs, budgetMultiplier: budgetMultiplier, to: folder, reference: reference))
    }
}
