import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// Meta-trains a gradient-based or metric meta-learner (MAML, Meta-SGD, ANIL, Reptile,
/// Prototypical Networks) on episodes, and meta-tests it.
///
/// Every iteration draws a meta-batch of episodes from the meta-training split and takes one
/// outer step (Adam, or SGD with linear decay for Reptile's `ε`); meta-validation runs every
/// `validationInterval` iterations; a run folder holds `config.json`, `checkpoint.safetensors`
/// (parameters, optimizer moments, sampler state, configuration; written atomically) and
/// `metrics.jsonl`. ``init(resumingFrom:)`` continues exactly: an interrupted and resumed run
/// ends with the same parameters as an uninterrupted one.
///
/// Class splits (classification): Fashion-MNIST meta-trains on classes 0, 1, 4, 5, 8 (60,000-image
/// file), meta-validates on the same classes' held-out `t10k` images, and meta-tests on classes
/// 2, 3, 6, 7, 9 (both files), never seen in meta-training; a table's classes are split 60/20/20
/// by a seeded permutation. Either is overridable (`trainClasses`, `validationClasses`, `testClasses`).
public final class EpisodicTrainer: DataParallelTrainingRun {
    /// The run's configuration.
    public let configuration: EpisodicConfiguration
    /// All trainable tensors (network, and Meta-SGD's step sizes), for checkpoints.
    public let parameters: EpisodicParameters
    /// Steps, generator, optimizer and checkpoint bookkeeping (``TrainingState``).
    public let state: TrainingState
    /// Logging, meta-validation and checkpoint intervals.
    public var intervals: TrainingIntervals { configuration.intervals }
    /// Episodes per outer step over all ranks (``EpisodicConfiguration/metaBatchSize``).
    public var globalBatchSize: Int { configuration.metaBatchSize }
    /// Outer steps completed (``TrainingRun/step``).
    public var iteration: Int { state.step }

    let splits: EpisodeSplits

    /// Starts a new run in `directory` (an existing checkpoint there is an error).
    public convenience init(configuration: EpisodicConfiguration, directory: URL) throws {
        try configuration.validate()
        let lock = try RunFolder.startNewRun(in: directory, configuration: try configuration.jsonData())
        try self.init(configuration: configuration, directory: directory, iteration: 0, trainingSeconds: 0, lock: lock)
    }

    /// Continues the run saved in `directory` from its last checkpoint; with `iterations`, extends
    /// it to that many (the learning-rate schedule is stretched, as for the other trainers).
    public convenience init(resumingFrom directory: URL, extendingTo iterations: Int? = nil) throws {
        let point: ResumePoint<EpisodicConfiguration> = try RunFolder.resumePoint(in: directory, extendingTo: iterations)
        try self.init(configuration: point.recipe, directory: directory, iteration: point.step, trainingSeconds: point.seconds, lock: point.lock)
        try parameters.restore(from: point.checkpoint, strict: false)
        try RunFolder.completeResume(point, state: state)
    }

    /// A replica of a data-parallel run for a rank other than 0 (``DataParallelTrainingRun``).
    public convenience init(replicating checkpoint: SafeTensors, directory: URL) throws {
        let point: ResumePoint<EpisodicConfiguration> = try RunFolder.replicaPoint(from: checkpoint, directory: directory)
        try self.init(configuration: point.recipe, directory: directory, iteration: point.step, trainingSeconds: point.seconds, lock: nil)
        try parameters.restore(from: point.checkpoint, strict: false)
        try RunFolder.completeResume(point, state: state)
    }

    /// Reads a finished (or interrupted, or running) run for meta-testing; nothing is written
    /// and the folder is not locked.
    public static func load(from directory: URL) throws -> EpisodicTrainer {
        let point: ResumePoint<EpisodicConfiguration> = try RunFolder.resumePoint(in: directory, extendingTo: nil, locking: false)
        let trainer = try EpisodicTrainer(configuration: point.recipe, directory: directory, iteration: point.step, trainingSeconds: point.seconds,
                                          lock: nil)
        try trainer.parameters.restore(from: point.checkpoint, strict: false)
        return trainer
    }

