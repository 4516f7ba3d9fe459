import Foundation
import MesaCore

/// `mesa benchmark-active-learning`: query strategies with the in-context learner on every
/// small classification table of a folder, after Lu et al. 2023 ("A comparative survey of
/// pool-based active learning").
///
/// Protocol, per table with at most ``maximumRows`` rows and ``maximumClasses`` classes, and per
/// repetition `r` (seed `r`): a stratified 50/50 split into pool and test
/// (``TabularEvaluation/split(_:kind:fraction:seed:)``); an initial labelled set of one random
/// pool row per class plus random pool rows up to ``initialSize`` in all; then one query at a
/// time up to a budget of `min(maximumBudget, ⌊pool/2⌋)`; after each query the test accuracy.
/// The score is the area under that budget curve (``LearningCurve/areaUnderBudgetCurve``). Every
/// strategy of a repetition starts from the same split and initial set; they are also written to
/// `active-learning-splits.csv` so that other learners (the scikit-activeml reference in
/// `benchmarks/active-learning/`) run on exactly the same ones.
///
/// ``run(on:writingTo:progress:)`` writes into its output folder:
/// - `active-learning-benchmark.csv`: `dataset,rows,classes,repetition,strategy,budget,aubc,initial_accuracy,final_accuracy,median_decision_seconds`;
/// - `active-learning-splits.csv`: `dataset,repetition,budget,initial,pool,test` (0-based data rows, space-separated);
/// - `active-learning-benchmark.md`: mean AUBC ± standard error per table and strategy, and over tables;
/// - `active-learning-benchmark.svg`: the mean AUBC per table and strategy (``SVGChart``).
public struct ActiveLearningBenchmark: Sendable {
    /// The strategies compared.
    public var strategies: [QueryStrategy]
    /// Repetitions (seeds) per table.
    public var repetitions: Int
    /// The largest budget (the protocol's 100).
    public var maximumBudget: Int
    /// The initial labelled set's size (at least one row per class).
    public var initialSize = 4
    /// Tables with more rows are left out.
    public var maximumRows = 1000
    /// Tables with more classes are left out.
    public var maximumClasses = 10
    /// Only these tables (file names without `.csv`), when set.
    public var tableNames: [String]?
    /// Only the tables whose name contains this, when set.
    public var filter: String?
    /// At most this many tables (the first by name), when set.
    public var maximumTables: Int?
    /// Ensemble members of the learner.
    public var ensembleSize = 4
    /// A classification checkpoint instead of the shipped model.
    public var classifierModel: URL?
    /// The learned strategy's policy file instead of the shipped one.
    public var policy: URL?

    /// A benchmark with the protocol's settings unless given.
    public init(strategies: [QueryStrategy] = [.random, .margin, .entropy], repetitions: Int = 20, maximumBudget: Int = 100) {
        self.strategies = strategies
        self.repetitions = repetitions
        self.maximumBudget = maximumBudget
    }

    /// One run: a table, a repetition, a strategy.
    public struct Run: Sendable {
        /// The table's name.
        public var dataset: String
        /// The table's rows and classes.
        public var rows: Int, classes: Int
        /// The repetition (its seed).
        public var repetition: Int
        /// The strategy.
        public var strategy: QueryStrategy
        /// The learning curve on the test rows.
        public var curve: LearningCurve
        /// The median seconds of a query decision.
        public var medianDecisionSeconds: Double
    }

    /// One table's split for one repetition.
    public struct Split: Sendable, Equatable {
        /// The initial labelled rows, the unlabelled pool and the test rows (data rows of the table).
        public var initial: [Int], pool: [Int], test: [Int]
        /// The queries to spend.
        public var budget: Int
    }

    /// What the benchmark measured and wrote.
    public struct Report: Sendable, CustomStringConvertible {
        /// Every run.
        public var runs: [Run]
        /// The Markdown summary.
        public var markdown: String
        /// The folder written to.
        public var folder: URL
        /// The summary and the files written.
        public var description: String { markdown + "\nwrote \(folder.path)/active-learning-benchmark.{md,csv,svg} and active-learning-splits.csv" }
    }

    /// The protocol's initial labelled set from `rows` (in random order): the first row of each
    /// class (`label(row)`), then the next rows in order up to `size` in all. ``split(_:seed:)``
    /// and ``QueryPolicyTrainer``'s protocol draw both use it.
    static func initialSet<Label: Hashable>(from rows: [Int], size: Int, label: (Int) -> Label) -> [Int] {
        var initial: [Int] = [], seen = Set<Label>()
        for row in rows where seen.insert(label(row)).inserted { initial.append(row) }
        for row in rows where initial.count < size && !initial.contains(row) { initial.append(row) }
        return initial
    }

    /// The protocol's split of a table with class labels `targets` for repetition `seed`.
    public func split(_ table: TabularTable, seed: UInt64) -> Split {
        let (poolRows, test) = TabularEvaluation.split(table, kind: .classification, seed: seed)
        var generator = RandomGenerator(seed: seed &+ 0x9E37_79B9)
        var shuffled = poolRows
        generator.shuffle(&shuffled)
        let initial = Self.initialSet(from: shuffled, size: initialSize) { table.targets[$0].trimmingSpaces() }
        let taken = Set(initial)
        let pool = poolRows.filter { !taken.contains($0) }
        return Split(initial: initial, pool: pool, test: test, budget: min(maximumBudget, poolRows.count / 2, pool.count))
    }

