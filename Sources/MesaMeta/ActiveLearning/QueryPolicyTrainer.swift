import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// Meta-trains a ``LearnedQueryPolicy`` on synthetic tasks from Mesa's tabular prior, with the
/// shared resumable training loop (``TrainingRun``).
///
/// Regression on measured error reduction (Konyushkova et al. 2017), chosen over policy gradient
/// on the area under the budget curve because each candidate gets its own supervised target from
/// one batched forward pass of the in-context learner (an in-context model learns the added row
/// by reading it), whereas a policy gradient on AUBC gets one noisy reward per whole episode of
/// queries. Per task: a prior table split into a pool and a test half; a random labelled set of 2
/// up to ``QueryPolicyConfiguration/maximumLabelled`` pool rows (two classes at least); the
/// learner's probabilities for the pool, from which the candidates' ``QueryPolicyFeatures`` come;
/// then for each candidate (half the most uncertain rows, half random ones) the reduction, when
/// it is added with its true label, of the test rows' soft error `mean(1 − p(true class))` (a
/// smooth stand-in for the error rate), ×100, standardised within the task. The loss is the mean
/// squared error of the policy's predictions. The learner is the shipped classifier's network with one view of the features
/// (no ensemble: the tasks are already encoded by the prior).
public final class QueryPolicyTrainer: TrainingRun {
    /// The format of the policy's checkpoints.
    public static let format = "query-policy-1"
    /// The configuration.
    public let configuration: QueryPolicyConfiguration
    /// The policy being trained.
    public let policy: LearnedQueryPolicy
    /// The learner whose error reductions the policy learns to predict.
    public let learner: TabularTransformer
    /// Steps, generator, optimizer and checkpoint bookkeeping.
    public let state: TrainingState
    /// When to log, evaluate and checkpoint.
    public var intervals: TrainingIntervals { configuration.intervals }

    /// Starts a run in `directory` (an existing checkpoint there is an error).
    public convenience init(configuration: QueryPolicyConfiguration, directory: URL) throws {
        let lock = try RunFolder.startNewRun(in: directory, configuration: try configuration.jsonData())
        try self.init(configuration: configuration, directory: directory, step: 0, seconds: 0, lock: lock)
    }

    /// Continues the run in `directory` from its last checkpoint.
    public convenience init(resumingFrom directory: URL, extendingTo steps: Int? = nil) throws {
        let point: ResumePoint<QueryPolicyConfiguration> = try RunFolder.resumePoint(in: directory, extendingTo: steps)
        try self.init(configuration: point.recipe, directory: directory, step: point.step, seconds: point.seconds, lock: point.lock)
        try policy.restore(from: point.checkpoint, strict: false)
        try RunFolder.completeResume(point, state: state)
    }

    private init(configuration: QueryPolicyConfiguration, directory: URL, step: Int, seconds: Double, lock: RunFolderLock?) throws {
        self.configuration = configuration
        learner = try TabularModelFile.load(configuration.learnerModel.map { URL(fileURLWithPath: $0) }, kind: .classification).model
        var initialization = RandomGenerator(seed: configuration.seed)
        policy = LearnedQueryPolicy(width: configuration.width, using: &initialization)
        state = TrainingState(directory: directory, optimizer: configuration.optimizer, parameters: policy.parameters,
                              totalSteps: configuration.steps, generator: initialization.split(), step: step, trainingSeconds: seconds, lock: lock)
    }

    /// One task's candidates: their features and measured error reductions (×100).
    public struct TaskExamples {
        /// `[candidates][QueryPolicyFeatures.count]`.
        public var features: [[Float]]
        /// The measured reductions of the test rows' soft error, ×100.
        public var reductions: [Float]
    }

