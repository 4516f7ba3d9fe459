import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// Meta-trains an in-context learner on a task distribution (Garg et al. 2022, §3): every step
/// draws a fresh batch of prompts, scores every prefix length in one forward pass, and takes one
/// Adam/AdamW step, with warm-up and cosine decay, global-norm clipping and the optional
/// dimension/length curriculum.
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
/// try trainer.run { event in print(event) }
/// ```
public final class InContextTrainer {
    /// What happened during ``run(stoppingAt:deadline:observer:)``.
    public enum Event {
        /// A training step finished with this loss (reported every `logInterval` steps and at the end).
        case step(step: Int, loss: Float, learningRate: Float, points: Int, dimensions: Int)
        /// The held-out loss and the curve metric (normalised squared error or accuracy) at the last prefix, every `evaluationInterval` steps.
        case evaluation(step: Int, loss: Float, lastPointMetric: Float)
        /// A checkpoint was written.
        case checkpoint(step: Int, url: URL)
    }

    /// The run's configuration.
    public let configuration: InContextTrainingConfiguration
    /// The learner being trained.
    public let learner: any InContextLearner
    /// The training tasks.
    public let distribution: any TaskDistribution
    /// The run folder.
    public let directory: URL
    /// Steps completed.
    public private(set) var step: Int
    /// Wall time spent training in this and earlier sessions of the run, in seconds.
    public private(set) var trainingSeconds: Double

    let optimizer: Adam
    let schedule: LearningRateSchedule
    var generator: RandomGenerator
    let evaluationBatch: TaskBatch

    /// The checkpoint file of the run folder.
    public var checkpointURL: URL { directory.appendingPathComponent("checkpoint.safetensors") }
    /// The metrics file of the run folder.
    public var metricsURL: URL { directory.appendingPathComponent("metrics.jsonl") }

    /// Starts a new run in `directory` (created if needed; an existing checkpoint there is an error,
    /// so that a finished run is never overwritten by accident: resume it or choose another folder).
    public convenience init(configuration: InContextTrainingConfiguration, directory: URL) throws {
        try configuration.validate()
        try configuration.validateBaselines()
        try RunFolder.startNewRun(in: directory, configuration: try configuration.jsonData())
        try self.init(configuration: configuration, directory: directory, step: 0, trainingSeconds: 0)
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
        let (checkpoint, url, step, seconds) = try RunFolder.resumableCheckpoint(in: directory)
        func field(_ key: String) throws -> String { try RunFolder.field(key, of: checkpoint, url: url) }
        var configuration = try InContextTrainingConfiguration(json: Data(try field("mesa.configuration").utf8), source: "\(url.path) metadata")
        let planned = configuration.training.steps
        if let steps { configuration.training.steps = steps }
        try self.init(configuration: configuration, directory: directory, step: step, trainingSeconds: seconds)
        try learner.restore(from: checkpoint, strict: false)
        generator = try JSONDecoder().decode(RandomGenerator.self, from: Data(try field("mesa.generator").utf8))
        let state = try RunFolder.optimizerState(from: checkpoint, url: url)
        try optimizer.load(state)
        if let steps { try RunFolder.extend(directory, planned: planned, to: steps, configuration: try configuration.jsonData()) }
        try RunFolder.truncateMetrics(at: metricsURL, afterStep: step)
    }

