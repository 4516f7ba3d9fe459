import Foundation
import MesaCore

/// The distillation method's tasks: prior tables whose candidates are scored by the look-ahead's
/// expected error reduction (Konyushkova et al. 2017), drawn fresh or from a pool kept in the run
/// folder.
extension QueryPolicyTrainer {
    /// A prior sample as a table of text cells (missing cells empty, classes `c0`, `c1`, …), so
    /// that the learner reads it as it reads a CSV file.
    static func table(_ sample: TabularSample) -> TabularTable {
        let width = sample.featureCount
        let rows = (0..<sample.rowCount).map { row in
            (0..<width).map { j -> String in
                let value = sample.features[row * width + j]
                return value.isNaN ? "" : String(value)
            }
        }
        return TabularTable(featureNames: (0..<width).map { "x\($0 + 1)" }, rows: rows, targetName: "y",
                            targets: sample.targets.map { "c\(Int($0))" })
    }

    /// Draws a task from the prior and measures its candidates (`nil` when the labelled draw has
    /// one class).
    public func examples(using generator: inout RandomGenerator) throws -> TaskExamples? {
        let c = configuration
        let rows = Int(exp(log(Double(c.minimumRows)) + generator.nextDouble() * (log(Double(c.maximumRows + 1)) - log(Double(c.minimumRows)))))
        let sample = c.prior.sample(rowCount: rows, trainCount: rows / 2, using: &generator)
        var order = Array(0..<rows)
        generator.shuffle(&order)
        let test = Array(order.prefix(rows / 2)), pool = Array(order.dropFirst(rows / 2))
        let labelled: [Int], candidates: [Int]
        switch c.labelledDraw {
        case .random:
            let labelledCount = 2 + generator.nextIndex(below: max(1, min(c.maximumLabelled, pool.count / 2) - 1))
            (labelled, candidates) = (Array(pool.prefix(labelledCount)), Array(pool.dropFirst(labelledCount)))
        case .protocol:
            // The benchmark's initial set (one row per class of the pool, then rows up to 4; the
            // pool is in random order), then 0 up to maximumLabelled − its size more rows.
            let initial = ActiveLearningBenchmark.initialSet(from: pool, size: 4) { Int(sample.targets[$0]) }
            let taken = Set(initial), rest = pool.filter { !taken.contains($0) }
            let extra = generator.nextIndex(below: max(1, min(c.maximumLabelled, pool.count / 2) - initial.count + 1))
            labelled = initial + rest.prefix(extra)
            candidates = Array(rest.dropFirst(extra))
        }
        guard Set(labelled.map { sample.targets[$0] }).count >= 2, candidates.count >= 2 else { return nil }
        let table = Self.table(sample), labelledTable = table.selecting(labelled)
        classifier.options.seed = generator.next()
        try classifier.fit(labelledTable)
        // One table of the unlabelled rows, [candidates, test]: predicted together, looked ahead on together.
        let unlabelled = table.selecting(candidates + test)
        let probabilities = try classifier.predictProbabilities(unlabelled)
        let poolProbabilities = Array(probabilities.prefix(candidates.count))
        let features = try QueryPolicyFeatures.make(probabilities: poolProbabilities, pool: table.selecting(candidates),
                                                    labelled: labelledTable, classNames: classifier.classNames)
        let entropy = poolProbabilities.map(UncertaintyMeasure.entropy)
        var chosen = Array(candidates.indices.sorted { entropy[$0] > entropy[$1] }.prefix(c.candidatesPerTask / 2))
        var rest = candidates.indices.filter { !chosen.contains($0) }
        for i in 0..<min(c.candidatesPerTask - chosen.count, rest.count) { rest.swapAt(i, i + generator.nextIndex(below: rest.count - i)); chosen.append(rest[i]) }
        let classCount = classifier.classNames.count
        let hypotheses = chosen.flatMap { row in (0..<classCount).map { TabularClassifier.Hypothesis(row: row, classIndex: $0) } }
        let after = try classifier.lookAheadProbabilities(unlabelled, hypotheses: hypotheses, evaluating: Array(candidates.count..<(candidates.count + test.count)))
        let reductions = Self.targets(before: Array(probabilities.dropFirst(candidates.count)), after: after,
                                      weights: chosen.map { poolProbabilities[$0] })
        return TaskExamples(features: chosen.map { features[$0] }, reductions: reductions)
    }

    /// The candidates' targets `δ = 100 · (error(before) − Σ_y p(y|x) · error(after[x, y]))`:
    /// `before` holds the evaluated rows' probabilities now, `after` the look-ahead
    /// `[candidates × classes][evaluated][classes]` (candidate-major), `weights[x]` the candidate's
    /// class probabilities.
    static func targets(before: [[Float]], after: [[[Float]]], weights: [[Float]]) -> [Float] {
        let error = ExpectedErrorReduction.error(before)
        var start = 0
        return weights.map { p in
            defer { start += p.count }
            return Float(100 * (error - ExpectedErrorReduction.expectedError(after: after[start..<(start + p.count)], weights: p)))
        }
    }

    /// The file in the run folder that keeps the drawn task pool (``trainingTasks()``).
    public var taskPoolURL: URL { directory.appendingPathComponent("tasks.json") }

    /// The pool of ``QueryPolicyConfiguration/taskPoolSize`` training tasks the steps sample from:
    /// read from ``taskPoolURL`` when there, else drawn (from the configuration's seed, so a resumed
    /// run draws the same ones) and written there. Each task costs a look-ahead over its
    /// candidates, so drawing them once and sampling from them lets the policy take many more
    /// steps in the same time than fresh tasks would.
    public func trainingTasks() throws -> [TaskExamples] {
        if let taskPool { return taskPool }
        let tasks: [TaskExamples]
        if let data = FileManager.default.contents(atPath: taskPoolURL.path) {
            do { tasks = try JSONDecoder().decode([TaskExamples].self, from: data) } catch {
                throw TabularError.invalidModel("cannot read the task pool \(taskPoolURL.path): \(error); delete it to draw the tasks again")
            }
            guard tasks.count == configuration.taskPoolSize else {
                throw TabularError.invalidModel("the task pool \(taskPoolURL.path) does not hold the configuration's \(configuration.taskPoolSize) tasks; delete it to draw them again")
            }
        } else {
            var generator = RandomGenerator(seed: configuration.seed &+ 7)
            var drawn: [TaskExamples] = []
            while drawn.count < configuration.taskPoolSize {
                if let task = try examples(using: &generator) { drawn.append(task) }
            }
            try JSONEncoder().encode(drawn).write(to: taskPoolURL, options: .atomic)
            tasks = drawn
        }
        taskPool = tasks
        return tasks
    }
}