    /// The tables of `directory` the protocol admits, with why the others are left out.
    public func tables(in directory: URL) throws -> (admitted: [(name: String, table: TabularTable, categorical: [String])], skipped: [String]) {
        let manifest = try TabularBenchmark.manifest(in: directory)
        var files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "csv" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        if let tableNames { files = files.filter { tableNames.contains($0.deletingPathExtension().lastPathComponent) } }
        if let filter { files = files.filter { $0.lastPathComponent.contains(filter) } }
        var admitted: [(String, TabularTable, [String])] = [], skipped: [String] = []
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            if let maximumTables, admitted.count >= maximumTables { break }
            do {
                let table = try TabularTable(CSVTable(contentsOf: file), source: file.lastPathComponent)
                let kind = manifest[name]?.kind ?? TabularEvaluation.detectKind(table)
                let classes = Set(table.targets.map { $0.trimmingSpaces() }).count
                if kind != .classification { skipped.append("\(name): regression"); continue }
                if table.count > maximumRows { skipped.append("\(name): \(table.count) rows > \(maximumRows)"); continue }
                if classes > maximumClasses { skipped.append("\(name): \(classes) classes > \(maximumClasses)"); continue }
                admitted.append((name, table, manifest[name]?.categoricalColumns ?? []))
            } catch {
                skipped.append("\(name): \(error)")
            }
        }
        return (admitted.map { (name: $0.0, table: $0.1, categorical: $0.2) }, skipped)
    }

    /// Runs the protocol on the admitted tables of `directory` and writes the files described
    /// above into `output` (created if needed). A table whose run fails is skipped with a note.
    ///
    /// - Parameter progress: called after each run (`total`: tables × repetitions × strategies)
    ///   and with a note per table left out.
    public func run(on directory: URL, writingTo output: URL, progress: (ProgressUpdate) -> Void = { _ in }) throws -> Report {
        let (tables, skipped) = try self.tables(in: directory)
        return try run(tables: tables, skipped: skipped, writingTo: output, progress: progress)
    }

    /// `count` synthetic classification tables from `prior` (never a real table), named
    /// `prior-0`, `prior-1`, …, of `rows` rows each (drawn log-uniformly), as text cells the way a
    /// CSV file gives them (``QueryPolicyTrainer``'s tasks are drawn the same way): the
    /// distribution the learned query policy is meta-trained on, so that a policy's choices can be
    /// checked against margin sampling's on it without touching a real table. Tables of one class
    /// are left out, so fewer than `count` may come back.
    public static func priorTables(count: Int, prior: TabularPrior = TabularPrior(), rows: ClosedRange<Int> = 60...500,
                                   seed: UInt64) -> [(name: String, table: TabularTable, categorical: [String])] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).compactMap { index in
            let low = log(Double(max(rows.lowerBound, 8))), high = log(Double(rows.upperBound + 1))
            let n = max(8, min(rows.upperBound, Int(exp(low + generator.nextDouble() * (high - low)))))
            let table = QueryPolicyTrainer.table(prior.sample(rowCount: n, trainCount: n / 2, using: &generator))
            guard Set(table.targets).count >= 2 else { return nil }
            return (name: "prior-\(index)", table: table, categorical: [])
        }
    }

    /// Runs the protocol on `tables` (with the notes of those left out, `skipped`) and writes the
    /// files described above into `output` (created if needed).
    public func run(tables: [(name: String, table: TabularTable, categorical: [String])], skipped: [String] = [], writingTo output: URL,
                    progress: (ProgressUpdate) -> Void = { _ in }) throws -> Report {
        try OutputFile.prepareFolder(output, contents: "the active-learning benchmark reports")
        let total = tables.count * repetitions * strategies.count
        progress(ProgressUpdate(completed: 0, total: total))
        for note in skipped { progress(ProgressUpdate(completed: 0, total: total, note: "left out \(note)")) }
        var runs: [Run] = [], splitsCSV = "dataset,repetition,budget,initial,pool,test\n"
        var done = 0
        var learner: InContextActiveLearner?
        for (name, table, categorical) in tables {
            var options = TabularPredictionOptions()
            options.ensembleSize = ensembleSize
            options.subsampleFeatures = true
            for column in categorical { options.columnKinds[column] = .categorical }
            let classes = Set(table.targets.map { $0.trimmingSpaces() }).count
            do {
                for repetition in 0..<repetitions {
                    let split = self.split(table, seed: UInt64(repetition))
                    func list(_ rows: [Int]) -> String { rows.map(String.init).joined(separator: " ") }
                    splitsCSV += "\(name),\(repetition),\(split.budget),\(list(split.initial)),\(list(split.pool)),\(list(split.test))\n"
                    options.seed = UInt64(repetition)
                    let model = try learner ?? InContextActiveLearner(task: .classification, options: options, modelURL: classifierModel, policyURL: policy)
                    learner = model
                    model.classifier?.options = options
                    for strategy in strategies {
                        let simulation = ActiveLearningSimulation(strategy: strategy, budget: split.budget, seed: UInt64(repetition))
                        let result = try simulation.run(table, labelled: split.initial, pool: split.pool, test: split.test, learner: model)
                        let seconds = result.decisionSeconds.sorted()
                        runs.append(Run(dataset: name, rows: table.count, classes: classes, repetition: repetition, strategy: strategy,
                                        curve: result.curve, medianDecisionSeconds: seconds.isEmpty ? 0 : seconds[seconds.count / 2]))
                        done += 1
                        progress(ProgressUpdate(completed: done, total: total))
                    }
                }
            } catch {
                done = runs.count
                progress(ProgressUpdate(completed: done, total: total, note: "\(name): skipped: \(error)"))
                runs.removeAll { $0.dataset == name }
            }
        }
        try OutputFile(output.appendingPathComponent("active-learning-splits.csv"), contents: "the splits").write(splitsCSV)
        return try writeReports(runs, to: output)
    }
}
