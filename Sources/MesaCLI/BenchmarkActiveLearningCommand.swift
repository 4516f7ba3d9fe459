import ArgumentParser
import Foundation
import Mesa

/// `mesa benchmark-active-learning DIR`: query strategies with the in-context learner on every
/// small classification table of a folder (``ActiveLearningBenchmark``).
struct BenchmarkActiveLearningCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-active-learning",
        abstract: "Score active-learning strategies (area under the budget curve) on every classification CSV of a folder with ≤ 1,000 rows and ≤ 10 classes.",
        discussion: "Per table and repetition: a seeded stratified 50/50 pool/test split, one row per class plus rows up to 4 as the initial set, one query at a time up to min(100, half the pool). Writes active-learning-benchmark.{md,csv,svg} and active-learning-splits.csv (the splits, for the scikit-activeml reference in benchmarks/active-learning/)."
    )

    @Argument(help: "A folder of CSV files (target in the last column; manifest.json used when present); omit it with --prior-tables.") var directory: String?
    @Option(help: "Instead of a folder: this many synthetic tables from the tabular prior (the policy's training distribution; 60–500 rows, seeded by --prior-seed).") var priorTables: Int?
    @Option(help: "The seed of --prior-tables (the policy's training tasks use other seeds).") var priorSeed: UInt64 = 1000
    @Option(help: "Where to write the reports.") var output = "runs/active-learning-benchmark"
    @Option(help: "Strategies, comma-separated (\(QueryStrategy.classification.map(\.rawValue).joined(separator: ", "))).") var strategies = "random,margin,entropy"
    @Option(help: "Repetitions (seeds) per table.") var repetitions = 20
    @Option(help: "The largest budget (queries per run).") var budget = 100
    @Option(help: "A file listing the tables to use, one name per line (e.g. benchmarks/tabular/dev.txt).") var tables: String?
    @Option(help: "Only tables whose name contains this.") var filter: String?
    @Option(help: "At most this many tables (the first by name).") var maximumTables: Int?
    @Option(help: "Ensemble members.") var ensemble = 4
    @Option(help: "A classification checkpoint of `mesa pretrain` instead of the shipped one.") var model: String?
    @Option(help: "The learned strategy's policy (a file of `mesa train-query-policy`) instead of the shipped one.") var policy: String?
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        switch (directory, priorTables) {
        case (nil, nil): throw ValidationError("give a folder of CSV tables, or --prior-tables N for synthetic tables from the tabular prior")
        case (.some, .some): throw ValidationError("give either a folder of CSV tables or --prior-tables, not both")
        case (nil, .some(let count)) where count < 1: throw ValidationError("--prior-tables must be at least 1, got \(count)")
        default: break
        }
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1, got \(repetitions)") }
        guard budget >= 1 else { throw ValidationError("--budget must be at least 1, got \(budget)") }
        guard ensemble >= 1 else { throw ValidationError("--ensemble must be at least 1, got \(ensemble)") }
        for name in Self.list(strategies) {
            do {
                let strategy = try QueryStrategy(parsing: name)
                guard QueryStrategy.classification.contains(strategy) else { throw ActiveLearningError.strategyDoesNotFitTask(strategy, task: "classification") }
            } catch { throw ValidationError("--strategies: \(error)") }
        }
    }

    func run() throws {
        threads.apply()
        var benchmark = ActiveLearningBenchmark(strategies: try Self.list(strategies).map(QueryStrategy.init(parsing:)),
                                                repetitions: repetitions, maximumBudget: budget)
        if let tables {
            benchmark.tableNames = try String(contentsOfFile: tables, encoding: .utf8).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        benchmark.filter = filter
        benchmark.maximumTables = maximumTables
        benchmark.ensembleSize = ensemble
        benchmark.classifierModel = model.map { URL(fileURLWithPath: $0) }
        benchmark.policy = policy.map { URL(fileURLWithPath: $0) }
        let progress = ProgressBar.handler(label: "active learning"), folder = URL(fileURLWithPath: output)
        if let directory {
            print(try benchmark.run(on: URL(fileURLWithPath: directory), writingTo: folder, progress: progress))
        } else {
            let tables = ActiveLearningBenchmark.priorTables(count: priorTables ?? 0, seed: priorSeed)
            print(try benchmark.run(tables: tables, skipped: [], writingTo: folder, progress: progress))
        }
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
