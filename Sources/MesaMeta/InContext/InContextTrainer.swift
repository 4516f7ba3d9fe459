import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// Meta-trains an in-context learner on a task distribution (Garg et al. 2022, §3): every step
/// draws a fresh batch of prompts, scores every prefix length in one forward pass, and takes one
/// Adam/AdamW step, with warm-up and cosine decay, global-norm clipping and the optional
/// dimension/length curriculum (the optimizer and schedule of ``TrainingConfiguration/optimizer``).
///
/// A run lives in a folder: `config.json`, `checkpoint.safetensors` (the learner's weights
/// under their parameter names, the optimizer's moments under `optimizer.<index>.<buffer>`, and
/// in the metadata the step, the sampling generator's state and the configuration) and
/// `metrics.jsonl`. Checkpoints are written atomically. ``init(resumingFrom:)`` continues a run
/// exactly: an interrupted and resumed run ends with the same parameters, bit for bit, as one
/// that was never interrupted.
///
/// ```swift
/// let trainer = try InContextTrainer(configuration: configuration, directory: URL(fileURLWithPath: "runs/linear"))
/// try trainer.run { event in print(event) }   // the shared loop of ``TrainingRun``
/// ```
public final class InContextTrainer: DataParallelTrainingRun {
    /// The run's configuration.
    public let configuration: InContextTrainingConfiguration
    /// The learner being trained.
    public let learner: any InContextLearner
    /// The training tasks.
    public let distribution: any TaskDistribution
    /// Steps, generator, optimizer and checkpoint bookkeeping (``TrainingState``).
    public let state: TrainingState
    /// When to log, evaluate and checkpoint.
    public var intervals: TrainingIntervals { configuration.intervals }
    /// Prompts per step over all ranks (``TrainingConfiguration/batchSize``).
    public var globalBatchSize: Int { configuration.training.batchSize }
    let evaluationBatch: TaskBatch

    /// Starts a new run in `directory` (created if needed; an existing checkpoint there is an error,
    /// so that a finished run is never overwritten by accident: resume it or choose another folder).
    public convenience init(configuration: InContextTrainingConfiguration, directory: URL) throws {
        try configuration.validate()
        try configuration.validateBaselines()
        let lock = try RunFolder.startNewRun(in: directory, configuration: try configuration.jsonData())
        try self.init(configuration: configuration, directory: directory, step: 0, trainingSeconds: 0, lock: lock)
    }

    /// Continues the run saved in `directory` from its last checkpoint.
    ///
    /// - Throws: ``InContextError/invalidCheckpoint(_:)`` when the folder holds no readable
    ///   checkpoint, or ``CheckpointError`` / ``OptimizerStateMismatch`` when it does not fit.
    ///
    /// - Parameter steps: extend the run to this many steps (more than it was planned for). The
    ///   cosine schedule is stretched to the new length from here on (a warm restart of the
    ///   learning rate), so the result differs from a run planned that long from the start;
    ///   without it, resuming is exact.
    public convenience init(resumingFrom directory: URL, extendingTo steps: Int? = nil) throws {
        let point: ResumePoint<InContextTrainingConfiguration> = try RunFolder.resumePoint(in: directory, extendingTo: steps)
        try self.init(configuration: point.recipe, directory: directory, step: point.step, trainingSeconds: point.seconds, lock: point.lock)
        try learner.restore(from: point.checkpoint, strict: false)
        try RunFolder.completeResume(point, state: state)
    }

    /// A replica of a data-parallel run for a rank other than 0 (``DataParallelTrainingRun``).
    public convenience init(replicating checkpoint: SafeTensors, directory: URL) throws {
        let point: ResumePoint<InContextTrainingConfiguration> = try RunFolder.replicaPoint(from: checkpoint, directory: directory)
        try self.init(configuration: point.recipe, directory: directory, step: point.step, trainingSeconds: point.seconds, lock: nil)
        try learner.restore(from: point.checkpoint, strict: false)
        try RunFolder.completeResume(point, state: state)
    }

    private init(configuration: InContextTrainingConfiguration, directory: URL, step: Int, trainingSeconds: Double, lock: RunFolderLock?) throws {
        self.configuration = configuration
        distribution = try configuration.task.makeDistribution()
        var initialization = RandomGenerator(seed: configuration.training.seed)
        learner = try configuration.learner.makeLearner(inputDimension: distribution.inputDimension, kind: distribution.kind,
                                                        using: &initialization)
        let training = configuration.training
        state = TrainingState(directory: directory, optimizer: training.optimizer, parameters: learner.parameters,
                              totalSteps: training.steps, generator: initialization.split(), step: step, trainingSeconds: trainingSeconds, lock: lock)
        var evaluationGenerator = RandomGenerator(seed: configuration.evaluation.seed &+ 1)
        evaluationBatch = distribution.heldOutDistribution.sample(batchSize: training.evaluationPromptCount, pointCount: training.pointCount,
                                              using: &evaluationGenerator)
    }

