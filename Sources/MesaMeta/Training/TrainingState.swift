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
    /// the gradients in the parameters and returns the loss), clips the global gradient norm,
    /// updates the parameters, clears the gradients and counts the step.
    @discardableResult
    public func update(_ computeGradients: () throws -> Float) rethrows -> Float {
        optimizer.learningRate = schedule.learningRate(atStep: step)
        let loss = try computeGradients()
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

    /// Writes `weights` as the run's checkpoint, atomically, with the optimizer's buffers as
    /// tensors `optimizer.<index>.<buffer>` and, in the metadata, the format, the step, the
    /// training time, the configuration, the generator, the optimizer's scalar state and `extra`.
    public func writeCheckpoint(_ weights: SafeTensors, format: String, configuration: some Encodable,
                                extra: [String: String] = [:]) throws {
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
        try checkpoint.write(to: OutputFile(checkpointURL, contents: "the checkpoint", option: "--output"))
    }

    /// Restores the generator and the optimizer from a checkpoint written by ``writeCheckpoint(_:format:configuration:extra:)``.
    func restore(from checkpoint: SafeTensors, url: URL) throws {
        generator = try JSONDecoder().decode(RandomGenerator.self, from: Data(try RunFolder.field("mesa.generator", of: checkpoint, url: url).utf8))
        try optimizer.load(try RunFolder.optimizerState(from: checkpoint, url: url))
    }
}
