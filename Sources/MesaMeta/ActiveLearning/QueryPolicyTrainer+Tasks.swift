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
        if let size = c.lookAheadShortlist {
            let index = Dictionary(uniqueKeysWithValues: classifier.classNames.enumerated().map { ($1, $0) })
            return try Self.lookAheadExamples(probabilities: probabilities, baseFeatures: features, shortlistSize: size,
                                              poolClasses: candidates.map { index["c\(Int(sample.targets[$0]))"] ?? -1 },
                                              testClasses: test.map { index["c\(Int(sample.targets[$0]))"] ?? -1 },
                                              classCount: classifier.classNames.count, using: &generator) { hypotheses, evaluated in
                try classifier.lookAheadProbabilities(unlabelled, hypotheses: hypotheses, evaluating: evaluated)
            }
        }
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

    /// The look-ahead form's examples (``QueryPolicyLookAhead``) of one task. `probabilities` holds
    /// the learner's for the task's unlabelled rows, the pool's candidate rows first, then the test
    /// rows; `baseFeatures` the candidates' ten features; `poolClasses` and `testClasses` the rows'
    /// true class indices (−1: a class the labelled rows lack); `lookAhead` predicts those rows
    /// (indices into the same order) after a hypothesis, as the classifier's look-ahead does.
    ///
    /// The candidates are margin's `shortlistSize` most uncertain pool rows. One look-ahead over
    /// every class of each, evaluated on a sample of at most ``QueryPolicyLookAhead/evaluatedCount``
    /// pool rows (the candidates among them, as at use) and on the test rows, gives both the `δ̂`
    /// input (on the pool sample, with the two likeliest classes) and the target: the true label's
    /// reduction of the test rows' ``softError(_:classes:)``, ×100. `nil` when a candidate's class
    /// is unknown to the learner (its label could not be added; the protocol draw, which labels
    /// one row of every class of the pool first, never meets this).
    static func lookAheadExamples(probabilities: [[Float]], baseFeatures: [[Float]], shortlistSize: Int, poolClasses: [Int], testClasses: [Int],
                                  classCount: Int, using generator: inout RandomGenerator,
                                  lookAhead: PoolEvidence.LookAhead) throws -> TaskExamples? {
        let poolCount = poolClasses.count
        let poolProbabilities = Array(probabilities.prefix(poolCount)), testProbabilities = Array(probabilities.dropFirst(poolCount))
        let shortlist = QueryPolicyLookAhead.shortlist(probabilities: poolProbabilities, size: shortlistSize)
        guard shortlist.count >= 2, shortlist.allSatisfy({ poolClasses[$0] >= 0 }) else { return nil }
        let evaluated = generator.sortedSample(from: poolCount, count: QueryPolicyLookAhead.evaluatedCount)
        let hypotheses = shortlist.flatMap { row in (0..<classCount).map { TabularClassifier.Hypothesis(row: row, classIndex: $0) } }
        // [shortlist × classes][pool sample, then test rows][classes], candidate-major.
        let after = try lookAhead(hypotheses, evaluated + Array(poolCount..<(poolCount + testClasses.count)))
        let classes = QueryPolicyLookAhead.hypothesisedClasses(poolProbabilities, candidates: shortlist)
        let onPool = zip(shortlist.indices, classes).map { i, list in
            ArraySlice(list.map { Array(after[i * classCount + $0].prefix(evaluated.count)) })
        }
        let delta = QueryPolicyLookAhead.reductions(before: evaluated.map { poolProbabilities[$0] }, after: onPool,
                                                    weights: zip(shortlist, classes).map { row, list in list.map { poolProbabilities[row][$0] } })
        let before = softError(testProbabilities, classes: testClasses)
        let targets = shortlist.indices.map { i -> Float in
            let known = Array(after[i * classCount + poolClasses[shortlist[i]]].dropFirst(evaluated.count))
            return Float(100 * (before - softError(known, classes: testClasses)))
        }
        return TaskExamples(features: QueryPolicyLookAhead.features(base: baseFeatures, candidates: shortlist, reductions: delta), reductions: targets)
    }

    /// The soft error of rows whose true classes are known, `mean_t (1 − p(y_t|t))` (a class
    /// index of −1, a class the learner does not know, counts as probability 0).
    static func softError(_ probabilities: [[Float]], classes: [Int]) -> Double {
        precondition(probabilities.count == classes.count, "softError: one class per row")
        let total = zip(probabilities, classes).reduce(0.0) { $0 + 1 - ($1.1 >= 0 ? Double($1.0[$1.1]) : 0) }
        return total / Double(max(classes.count, 1))
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