    /// The curriculum's active dimensions and prompt length at `step`.
    public func stage(atStep step: Int) -> (dimensions: Int, points: Int) {
        let training = configuration.training
        return training.curriculum?.stage(atStep: step, fullDimensions: distribution.inputDimension, fullPoints: training.pointCount)
            ?? (distribution.inputDimension, training.pointCount)
    }

    /// Takes one optimisation step on a fresh batch; returns its loss and the curriculum's stage
    /// (`points`, `dimensions`).
    @discardableResult
    public func trainStep() throws -> TrainingStepResult {
        let (dimensions, points) = stage(atStep: state.step)
        let options = SamplingOptions(activeDimensions: dimensions)
        let batch: TaskBatch
        if let streams = try state.exampleStreams(batchSize: configuration.training.batchSize) {
            // Data-parallel: each prompt from its own generator (``ExampleStreams``).
            let prompts = streams.examples.map { generator in
                var generator = generator
                return distribution.sample(batchSize: 1, pointCount: points, options: options, using: &generator)
            }
            batch = TaskBatch(inputs: Tensor.concatenate(prompts.map(\.inputs)), targets: Tensor.concatenate(prompts.map(\.targets)),
                              kind: prompts[0].kind, activeDimensions: prompts[0].activeDimensions)
        } else {
            batch = distribution.sample(batchSize: configuration.training.batchSize, pointCount: points, options: options, using: &state.generator)
        }
        let loss = try state.update {
            let loss = learner.loss(on: batch)
            try loss.checkFinite("training loss at step \(state.step + 1)")
            loss.backward()
            return loss.scalar
        }
        return TrainingStepResult(loss: loss, metrics: ["points": Double(points), "dimensions": Double(dimensions)])
    }

    /// The loss on the fixed held-out prompts and the curve metric at their last point
    /// (squared error ÷ d for regression, accuracy for classification; see ``ErrorCurve``).
    public func evaluate() -> (loss: Float, lastPointMetric: Float) {
        withoutGradients {
            let loss = learner.loss(on: evaluationBatch).scalar
            let predictions = learner.predictions(for: evaluationBatch)
            let curve = ErrorCurve.pointwise(predictions, for: evaluationBatch)
            return (loss, Float(curve.last?.mean ?? .nan))
        }
    }

    /// ``evaluate()`` as metrics: `evaluationLoss` and `lastPointMetric`.
    public func evaluationMetrics() -> [String: Double] {
        let (loss, metric) = evaluate()
        return ["evaluationLoss": Double(loss), "lastPointMetric": Double(metric)]
    }

    /// The checkpoint (weights, optimizer state, sampling state, configuration), written
    /// atomically by ``DataParallelTrainingRun/saveCheckpoint()``.
    public func makeCheckpoint() throws -> SafeTensors {
        try state.checkpoint(try learner.checkpoint(metadata: [:]), format: "training-checkpoint-1", configuration: configuration, extra: [
            "architecture": "\(type(of: learner)) \(configuration.learner.architecture) d\(configuration.learner.modelSize) L\(configuration.learner.layerCount)",
        ])
    }
}

extension InContextTrainer {
    /// Reads the configuration and the trained learner from a training checkpoint, for
    /// evaluation or inference (the optimizer state is ignored; nothing is written).
    ///
    /// - Throws: ``InContextError/invalidCheckpoint(_:)`` when the file is not a Mesa training
    ///   checkpoint, ``CheckpointError`` when it is unreadable or its tensors do not fit.
    public static func loadLearner(from url: URL) throws -> (configuration: InContextTrainingConfiguration, learner: any InContextLearner, step: Int) {
        let checkpoint = try SafeTensors(contentsOf: url)
        guard let json = checkpoint.metadata["mesa.configuration"], let step = checkpoint.metadata["mesa.step"].flatMap(Int.init) else {
            throw InContextError.invalidCheckpoint("\(url.path) is not a Mesa training checkpoint (its metadata lacks mesa.configuration and mesa.step)")
        }
        let configuration = try InContextTrainingConfiguration(json: Data(json.utf8), source: "\(url.path) metadata")
        let distribution = try configuration.task.makeDistribution()
        var generator = RandomGenerator(seed: configuration.training.seed)
        let learner = try configuration.learner.makeLearner(inputDimension: distribution.inputDimension, kind: distribution.kind,
                                                            using: &generator)
        try learner.restore(from: checkpoint, strict: false)
        return (configuration, learner, step)
    }
}
