import Foundation
import MesaCore
import MesaNN

/// The experiments of Kirsch et al. 2022, "General-Purpose In-Context Learning by
/// Meta-Learning Transformers", on randomly projected, label-permuted Fashion-MNIST tasks
/// (``ProjectedDatasetTasks``), sized for a 2-core CPU.
///
/// Each experiment is a list of meta-training runs (``runs(base:)``) derived from one base
/// configuration, trained with ``InContextTrainer`` in sub-folders of the experiment folder (each
/// resumable), then evaluated:
/// - ``transition``: pool sizes `2²…2¹⁴` (every second exponent, and 2⁷ where the regimes change) and an infinite pool, Transformer and LSTM; accuracy with
///   99 examples on the training tasks (training images) and on unseen tasks (fresh projections of
///   the test images). Memorisation shows as high seen / chance unseen accuracy; general learning
///   as both high.
/// - ``plateau``: the levers on the loss plateau (batch size, Adam's ε, an unpermuted fraction of
///   each batch, Dirichlet class imbalance within prompts, the prompt encoding, an LSTM), as
///   held-out loss and accuracy curves against steps.
/// - ``stateSize``: accuracy with 99 examples against the learner's state size (Transformer
///   width, LSTM hidden size).
/// - ``generalisation``: one trained learner evaluated on new datasets (see ``GeneralisationReport``).
public enum GPICLExperiment: String, CaseIterable, Sendable {
    /// Memorisation → task identification → general learning, against the number of tasks.
    case transition = "gpicl-transition"
    /// Loss-plateau length under the paper's levers and ours.
    case plateau = "gpicl-plateau"
    /// Accuracy against state size.
    case stateSize = "gpicl-state-size"
    /// One general learner on unseen datasets, beside logistic regression and k-NN.
    case generalisation = "gpicl-generalisation"

    /// One run of an experiment.
    public struct Run: Sendable {
        /// The run's folder name inside the experiment folder.
        public var name: String
        /// The plot series it belongs to (e.g. `"transformer"`, `"batch size"`).
        public var series: String
        /// Its x value in that series (pool-size exponent, state size, …); `nil` for curves.
        public var x: Double?
        /// What it trains.
        public var configuration: InContextTrainingConfiguration
    }

    /// The LSTM counterpart of a Transformer configuration: the hidden size whose parameter count
    /// is closest to the Transformer's (Kirsch et al. compare at equal parameter budgets), one
    /// layer, previous-target tokens.
    public static func lstmLearner(matching transformer: LearnerConfiguration, inputDimension: Int, classCount: Int) throws -> LearnerConfiguration {
        var generator = RandomGenerator(seed: 0)
        let target = try transformer.makeLearner(inputDimension: inputDimension, kind: .classification(classCount: classCount),
                                                 using: &generator).parameterCount
        let tokenWidth = inputDimension + classCount
        // Read-in (t + 1)·h, gates 4h × (h + h) weights and 2 · 4h biases, read-out (h + 1)·classes.
        func count(_ h: Int) -> Int { (tokenWidth + 1) * h + 4 * h * (2 * h) + 8 * h + (h + 1) * classCount }
        let hidden = (8...2048).min { abs(count($0) - target) < abs(count($1) - target) } ?? 128
        return LearnerConfiguration(architecture: .lstm, encoding: .previousTarget, modelSize: hidden, layerCount: 1,
                                    headCount: 1, maximumPointCount: transformer.maximumPointCount)
    }

    /// The runs of the experiment for `base` (a `projectedDataset` configuration with a Transformer learner).
    public func runs(base: InContextTrainingConfiguration) throws -> [Run] {
        func variant(_ name: String, _ change: (inout InContextTrainingConfiguration) -> Void) -> InContextTrainingConfiguration {
            var configuration = base
            configuration.name = name
            change(&configuration)
            return configuration
        }
        let lstm = try Self.lstmLearner(matching: base.learner, inputDimension: base.task.inputDimension, classCount: base.task.classCount)
        switch self {
        case .transition:
            var runs: [Run] = []
            for (architecture, learner) in [("transformer", base.learner), ("lstm", lstm)] {
                for exponent in [2, 4, 6, 7, 8, 10, 12, 14] {
                    let name = "\(architecture)-pool-2^\(exponent)"
                    runs.append(Run(name: name, series: architecture, x: Double(exponent),
                                    configuration: variant(name) { $0.learner = learner; $0.task.poolSize = 1 << exponent }))
                }
                let name = "\(architecture)-pool-infinite"
                runs.append(Run(name: name, series: architecture, x: nil,
                                configuration: variant(name) { $0.learner = learner; $0.task.poolSize = nil }))
            }
            return runs
        case .plateau:
            let batch = base.training.batchSize
            return [
                Run(name: "baseline", series: "baseline", x: nil, configuration: variant("baseline") { _ in }),
                Run(name: "batch-\(batch / 2)", series: "batch size", x: Double(batch / 2),
                    configuration: variant("batch-\(batch / 2)") { $0.training.batchSize = batch / 2 }),
                Run(name: "batch-\(batch * 2)", series: "batch size", x: Double(batch * 2),
                    configuration: variant("batch-\(batch * 2)") { $0.training.batchSize = batch * 2 }),
                Run(name: "epsilon-1e-6", series: "Adam ε", x: 1e-6, configuration: variant("epsilon-1e-6") { $0.training.optimizer.epsilon = 1e-6 }),
                Run(name: "epsilon-1e-10", series: "Adam ε", x: 1e-10, configuration: variant("epsilon-1e-10") { $0.training.optimizer.epsilon = 1e-10 }),
                Run(name: "unpermuted-0.25", series: "unpermuted fraction", x: 0.25,
                    configuration: variant("unpermuted-0.25") { $0.task.unpermutedFraction = 0.25 }),
                Run(name: "imbalance-1", series: "class imbalance", x: 1,
                    configuration: variant("imbalance-1") { $0.task.classImbalance = 1 }),
                Run(name: "encoding-previousTarget", series: "encoding", x: nil,
                    configuration: variant("encoding-previousTarget") { $0.learner.encoding = .previousTarget }),
                Run(name: "lstm", series: "LSTM", x: nil, configuration: variant("lstm") { $0.learner = lstm }),
            ]
        case .stateSize:
            var runs: [Run] = []
            for width in [32, 64, 128] {
                let name = "transformer-d\(width)"
                runs.append(Run(name: name, series: "transformer", x: Double(width),
                                configuration: variant(name) { $0.learner.modelSize = width; $0.learner.feedForwardSize = 2 * width }))
            }
            for hidden in [64, 128, 256, 512] {
                let name = "lstm-h\(hidden)"
                runs.append(Run(name: name, series: "lstm", x: Double(hidden),
                                configuration: variant(name) { $0.learner = lstm; $0.learner.modelSize = hidden }))
            }
            return runs
        case .generalisation:
            return []
        }
    }

