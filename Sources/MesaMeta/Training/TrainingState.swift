import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// The bookkeeping every training run shares: its folder, the steps done, the training time, the
/// sampling generator, the optimizer with its learning-rate schedule and gradient clipping, and
/// the checkpoint metadata that lets a run resume bit for bit.
///
/// A trainer owns one and calls ``update(_:)`` once per step; the shared loop
/// (``TrainingRun/run(stoppingAt:deadline:observer:)``) does the rest.
public final class TrainingState {
    /// The run folder.
    public let directory: URL
    /// Optimizer steps done.
    public internal(set) var step: Int
    /// The steps the run is planned for.
    public let totalSteps: Int
    /// Wall time spent training, over all sessions of the run, in seconds.
    public internal(set) var trainingSeconds: Double
    /// The sampling generator (saved in every checkpoint).
    public var generator: RandomGenerator
    /// The optimizer.
    public let optimizer: any Optimizer
    /// The learning rate at each step.
    public let schedule: LearningRateSchedule
    let gradientClipNorm: Float?
    /// The run folder's lock, held as long as the state lives (``RunFolderLock``).
    let lock: RunFolderLock?
    /// The group this run trains with, data-parallel (``DataParallel``), or `nil` for one
    /// process sampling its batches in sequence from ``generator``. Set by
    /// ``DataParallelTrainingRun/start(over:leader:)``.
    public internal(set) var dataParallel: DataParallel?
    /// Whether this process leads the run: it writes the run folder and reports progress (rank 0
    /// of a data-parallel run, or the only process).
    public var isLeader: Bool { dataParallel?.communicator.isLeader ?? true }
    /// Whether the checkpoint this state was restored from was written by a data-parallel run
    /// (`nil` for a new run): a run must be resumed the way it was started.
    var restoredDataParallel: Bool?
    /// The time limit of the current session, read by rank 0 when it asks the group to stop.
    var deadline: Date?
    /// Whether the last data-parallel step agreed to stop (rank 0 was out of time).
    var stopAgreed = false
    /// Seconds spent in the all-reduce (including waiting for the slowest rank) since the loop
    /// last read them (``TrainingRun/run(stoppingAt:deadline:observer:)`` logs their share).
    var allReduceSeconds: Double = 0

    /// The checkpoint file of the run folder.
    public var checkpointURL: URL { directory.appendingPathComponent("checkpoint.safetensors") }
    /// The metrics file of the run folder (one JSON object per line).
    public var metricsURL: URL { directory.appendingPathComponent("metrics.jsonl") }

    /// State for a run of `totalSteps` steps over `parameters`, `step` steps in, holding `lock`
    /// on its folder for as long as it lives.
    public init(directory: URL, optimizer configuration: OptimizerConfiguration, parameters: [Parameter], totalSteps: Int,
                generator: RandomGenerator, step: Int = 0, trainingSeconds: Double = 0, lock: RunFolderLock? = nil) {
        self.lock = lock
        self.directory = directory
        self.step = step
        self.totalSteps = totalSteps
        self.trainingSeconds = trainingSeconds
        self.generator = generator
        optimizer = configuration.makeOptimizer(for: parameters)
        schedule = configuration.schedule(totalSteps: totalSteps)
        gradientClipNorm = configuration.gradientClipNorm
    }

    /// One optimizer step: sets the scheduled learning rate, runs `computeGradients` (which leaves
    /// the gradients in the parameters and returns the loss), averages gradients and loss over the
    /// ranks of a data-parallel run (one all-reduce, ``DataParallel``), clips the global gradient
    /// norm, updates the parameters, clears the gradients and counts the step.
    @discardableResult
    public func update(_ computeGradients: () throws -> Float) throws -> Float {
        optimizer.learningRate = schedule.learningRate(atStep: step)
        var loss = try computeGradients()
        if let dataParallel {
            let start = Date()
            let wantsStop = dataParallel.communicator.isLeader && (deadline.map { start >= $0 } ?? false)
            (loss, stopAgreed) = try dataParallel.averageGradients(of: optimizer.parameters, loss: loss, stopRequested: wantsStop)
            allReduceSeconds += Date().timeIntervalSince(start)
        }
        if let gradientClipNorm { _ = clipGradientNorm(optimizer.parameters, maximumNorm: gradientClipNorm) }
        optimizer.step()
        optimizer.clearGradients()
        step += 1
        return loss
    }

    /// Adds the wall time since `start` to ``trainingSeconds``.
    func addTrainingTime(since start: Date, until end: Date) {
        trainingSeconds += end.timeIntervalSince(start)
    }

    /// The sampling generators of this rank's share of the step's batch of `batchSize` examples in
    /// a data-parallel run (drawing the step's seed from ``generator``), or `nil` outside one,
    /// where a trainer samples its batch from ``generator`` directly.
    public func exampleStreams(batchSize: Int) throws -> ExampleStreams? {
        guard let dataParallel else { return nil }
        return ExampleStreams(seed: generator.next(), indices: try dataParallel.shard(ofBatch: batchSize))
    }

    /// Throws unless the run is resumed the way it was started (data-parallel or not).
    func checkSampling() throws {
        if let restoredDataParallel, restoredDataParallel != (dataParallel != nil) {
            throw DistributedTrainingError.samplingMismatch(saved: restoredDataParallel)
        }
    }

    /// Writes `weights` as the run's checkpoint, atomically (``checkpoint(_:format:configuration:extra:)``).
    public func writeCheckpoint(_ weights: SafeTensors, format: String, configuration: some Encodable,
                                extra: [String: String] = [:]) throws {
        try write(try checkpoint(weights, format: format, configuration: configuration, extra: extra))
    }

    /// Writes `checkpoint` as the run's checkpoint, atomically.
    public func write(_ checkpoint: SafeTensors) throws {
        try checkpoint.write(to: OutputFile(checkpointURL, contents: "the checkpoint", option: "--output"))
    }

    /// `weights` with the optimizer's buffers as tensors `optimizer.<index>.<buffer>` and, in the
    /// metadata, the format, the step, the training time, the configuration, the generator, the
    /// optimizer's scalar state, `extra` and, for a data-parallel run, `mesa.sampling` =
    /// `data-parallel` and the number of ranks (`mesa.ranks`).
    public func checkpoint(_ weights: SafeTensors, format: String, configuration: some Encodable,
                           extra: [String: String] = [:]) throws -> SafeTensors {
        var checkpoint = weights
        let optimizerJSON = try RunFolder.store(optimizer.state, in: &checkpoint)
        checkpoint.metadata = extra.merging([
            "mesa.format": format,
            "mesa.step": String(step),
            "mesa.trainingSeconds": String(trainingSeconds),
            "mesa.configuration": try RunFolder.json(configuration),
            "mesa.generator": try RunFolder.json(generator),
            "mesa.optimizer": optimizerJSON,
        ]) { _, shared in shared }
        if let dataParallel {
            checkpoint.metadata["mesa.sampling"] = "data-parallel"
            checkpoint.metadata["mesa.ranks"] = String(dataParallel.communicator.size)
        }
        return checkpoint
    }

    /// Restores the generator and the optimizer from a checkpoint written by ``writeCheckpoint(_:format:configuration:extra:)``.
    func restore(from checkpoint: SafeTensors, url: URL) throws {
        generator = try JSONDecoder().decode(RandomGenerator.self, from: Data(try RunFolder.field("mesa.generator", of: checkpoint, url: url).utf8))
        try optimizer.load(try RunFolder.optimizerState(from: checkpoint, url: url))
        restoredDataParallel = checkpoint.metadata["mesa.sampling"] == "data-parallel"
    }
}