    private init(configuration: EpisodicConfiguration, directory: URL, iteration: Int, trainingSeconds: Double, lock: RunFolderLock?) throws {
        self.configuration = configuration
        var initialization = RandomGenerator(seed: configuration.seed)
        splits = try EpisodeSplits(configuration: configuration, using: &initialization)
        parameters = EpisodicParameters(configuration: configuration, inputSize: splits.inputSize, using: &initialization)
        state = TrainingState(directory: directory, optimizer: configuration.optimizer, parameters: parameters.parameters,
                              totalSteps: configuration.iterations, generator: initialization.split(), step: iteration,
                              trainingSeconds: trainingSeconds, lock: lock)
    }

    /// One outer step on a fresh meta-batch; returns the meta-loss (for Reptile, the query loss
    /// after adaptation).
    @discardableResult
    public func trainStep() throws -> TrainingStepResult {
        let episodes = try state.exampleStreams(batchSize: configuration.metaBatchSize).map { streams in
            streams.examples.map { generator in
                var generator = generator
                return splits.train.sample(using: &generator)
            }
        } ?? (0..<configuration.metaBatchSize).map { _ in splits.train.sample(using: &state.generator) }
        state.optimizer.clearGradients()
        let loss = try state.update {
            let loss = parameters.metaLoss(on: episodes, configuration: configuration)
            try loss.checkFinite("meta-loss at iteration \(state.step + 1)")
            return loss.scalar
        }
        return TrainingStepResult(loss: loss)
    }

    /// Mean query loss (and accuracy) over `episodeCount` episodes of a split, after adapting
    /// on each support set for `innerSteps` (default: the configured test steps).
    public func evaluate(split: EpisodeSplit, episodeCount: Int, innerSteps: Int? = nil, seed: UInt64) -> MetaTestResult {
        var evaluationGenerator = RandomGenerator(seed: seed)
        let sampler = split == .validation ? splits.validation : splits.test
        var losses: [Double] = [], accuracies: [Double] = []
        for _ in 0..<episodeCount {
            let episode = sampler.sample(using: &evaluationGenerator)
            let (loss, accuracy) = parameters.evaluate(episode, configuration: configuration,
                                                       innerSteps: innerSteps ?? configuration.testInnerSteps ?? configuration.innerSteps)
            losses.append(Double(loss))
            if let accuracy { accuracies.append(Double(accuracy)) }
        }
        return MetaTestResult(loss: .init(losses), accuracy: accuracies.isEmpty ? nil : .init(accuracies))
    }

    /// Meta-validation as metrics: `validationLoss` and, for classification, `validationAccuracy`,
    /// each with the half-width of its 95 % interval (`validationLossCI95`, `validationAccuracyCI95`).
    public func evaluationMetrics() -> [String: Double] {
        let result = evaluate(split: .validation, episodeCount: configuration.validationEpisodes, seed: configuration.seed &+ 1)
        var fields = ["validationLoss": result.loss.mean, "validationLossCI95": result.loss.halfWidth95]
        if let accuracy = result.accuracy {
            fields["validationAccuracy"] = accuracy.mean
            fields["validationAccuracyCI95"] = accuracy.halfWidth95
        }
        return fields
    }

    /// The checkpoint, written atomically by ``DataParallelTrainingRun/saveCheckpoint()``.
    public func makeCheckpoint() throws -> SafeTensors {
        try state.checkpoint(try parameters.checkpoint(metadata: [:]), format: "episodic-checkpoint-1", configuration: configuration,
                                  extra: ["architecture": "\(configuration.algorithm.rawValue) MLP \(configuration.hiddenSizes)"])
    }
}