    /// The three regimes of Kirsch et al. (§4.1), read from accuracy on the training tasks and on unseen tasks.
    public enum Regime: String, Sendable {
        /// Training tasks solved, unseen ones at chance: the tasks are memorised.
        case memorisation
        /// Training tasks solved better than unseen ones, which are above chance: the learner
        /// identifies (and partly generalises from) the training tasks.
        case taskIdentification = "task identification"
        /// Unseen tasks solved about as well as training tasks.
        case generalLearning = "general learning"
        /// Neither solved (still on the loss plateau).
        case none = "at chance"
    }

    /// The regime of a learner with accuracies `seen` and `unseen` (at the last point): at chance
    /// when `seen < 2·chance`; memorisation when `unseen < 2·chance`; general learning when
    /// `unseen ≥ 0.9 · seen`; task identification otherwise. The thresholds are ours (the paper
    /// reads its regimes off plots).
    public static func regime(seen: Double, unseen: Double, chance: Double) -> Regime {
        if seen < 2 * chance { return .none }
        if unseen < 2 * chance { return .memorisation }
        return unseen >= 0.9 * seen ? .generalLearning : .taskIdentification
    }

    /// The state a learner carries while reading a prompt of `pointCount` pairs: keys and values of
    /// every layer for every token (Transformer), or `2 · layers · hidden` numbers (LSTM), the
    /// quantity Kirsch et al. find accuracy to depend on.
    public static func stateSize(of learner: LearnerConfiguration, pointCount: Int) -> Int {
        switch learner.architecture {
        case .lstm: return 2 * learner.layerCount * learner.modelSize
        default:
            // Concatenated queries are attended by nobody but themselves: the state is the N context tokens.
            let tokens = learner.resolvedEncoding == .interleaved ? 2 * pointCount : pointCount
            return 2 * learner.layerCount * learner.modelSize * tokens
        }
    }

    /// Trains `run` in `directory` (starting, resuming, or leaving a finished run alone) until it
    /// finishes or `deadline` passes; returns the trainer.
    public static func train(_ run: Run, in directory: URL, deadline: Date? = nil,
                             observer: (TrainingEvent) -> Void = { _ in }) throws -> InContextTrainer {
        let folder = directory.appendingPathComponent(run.name)
        let trainer = FileManager.default.fileExists(atPath: folder.appendingPathComponent("checkpoint.safetensors").path)
            ? try InContextTrainer(resumingFrom: folder)
            : try InContextTrainer(configuration: run.configuration, directory: folder)
        guard trainer.configuration == run.configuration else {
            throw InContextError.invalidCheckpoint("\(folder.path) holds a run with another configuration than experiment run '\(run.name)'; move it away or choose another --output")
        }
        if trainer.step < run.configuration.training.steps { try trainer.run(deadline: deadline, observer: observer) }
        return trainer
    }

    /// Trains the experiment's `runs` one after another in sub-folders of `directory`
    /// (``train(_:in:deadline:observer:)`` each: started, resumed or left alone when finished)
    /// until all are finished or `deadline` passes; `observer` hears each run's events with its
    /// index. Returns the trainers of the runs reached, in order: fewer than `runs` when the
    /// deadline passed first.
    public static func trainAll(_ runs: [Run], in directory: URL, deadline: Date? = nil,
                                observer: (_ index: Int, _ event: TrainingEvent) -> Void = { _, _ in }) throws -> [InContextTrainer] {
        var trainers: [InContextTrainer] = []
        for (index, run) in runs.enumerated() {
            if let deadline, Date() >= deadline { break }
            trainers.append(try train(run, in: directory, deadline: deadline) { observer(index, $0) })
        }
        return trainers
    }

    /// Whether every run is trained to its planned steps.
    public static func finished(_ runs: [Run], trainers: [InContextTrainer]) -> Bool {
        trainers.count == runs.count && trainers.allSatisfy(\.isFinished)
    }

    /// In-context accuracy curve of `predictors` on `promptCount` prompts of `pointCount` pairs
    /// from `tasks`, drawn with `seed` in chunks of 64 prompts.
    public static func accuracy(of predictors: [any InContextPredictor], on tasks: any TaskDistribution, promptCount: Int,
                                pointCount: Int, seed: UInt64) -> [ErrorCurve] {
        var generator = RandomGenerator(seed: seed)
        let batches = stride(from: 0, to: promptCount, by: 64).map { start in
            tasks.sample(batchSize: min(64, promptCount - start), pointCount: pointCount, using: &generator)
        }
        return ErrorCurve.measure(predictors, on: batches)
    }
}
