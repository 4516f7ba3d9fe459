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
public final class EpisodicTrainer {
    /// What happened during ``run(stoppingAt:observer:)``.
    public enum Event {
        /// An outer step finished with this meta-loss (every `logInterval` iterations).
        case step(iteration: Int, loss: Float)
        /// Meta-validation: mean query loss and, for classification, accuracy.
        case validation(iteration: Int, result: MetaTestResult)
        /// A checkpoint was written.
        case checkpoint(iteration: Int, url: URL)
    }

    /// The run's configuration.
    public let configuration: EpisodicConfiguration
    /// The run folder.
    public let directory: URL
    /// Outer steps completed.
    public private(set) var iteration: Int
    /// Wall time spent training, over all sessions of the run, in seconds.
    public private(set) var trainingSeconds: Double
    /// All trainable tensors (network, and Meta-SGD's step sizes), for checkpoints.
    public let parameters: EpisodicParameters

    let splits: EpisodeSplits
    let optimizer: any Optimizer & AnyObject
    var generator: RandomGenerator

    /// The checkpoint file.
    public var checkpointURL: URL { directory.appendingPathComponent("checkpoint.safetensors") }
    /// The metrics file.
    public var metricsURL: URL { directory.appendingPathComponent("metrics.jsonl") }

    /// Starts a new run in `directory` (an existing checkpoint there is an error).
    public convenience init(configuration: EpisodicConfiguration, directory: URL) throws {
        try configuration.validate()
        try RunFolder.startNewRun(in: directory, configuration: try configuration.jsonData())
        try self.init(configuration: configuration, directory: directory, iteration: 0, trainingSeconds: 0)
    }

    /// Continues the run saved in `directory` from its last checkpoint.
    public convenience init(resumingFrom directory: URL) throws {
        let (checkpoint, url, iteration, seconds) = try RunFolder.resumableCheckpoint(in: directory)
        func field(_ key: String) throws -> String { try RunFolder.field(key, of: checkpoint, url: url) }
        let configuration = try EpisodicConfiguration(json: Data(try field("mesa.configuration").utf8), source: "\(url.path) metadata")
        try self.init(configuration: configuration, directory: directory, iteration: iteration, trainingSeconds: seconds)
        try parameters.restore(from: checkpoint, strict: false)
        generator = try JSONDecoder().decode(RandomGenerator.self, from: Data(try field("mesa.generator").utf8))
        try optimizer.load(try RunFolder.optimizerState(from: checkpoint, url: url))
        try RunFolder.truncateMetrics(at: metricsURL, afterStep: iteration)
    }

    /// Reads a finished (or interrupted) run for meta-testing; nothing is written.
    public static func load(from directory: URL) throws -> EpisodicTrainer {
        let (checkpoint, url, iteration, seconds) = try RunFolder.resumableCheckpoint(in: directory)
        let configuration = try EpisodicConfiguration(
            json: Data(try RunFolder.field("mesa.configuration", of: checkpoint, url: url).utf8), source: "\(url.path) metadata")
        let trainer = try EpisodicTrainer(configuration: configuration, directory: directory, iteration: iteration, trainingSeconds: seconds)
        try trainer.parameters.restore(from: checkpoint, strict: false)
        return trainer
    }

    private init(configuration: EpisodicConfiguration, directory: URL, iteration: Int, trainingSeconds: Double) throws {
        self.configuration = configuration
        self.directory = directory
        self.iteration = iteration
        self.trainingSeconds = trainingSeconds
        var initialization = RandomGenerator(seed: configuration.seed)
        splits = try EpisodeSplits(configuration: configuration, using: &initialization)
        parameters = EpisodicParameters(configuration: configuration, inputSize: splits.inputSize, using: &initialization)
        generator = initialization.split()
        optimizer = configuration.metaOptimizer == "sgd"
            ? SGD(parameters: parameters.parameters, learningRate: configuration.metaLearningRate)
            : Adam(parameters: parameters.parameters, learningRate: configuration.metaLearningRate)
    }

    /// One outer step on a fresh meta-batch; returns the meta-loss (for Reptile, the query loss
    /// after adaptation).
    @discardableResult
    public func trainStep() throws -> Float {
        let episodes = (0..<configuration.metaBatchSize).map { _ in splits.train.sample(using: &generator) }
        if configuration.metaOptimizer == "sgd", let sgd = optimizer as? SGD {
            sgd.learningRate = configuration.metaLearningRate * (1 - Float(iteration) / Float(configuration.iterations))
        }
        optimizer.clearGradients()
        let loss = parameters.metaLoss(on: episodes, configuration: configuration)
        try loss.checkFinite("meta-loss at iteration \(iteration + 1)")
        optimizer.step()
        optimizer.clearGradients()
        iteration += 1
        return loss.scalar
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

    /// Writes the checkpoint atomically.
    public func saveCheckpoint() throws {
        var checkpoint = try parameters.checkpoint(metadata: [:])
        let optimizerJSON = try RunFolder.store(optimizer.state, in: &checkpoint)
        checkpoint.metadata = [
            "mesa.format": "episodic-checkpoint-1",
            "mesa.step": String(iteration),
            "mesa.trainingSeconds": String(trainingSeconds),
            "mesa.configuration": try RunFolder.json(configuration),
            "mesa.generator": try RunFolder.json(generator),
            "mesa.optimizer": optimizerJSON,
            "architecture": "\(configuration.algorithm.rawValue) MLP \(configuration.hiddenSizes)",
        ]
        try checkpoint.write(to: checkpointURL)
    }

    /// Trains until `stoppingAt` iterations (default: all) or `deadline`, validating, logging and
    /// checkpointing on the configured intervals, and always checkpointing before returning.
    public func run(stoppingAt last: Int? = nil, deadline: Date? = nil, observer: (Event) -> Void = { _ in }) throws {
        let end = min(last ?? configuration.iterations, configuration.iterations)
        let metrics = try FileHandle(forWritingTo: metricsURL)
        defer { try? metrics.close() }
        try metrics.seekToEnd()
        var sessionStart = Date()
        while iteration < end {
            let loss = try trainStep()
            if iteration % configuration.logInterval == 0 || iteration == end {
                RunFolder.appendMetrics(["step": Double(iteration), "loss": Double(loss)], to: metrics)
                observer(.step(iteration: iteration, loss: loss))
            }
            if iteration % configuration.validationInterval == 0 || iteration == configuration.iterations {
                let result = evaluate(split: .validation, episodeCount: configuration.validationEpisodes, seed: configuration.seed &+ 1)
                var fields = ["step": Double(iteration), "validationLoss": result.loss.mean]
                if let accuracy = result.accuracy { fields["validationAccuracy"] = accuracy.mean }
                RunFolder.appendMetrics(fields, to: metrics)
                observer(.validation(iteration: iteration, result: result))
            }
            let outOfTime = deadline.map { Date() >= $0 } ?? false
            if iteration % configuration.checkpointInterval == 0 || iteration == end || outOfTime {
                let now = Date()
                trainingSeconds += now.timeIntervalSince(sessionStart)
                sessionStart = now
                try saveCheckpoint()
                observer(.checkpoint(iteration: iteration, url: checkpointURL))
            }
            if outOfTime { break }
        }
    }
}
