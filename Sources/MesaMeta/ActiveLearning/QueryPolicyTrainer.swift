import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// Meta-trains a ``LearnedQueryPolicy`` on synthetic tasks from Mesa's tabular prior, with the
/// shared resumable training loop (``TrainingRun``).
///
/// The policy learns to predict what expected error reduction by look-ahead
/// (``ExpectedErrorReduction``, Roy & McCallum 2001) would say of each candidate, a distillation
/// of the look-ahead into a scorer that costs no forward pass. Per task: a prior table (never a
/// real one) split into a pool and a test half; a random labelled set of 2 up to
/// ``QueryPolicyConfiguration/maximumLabelled`` pool rows (two classes at least); the learner (the
/// shipped classifier as ``TabularClassifier``, with its ensemble, exactly as at use) fitted on
/// them; the candidates' ``QueryPolicyFeatures`` from ``QueryPolicyFeatures/make(probabilities:pool:labelled:classNames:)``,
/// the path `--strategy learned` takes; then for each of ``QueryPolicyConfiguration/candidatesPerTask``
/// candidates (half the most uncertain pool rows, half random ones) the target
///
/// `δ(x) = 100 · (error(p(·|E)) − Σ_y p(y|x) · error(p⁺(·|E; x, y)))`, `error(p) = mean_u (1 − max p(·|u))`,
///
/// the reduction of the model's own expected error on the unlabelled test half `E` expected
/// over the hypothesised labels (``ExpectedErrorReduction/expectedError(after:weights:)``). It
/// uses no true label, so it is far less noisy than the reduction measured with the candidate's
/// true label (Konyushkova et al. 2017's target, this trainer's first recipe), and it is the
/// quantity whose arg-max scores best on the development tables. The loss
/// (``QueryPolicyLoss``) compares the scores with the targets standardised within each task.
///
/// With ``QueryPolicyConfiguration/method`` `evolution` it instead plays whole episodes
/// (``EpisodeTask``: a prior table, the protocol's split, initial set and budget of
/// ``ActiveLearningBenchmark``, the learner as at use) and follows OpenAI-ES (Salimans et al.
/// 2017): each step perturbs the policy's weights along ``QueryPolicyConfiguration/evolutionPairs``
/// antithetic directions `θ ± σε`, plays every perturbed policy on the step's tasks, scores it by
/// its AUBC minus margin sampling's on the same episode, turns the scores (standardised per task)
/// into centred ranks, and steps the optimizer on the search gradient
/// `ĝ = 1/(λσ) Σ (r⁺ − r⁻) ε`.
public final class QueryPolicyTrainer: TrainingRun {
    /// The format of the policy's checkpoints.
    public static let format = "query-policy-1"
    /// The configuration.
    public let configuration: QueryPolicyConfiguration
    /// The policy being trained.
    public let policy: LearnedQueryPolicy
    /// The learner whose look-ahead the policy learns to predict (the classifier with its ensemble).
    public let classifier: TabularClassifier
    /// The held-out tasks of ``evaluationMetrics()``, drawn at the first evaluation.
    private var heldOut: [TaskExamples]?
    /// The training tasks when ``QueryPolicyConfiguration/taskPoolSize`` > 0 (``trainingTasks()``).
    var taskPool: [TaskExamples]?
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
        var options = TabularPredictionOptions()
        options.ensembleSize = configuration.ensembleSize
        options.subsampleFeatures = true
        options.contextCalibration = false   // as InContextActiveLearner predicts
        classifier = try TabularClassifier(modelURL: configuration.learnerModel.map { URL(fileURLWithPath: $0) }, options: options)
        var initialization = RandomGenerator(seed: configuration.seed)
        policy = LearnedQueryPolicy(width: configuration.width, residualScale: configuration.residualScale,
                                    lookAheadShortlist: configuration.lookAheadShortlist, using: &initialization)
        if let initial = configuration.initialPolicy {
            let start = try LearnedQueryPolicy.load(URL(fileURLWithPath: initial))
            guard start.parameters.map(\.shape) == policy.parameters.map(\.shape) else {
                throw TabularError.invalidModel("the initial policy \(initial) does not have the configuration's width \(configuration.width)")
            }
            for (parameter, value) in zip(policy.parameters, start.parameters) { parameter.assign(value.value) }
        }
        state = TrainingState(directory: directory, optimizer: configuration.optimizer, parameters: policy.parameters,
                              totalSteps: configuration.steps, generator: initialization.split(), step: step, trainingSeconds: seconds, lock: lock)
    }

    /// One task's candidates: their features and targets.
    public struct TaskExamples: Codable, Sendable, Equatable {
        /// `[candidates][policy inputs]` (``LearnedQueryPolicy/inputCount``).
        public var features: [[Float]]
        /// The targets, ×100: the expected reductions of the test rows' expected error (see the
        /// type's summary), or in the look-ahead form the true label's reductions of their soft error.
        public var reductions: [Float]
    }

    /// The loss (``QueryPolicyConfiguration/loss``) of the policy on `examples`, as a tensor for backward.
    func loss(_ examples: [TaskExamples]) -> Tensor {
        let scores = examples.map { task in policy(Tensor(shape: [task.features.count, policy.inputCount], scalars: task.features.flatMap { $0 })) }
        return configuration.loss(scores: scores, targets: examples.map(\.reductions), temperature: configuration.temperature)
    }

    /// The learner of the evolution method's episodes, as ``ActiveLearningBenchmark`` builds it.
    lazy var episodeLearner: Result<InContextActiveLearner, Error> = Result {
        var options = TabularPredictionOptions()
        options.ensembleSize = configuration.ensembleSize
        options.subsampleFeatures = true
        return try InContextActiveLearner(task: .classification, options: options, modelURL: configuration.learnerModel.map { URL(fileURLWithPath: $0) })
    }

    /// The held-out episodes of the evolution method, drawn once.
    private var heldOutEpisodes: [(task: EpisodeTask, margin: Double)]?

    /// One optimiser step on ``QueryPolicyConfiguration/tasksPerStep`` fresh tasks.
    @discardableResult
    public func trainStep() throws -> TrainingStepResult {
        if configuration.method == .evolution { return try evolutionStep() }
        var tasks: [TaskExamples] = []
        if configuration.taskPoolSize > 0 {
            let pool = try trainingTasks()
            tasks = (0..<configuration.tasksPerStep).map { _ in pool[state.generator.nextIndex(below: pool.count)] }
        }
        while tasks.count < configuration.tasksPerStep {
            if let task = try examples(using: &state.generator) { tasks.append(task) }
        }
        let value = try state.update {
            let loss = loss(tasks)
            try loss.checkFinite("query-policy loss at step \(state.step + 1)")
            loss.backward()
            return loss.scalar
        }
        return TrainingStepResult(loss: value)
    }

    /// On 32 fixed held-out tasks (drawn once): the loss, and the target of the candidate the policy
    /// picks beside that of margin sampling's pick and the best candidate's (means over tasks); in
    /// the look-ahead form also that of the look-ahead's own pick (the largest `δ̂`).
    public func evaluationMetrics() -> [String: Double] {
        if configuration.method == .evolution {
            // On fixed held-out episodes: the policy's mean AUBC gain over margin sampling's.
            if heldOutEpisodes == nil {
                var generator = RandomGenerator(seed: configuration.seed &+ 99)
                heldOutEpisodes = (0..<configuration.evaluationEpisodes).compactMap { _ in
                    let task = episodeTask(using: &generator)
                    return (try? areaUnderBudgetCurve(.margin, on: task)).map { (task, $0) }
                }
            }
            let episodes = heldOutEpisodes ?? []
            let gains = episodes.compactMap { try? areaUnderBudgetCurve(.learned, policy: policy, on: $0.task) - $0.margin }
            return ["evaluationGainOverMargin": gains.reduce(0, +) / Double(max(gains.count, 1))]
        }
        if heldOut == nil {
            var generator = RandomGenerator(seed: configuration.seed &+ 99)
            var tasks: [TaskExamples] = []
            // A task whose look-ahead fails would have failed a training step already; skip it here.
            for _ in 0..<1000 where tasks.count < 32 {
                if let task = (try? examples(using: &generator)) ?? nil { tasks.append(task) }
            }
            heldOut = tasks
        }
        let tasks = heldOut ?? []
        var picked = 0.0, margin = 0.0, best = 0.0, lookAhead = 0.0
        for task in tasks {
            let scores = policy.scores(task.features)
            picked += Double(task.reductions[scores.indices.max { scores[$0] < scores[$1] }!])
            margin += Double(task.reductions[task.features.indices.min { task.features[$0][1] < task.features[$1][1] }!])
            best += Double(task.reductions.max()!)
            if policy.lookAheadShortlist != nil {
                // The look-ahead's own pick: the largest δ̂ (input 10).
                lookAhead += Double(task.reductions[task.features.indices.max { task.features[$0][10] < task.features[$1][10] }!])
            }
        }
        let n = Double(tasks.count)
        var metrics = ["evaluationLoss": Double(withoutGradients { loss(tasks) }.scalar), "policyPickReduction": picked / n,
                       "marginPickReduction": margin / n, "bestReduction": best / n]
        if policy.lookAheadShortlist != nil { metrics["lookAheadPickReduction"] = lookAhead / n }
        return metrics
    }

    /// Writes the checkpoint atomically (it is also a policy file ``LearnedQueryPolicy/load(_:)`` reads).
    public func saveCheckpoint() throws {
        try state.writeCheckpoint(try policy.checkpoint(metadata: [:]), format: Self.format, configuration: configuration,
                                  extra: Self.metadata(configuration))
    }

    /// The policy's own metadata.
    static func metadata(_ configuration: QueryPolicyConfiguration) -> [String: String] {
        let residual = configuration.residualScale.map { "; residual form: margin's score + \($0) · tanh(network)" } ?? ""
        let training = configuration.method == .evolution
            ? "OpenAI-ES on prior episodes' AUBC over margin sampling's (\(configuration.evolutionPairs) antithetic pairs, σ = \(configuration.noiseScale), \(configuration.tasksPerStep) episodes a step, budget ≤ \(configuration.episodeBudget)) from \(configuration.initialPolicy ?? "a fresh policy")"
            : configuration.lookAheadShortlist.map { "\(configuration.loss.rawValue) loss on the true label's reduction of the test soft error, look-ahead form over margin's \($0) most uncertain rows" }
                ?? "\(configuration.loss.rawValue) loss on the expected error reduction of a look-ahead"
        var metadata = ["mesa.policyWidth": String(configuration.width),
                        "mesa.recipe": "mesa train-query-policy (\(training), the classifier's \(configuration.ensembleSize)-member ensemble, tasks from TabularPrior only\(residual))",
                        "architecture": "LearnedQueryPolicy \(configuration.lookAheadShortlist == nil ? QueryPolicyFeatures.count : QueryPolicyLookAhead.featureCount)→\(configuration.width)→\(configuration.width)→1"]
        if let scale = configuration.residualScale { metadata["mesa.residualScale"] = String(scale) }
        if let shortlist = configuration.lookAheadShortlist { metadata["mesa.lookAheadShortlist"] = String(shortlist) }
        return metadata
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