    /// The learner's class probabilities (softmax over the first `classCount` logits) of the rows
    /// after the labelled ones, for a batch of tables `[batch, rows, maximumFeatures]` whose first
    /// `labelledCount` rows carry `targets` (per table).
    func probabilities(_ features: Tensor, targets: [Float], labelledCount: Int, classCount: Int) -> [[Float]] {
        let outputs = learner.configuration.outputCount
        let logits = withoutGradients { learner.logits(features: features, trainTargets: targets, trainCount: labelledCount) }.scalars
        return stride(from: 0, to: logits.count, by: outputs).map { start in
            let slice = (0..<classCount).map { logits[start + $0] }
            let largest = slice.max()!, exps = slice.map { exp($0 - largest) }, total = exps.reduce(0, +)
            return exps.map { $0 / total }
        }
    }

    /// Draws a task from the prior and measures its candidates (`nil` when the draw has one class).
    public func examples(using generator: inout RandomGenerator) -> TaskExamples? {
        let c = configuration
        let rows = Int(exp(log(Double(c.minimumRows)) + generator.nextDouble() * (log(Double(c.maximumRows + 1)) - log(Double(c.minimumRows)))))
        let sample = c.prior.sample(rowCount: rows, trainCount: rows / 2, using: &generator)
        let width = sample.featureCount, classCount = max(sample.classCount, 2)
        var order = Array(0..<rows)
        for i in order.indices.reversed() where i > 0 { order.swapAt(i, generator.nextIndex(below: i + 1)) }
        let test = Array(order.prefix(rows / 2)), pool = Array(order.dropFirst(rows / 2))
        let labelledCount = 2 + generator.nextIndex(below: max(1, min(c.maximumLabelled, pool.count / 2) - 1))
        let labelled = Array(pool.prefix(labelledCount)), candidates = Array(pool.dropFirst(labelledCount))
        let classes = labelled.map { Int(sample.targets[$0]) }
        guard Set(classes).count >= 2, candidates.count >= 2 else { return nil }
        func rowFeatures(_ list: [Int]) -> [Float] { list.flatMap { sample.features[($0 * width)..<(($0 + 1) * width)] } }
        // One pass: [labelled, candidates, test]; unlabelled rows never attend to each other.
        let all = labelled + candidates + test
        let before = probabilities(Tensor(shape: [1, all.count, learner.configuration.maximumFeatures],
                                          scalars: learner.paddedFeatures(rowFeatures(all), rows: all.count, featureCount: width)),
                                   targets: classes.map(Float.init), labelledCount: labelledCount, classCount: classCount)
        let poolProbabilities = Array(before.prefix(candidates.count))
        func softError(_ p: ArraySlice<[Float]>) -> Double {
            zip(p, test).reduce(0.0) { $0 + 1 - Double($1.0[Int(sample.targets[$1.1])]) } / Double(test.count)
        }
        let errorBefore = softError(before.dropFirst(candidates.count))
        let features = QueryPolicyFeatures.make(probabilities: poolProbabilities, pool: rowFeatures(candidates), labelled: rowFeatures(labelled),
                                                width: width, labelledClasses: classes)
        let entropy = poolProbabilities.map(UncertaintyMeasure.entropy)
        var chosen = Array(candidates.indices.sorted { entropy[$0] > entropy[$1] }.prefix(c.candidatesPerTask / 2))
        var rest = candidates.indices.filter { !chosen.contains($0) }
        for i in 0..<min(c.candidatesPerTask - chosen.count, rest.count) { rest.swapAt(i, i + generator.nextIndex(below: rest.count - i)); chosen.append(rest[i]) }
        // One batch: a table [labelled, candidate, test] per candidate, the candidate with its true label.
        var batch: [Float] = [], targets: [Float] = []
        let tableRows = labelledCount + 1 + test.count
        for index in chosen {
            batch += learner.paddedFeatures(rowFeatures(labelled + [candidates[index]] + test), rows: tableRows, featureCount: width)
            targets += classes.map(Float.init) + [sample.targets[candidates[index]]]
        }
        let after = probabilities(Tensor(shape: [chosen.count, tableRows, learner.configuration.maximumFeatures], scalars: batch),
                                  targets: targets, labelledCount: labelledCount + 1, classCount: classCount)
        let reductions = chosen.indices.map { k in
            Float(100 * (errorBefore - softError(after[(k * test.count)..<((k + 1) * test.count)])))
        }
        return TaskExamples(features: chosen.map { features[$0] }, reductions: reductions)
    }

