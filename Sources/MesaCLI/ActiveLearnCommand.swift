import ArgumentParser
import Foundation
import Mesa

/// `mesa active-learn`: the rows of a pool to label next, chosen by a query strategy with the
/// shipped in-context model as the learner; with `--oracle`, the simulated loop and its learning
/// curve (``ActiveLearningSimulation``).
struct ActiveLearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "active-learn",
        abstract: "Choose the pool rows to label next (active learning with the in-context model), or simulate the loop with --oracle.",
        discussion: """
        Writes the rows to label next (their row in the pool file, line, score and reason, then their cells) to --output; \
        label them, move them to the labelled file and run again. With --oracle (the pool with its labels) the loop runs to \
        --budget, answering its own queries, and writes every query to --output and the learning curve to --curve (CSV and \
        SVG): accuracy (R² for regression) on --test, or on the pool rows not yet queried. --seed (default 0) seeds the \
        ensemble and the random choices. Strategies: \(QueryStrategy.validValues).
        """
    )

    @Option(help: "The unlabelled rows to choose from (CSV with the labelled file's feature columns; the target column may be absent).") var pool: String?
    @Option(help: "The labelled rows (CSV with a header).") var labelled: String
    @Option(help: "The pool with its labels: simulate the loop, answering queries from it (instead of, or beside, --pool).") var oracle: String?
    @Option(help: "Labelled rows on which the simulated loop's learning curve is measured (default: the pool rows not yet queried).") var test: String?
    @Option(help: "The target column (default: the last column of the labelled file).") var target: String?
    @Option(help: "classification, regression or auto (numeric targets with more than 10 values are regression).") var task = PredictionTask.auto
    @Option(help: "How to choose rows: \(QueryStrategy.validValues) (default: margin; variance for regression).") var strategy: String?
    @Option(help: "Rows per query (a batch is made diverse by farthest-first traversal over the top candidates).") var batch = 1
    @Option(help: "With --oracle: queries to spend (default: min(100, pool rows)).") var budget: Int?
    @Option(help: "Rows looked ahead at: expected-error's most uncertain (entropy; default 10), learned-look-ahead's best by the policy (default 8).") var candidates: Int?
    @Option(help: "Ensemble members of the model.") var ensemble = 4
    @Option(help: "Where to write the rows to label (CSV; - for standard output).") var output = "runs/active-learn/queries.csv"
    @Option(help: "With --oracle: where to write the learning curve (CSV; the SVG chart goes beside it with .svg).") var curve = "runs/active-learn/curve.csv"
    @Option(help: "A model checkpoint of `mesa pretrain` instead of the shipped one.") var model: String?
    @Option(help: "--strategy learned or learned-look-ahead: a policy of `mesa train-query-policy` instead of the shipped one.") var policy: String?
    @OptionGroup var seedOption: SeedOption
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard pool != nil || oracle != nil else { throw ValidationError("give the unlabelled rows with --pool FILE (or, to simulate, --oracle FILE: the pool with its labels)") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1, got \(batch)") }
        guard ensemble >= 1 else { throw ValidationError("--ensemble must be at least 1, got \(ensemble)") }
        if let candidates, candidates < 1 { throw ValidationError("--candidates must be at least 1, got \(candidates)") }
        if let budget, budget < 1 { throw ValidationError("--budget must be at least 1, got \(budget)") }
        if budget != nil && oracle == nil { throw ValidationError("--budget applies to the simulated loop (--oracle); without it, --batch says how many rows to choose") }
        if test != nil && oracle == nil { throw ValidationError("--test applies to the simulated loop (--oracle)") }
        if let strategy { do { _ = try QueryStrategy(parsing: strategy) } catch { throw ValidationError("--strategy: \(error)") } }
    }

    func run() throws {
        threads.apply()
        let seed = seedOption.value ?? 0
        let queriesFile = OutputFile(path: output, contents: "the rows to label", option: "--output").reservingStandardOutput()
        let inputs = [("--pool", pool), ("--labelled", labelled), ("--oracle", oracle), ("--test", test)].compactMap { role, path in path.map { (role: role, url: URL(fileURLWithPath: $0)) } }
        if output == "runs/active-learn/queries.csv" || curve == "runs/active-learn/curve.csv" {
            try OutputFile.prepareFolder(URL(fileURLWithPath: "runs/active-learn"), contents: "the active-learning outputs")
        }
        try queriesFile.check(notOverwriting: inputs)
        let labelledTable = try TabularTable(CSVTable(contentsOf: URL(fileURLWithPath: labelled)), target: target, source: labelled)
        let kind = task.kind(for: labelledTable)
        let chosen = try strategy.map(QueryStrategy.init(parsing:)) ?? (kind == .regression ? .variance : .margin)
        let valid = kind == .regression ? QueryStrategy.regression : QueryStrategy.classification
        guard valid.contains(chosen) else { throw ActiveLearningError.strategyDoesNotFitTask(chosen, task: kind.rawValue) }
        var poolTable = try Self.poolTable(pool ?? oracle!, target: labelledTable.targetName)
        var poolLabels: [String]?
        if let oracle {
            let answers = try Self.poolTable(oracle, target: labelledTable.targetName, requireTarget: true)
            guard answers.count == poolTable.count else {
                throw ValidationError("--oracle has \(answers.count) rows and --pool \(poolTable.count); the oracle is the pool with its labels, row for row")
            }
            if let row = answers.targets.firstIndex(where: TabularTable.isMissingLabel) {
                throw ValidationError("--oracle row \(row + 1) (line \(answers.line(ofRow: row))) has no label in '\(answers.targetName)'; the oracle must label every pool row")
            }
            poolLabels = answers.targets
            if pool == nil { poolTable = answers }
        }
        let tables = try ActiveLearningTables(labelled: labelledTable, pool: poolTable, poolLabels: poolLabels)
        var options = TabularPredictionOptions()
        options.ensembleSize = ensemble
        options.seed = seed
        let learner = try InContextActiveLearner(task: kind, options: options, modelURL: model.map { URL(fileURLWithPath: $0) },
                                                policyURL: policy.map { URL(fileURLWithPath: $0) })
        let expectedError = ExpectedErrorReduction(candidateCount: candidates ?? 10)
        var rescoring = ExpectedErrorReduction.learnedRescoring
        if let candidates { rescoring.candidateCount = candidates }
        print("mesa active-learn: \(labelled): \(labelledTable.count) labelled rows, \(poolTable.count) in the pool; \(kind.rawValue) of '\(labelledTable.targetName)', strategy \(chosen.rawValue)")
        guard oracle != nil else {
            var loop = try ActiveLearningLoop(labelled: tables.labelled, pool: tables.pool, budget: batch, strategy: chosen, seed: seed)
            loop.expectedError = expectedError
            loop.rescoring = rescoring
            let start = Date()
            let assessment = try learner.assess(tables.table, labelled: loop.labelled, pool: loop.pool, strategy: chosen, batch: batch)
            let queries = try loop.query(batch: batch, evidence: assessment.evidence)
            try queriesFile.write(tables.queriesCSV(queries))
            print(String(format: "chose %d row%@ to label in %.2f s; wrote %@", queries.count, queries.count == 1 ? "" : "s",
                         Date().timeIntervalSince(start), queriesFile.isStandardOutput ? "them to standard output" : output))
            return
        }
        let curveFile = OutputFile(path: curve, contents: "the learning curve", option: "--curve")
        let chartFile = OutputFile(URL(fileURLWithPath: curve).deletingPathExtension().appendingPathExtension("svg"), contents: "the learning-curve chart", option: "--curve")
        try curveFile.check(notOverwriting: inputs)
        try chartFile.check(notOverwriting: inputs)
        var table = tables.table, testRows: [Int]?
        if let test {
            let testTable = try TabularTable(CSVTable(contentsOf: URL(fileURLWithPath: test)), target: labelledTable.targetName, source: test)
            let joined = try ActiveLearningTables(labelled: table, pool: testTable, poolLabels: testTable.targets, role: "test")
            (table, testRows) = (joined.table, joined.pool)
        }
        var simulation = ActiveLearningSimulation(strategy: chosen, budget: budget ?? min(100, poolTable.count), batchSize: batch, seed: seed)
        simulation.expectedError = expectedError
        simulation.rescoring = rescoring
        var bar = ProgressBar(total: simulation.budget, label: "active-learn")
        let result = try simulation.run(table, labelled: tables.labelled, pool: tables.pool, test: testRows, learner: learner) { bar.update(completed: $0) }
        try queriesFile.write(tables.queriesCSV(result.queries))
        try curveFile.write(result.curve.csv)
        try chartFile.write(result.curve.chart(title: "Active learning: \(chosen.rawValue)", name: chosen.rawValue).svg())
        let seconds = result.decisionSeconds.sorted()
        print(String(format: "%@ from %.4f to %.4f over %d queries; AUBC %.4f; median query decision %.3f s", result.curve.metric,
                     result.curve.points.first?.score ?? .nan, result.curve.points.last?.score ?? .nan, result.queries.count,
                     result.curve.areaUnderBudgetCurve, seconds.isEmpty ? 0 : seconds[seconds.count / 2]))
        print("wrote \(queriesFile.isStandardOutput ? "the queries to standard output" : output), \(curve) and \((curve as NSString).deletingPathExtension).svg")
    }

    /// The pool (or oracle) file at `path`; a file without data rows is an empty pool.
    static func poolTable(_ path: String, target: String, requireTarget: Bool = false) throws -> TabularTable {
        let url = URL(fileURLWithPath: path)
        do {
            return try TabularTable(CSVTable(contentsOf: url), target: target, requireTarget: requireTarget, source: path)
        } catch {
            let lines = ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
            guard lines.count == 1 else { throw error }
            throw ValidationError("the pool file \(url.lastPathComponent) has no rows to query (a header only); give a pool with at least one unlabelled row")
        }
    }
}