    private init(configuration: InContextTrainingConfiguration, directory: URL, step: Int, trainingSeconds: Double) throws {
        self.configuration = configuration
        self.directory = directory
        self.step = step
        self.trainingSeconds = trainingSeconds
        distribution = try configuration.task.makeDistribution()
        var initialization = RandomGenerator(seed: configuration.training.seed)
        learner = try configuration.learner.makeLearner(inputDimension: distribution.inputDimension, kind: distribution.kind,
                                                        using: &initialization)
        generator = initialization.split()
        let training = configuration.training
        optimizer = training.optimizer == "adamw"
            ? AdamW(parameters: learner.parameters, learningRate: training.learningRate, epsilon: training.epsilon, weightDecay: training.weightDecay)
            : Adam(parameters: learner.parameters, learningRate: training.learningRate, epsilon: training.epsilon)
        schedule = .warmUpCosineDecay(peak: training.learningRate, minimum: training.minimumLearningRate,
                                      warmUpSteps: training.warmUpSteps, totalSteps: training.steps)
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

    /// Takes one optimisation step and returns its loss.
    @discardableResult
    public func trainStep() throws -> Float {
        let (dimensions, points) = stage(atStep: step)
        let batch = distribution.sample(batchSize: configuration.training.batchSize, pointCount: points,
                                        options: SamplingOptions(activeDimensions: dimensions), using: &generator)
        optimizer.learningRate = schedule.learningRate(atStep: step)
        let loss = learner.loss(on: batch)
        try loss.checkFinite("training loss at step \(step + 1)")
        loss.backward()
        if let norm = configuration.training.gradientClipNorm { _ = clipGradientNorm(learner.parameters, maximumNorm: norm) }
        optimizer.step()
        optimizer.clearGradients()
        step += 1
        return loss.scalar
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

    /// Writes the checkpoint (weights, optimizer state, sampling state, configuration) atomically.
    public func saveCheckpoint() throws {
        var checkpoint = try learner.checkpoint(metadata: [:])
        let optimizerJSON = try RunFolder.store(optimizer.state, in: &checkpoint)
        checkpoint.metadata = [
            "mesa.format": "training-checkpoint-1",
            "mesa.step": String(step),
            "mesa.trainingSeconds": String(trainingSeconds),
            "mesa.configuration": try RunFolder.json(configuration),
            "mesa.generator": try RunFolder.json(generator),
            "mesa.optimizer": optimizerJSON,
            "architecture": "\(type(of: learner)) \(configuration.learner.architecture) d\(configuration.learner.modelSize) L\(configuration.learner.layerCount)",
        ]
        try checkpoint.write(to: checkpointURL)
    }

    /// Trains until `stoppingAt` steps (default: the configured total) or until `deadline`
    /// passes, logging metrics, evaluating and checkpointing on the configured intervals, and
    /// always writing a checkpoint before returning.
    public func run(stoppingAt last: Int? = nil, deadline: Date? = nil, observer: (Event) -> Void = { _ in }) throws {
        let training = configuration.training
        let end = min(last ?? training.steps, training.steps)
        let metrics = try FileHandle(forWritingTo: metricsURL)
        defer { try? metrics.close() }
        try metrics.seekToEnd()
        func log(_ fields: [String: Double]) { RunFolder.appendMetrics(fields, to: metrics) }
        var sessionStart = Date()
        while step < end {
            let loss = try trainStep()
            let (dimensions, points) = stage(atStep: step - 1)
            if step % training.logInterval == 0 || step == end {
                log(["step": Double(step), "loss": Double(loss), "learningRate": Double(optimizer.learningRate),
                     "points": Double(points), "dimensions": Double(dimensions)])
                observer(.step(step: step, loss: loss, learningRate: optimizer.learningRate, points: points, dimensions: dimensions))
            }
            if step % training.evaluationInterval == 0 || step == training.steps {
                let (evaluationLoss, error) = evaluate()
                log(["step": Double(step), "evaluationLoss": Double(evaluationLoss), "lastPointMetric": Double(error)])
                observer(.evaluation(step: step, loss: evaluationLoss, lastPointMetric: error))
            }
            let outOfTime = deadline.map { Date() >= $0 } ?? false
            if step % training.checkpointInterval == 0 || step == end || outOfTime {
                let now = Date()
                trainingSeconds += now.timeIntervalSince(sessionStart)
                sessionStart = now
                try saveCheckpoint()
                observer(.checkpoint(step: step, url: checkpointURL))
            }
            if outOfTime { break }
        }
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