    /// The mean squared error of the policy on `examples`, as a tensor for backward. Each task's
    /// reductions are standardised within the task (`(δ − mean) / (sd + 0.1)`): the policy ranks
    /// the rows of one pool, and a task's overall level (how much any row helps) is noise to it.
    func loss(_ examples: [TaskExamples]) -> Tensor {
        let features = examples.flatMap(\.features)
        let targets = examples.flatMap { task -> [Float] in
            let n = Float(task.reductions.count), mean = task.reductions.reduce(0, +) / n
            let sd = (task.reductions.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
            return task.reductions.map { ($0 - mean) / (sd + 0.1) }
        }
        let x = Tensor(shape: [features.count, QueryPolicyFeatures.count], scalars: features.flatMap { $0 })
        return Tensor.meanSquaredError(policy(x), Tensor(shape: [targets.count, 1], scalars: targets))
    }

    /// One optimiser step on ``QueryPolicyConfiguration/tasksPerStep`` fresh tasks.
    @discardableResult
    public func trainStep() throws -> TrainingStepResult {
        var tasks: [TaskExamples] = []
        while tasks.count < configuration.tasksPerStep {
            if let task = examples(using: &state.generator) { tasks.append(task) }
        }
        let value = try state.update {
            let loss = loss(tasks)
            try loss.checkFinite("query-policy loss at step \(state.step + 1)")
            loss.backward()
            return loss.scalar
        }
        return TrainingStepResult(loss: value)
    }

    /// On 32 fixed held-out tasks: the loss, and the measured reduction of the candidate the policy
    /// picks beside that of margin sampling's pick and the best candidate's (means over tasks).
    public func evaluationMetrics() -> [String: Double] {
        var generator = RandomGenerator(seed: configuration.seed &+ 99)
        var tasks: [TaskExamples] = []
        while tasks.count < 32 { if let task = examples(using: &generator) { tasks.append(task) } }
        var picked = 0.0, margin = 0.0, best = 0.0
        for task in tasks {
            let scores = policy.scores(task.features)
            picked += Double(task.reductions[scores.indices.max { scores[$0] < scores[$1] }!])
            margin += Double(task.reductions[task.features.indices.min { task.features[$0][1] < task.features[$1][1] }!])
            best += Double(task.reductions.max()!)
        }
        let n = Double(tasks.count)
        return ["evaluationLoss": Double(withoutGradients { loss(tasks) }.scalar), "policyPickReduction": picked / n,
                "marginPickReduction": margin / n, "bestReduction": best / n]
    }

    /// Writes the checkpoint atomically (it is also a policy file ``LearnedQueryPolicy/load(_:)`` reads).
    public func saveCheckpoint() throws {
        try state.writeCheckpoint(try policy.checkpoint(metadata: [:]), format: Self.format, configuration: configuration,
                                  extra: Self.metadata(configuration))
    }

    /// The policy's own metadata.
    static func metadata(_ configuration: QueryPolicyConfiguration) -> [String: String] {
        ["mesa.policyWidth": String(configuration.width),
         "mesa.recipe": "mesa train-query-policy (regression on measured error reduction, tasks from TabularPrior)",
         "architecture": "LearnedQueryPolicy \(QueryPolicyFeatures.count)→\(configuration.width)→\(configuration.width)→1"]
    }

    /// Writes the policy alone (no optimizer state) to `url`: the file to ship.
    public func export(to url: URL) throws {
        var metadata = Self.metadata(configuration)
        metadata["mesa.format"] = Self.format
        metadata["mesa.step"] = String(state.step)
        metadata["mesa.trainingSeconds"] = String(state.trainingSeconds)
        metadata["mesa.configuration"] = try RunFolder.json(configuration)
        try policy.checkpoint(metadata: metadata).write(to: OutputFile(url, contents: "the query policy", option: "--export"))
    }
}
