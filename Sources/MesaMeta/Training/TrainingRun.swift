import Foundation
import MesaCore

/// A model being trained in a run folder, as the one training loop drives it. Each trainer
/// (``InContextTrainer``, ``EpisodicTrainer``, ``TabularPretrainer``) supplies a step, an
/// evaluation and a checkpoint; ``run(stoppingAt:deadline:observer:)`` supplies the rest:
/// metrics as JSON lines, periodic evaluation, a time limit, atomic checkpoints, and exact resume.
public protocol TrainingRun: AnyObject {
    /// The shared bookkeeping.
    var state: TrainingState { get }
    /// When to log, evaluate and checkpoint.
    var intervals: TrainingIntervals { get }
    /// One optimizer step on a fresh batch (through ``TrainingState/update(_:)``).
    func trainStep() throws -> TrainingStepResult
    /// Held-out metrics at the current parameters, e.g. `["evaluationLoss": 0.31]`.
    func evaluationMetrics() -> [String: Double]
    /// Writes the checkpoint (through ``TrainingState/writeCheckpoint(_:format:configuration:extra:)``).
    func saveCheckpoint() throws
}

extension TrainingRun {
    /// Steps done.
    public var step: Int { state.step }
    /// The steps the run is planned for.
    public var totalSteps: Int { state.totalSteps }
    /// Wall time spent training over all sessions, in seconds.
    public var trainingSeconds: Double { state.trainingSeconds }
    /// The run folder.
    public var directory: URL { state.directory }
    /// The checkpoint file.
    public var checkpointURL: URL { state.checkpointURL }
    /// The metrics file.
    public var metricsURL: URL { state.metricsURL }
    /// Whether every planned step is done.
    public var isFinished: Bool { state.step >= state.totalSteps }

    /// Trains until `stoppingAt` steps (default: all planned) or until `deadline` passes. Every
    /// ``TrainingIntervals/log`` steps (and at the session's last step) it appends a metrics line
    /// (`step`, `loss`, `learningRate` and the step's own metrics); every
    /// ``TrainingIntervals/evaluation`` steps (and at the run's last step) an evaluation line; every
    /// ``TrainingIntervals/checkpoint`` steps, at the session's last step and when the deadline has
    /// passed, a checkpoint. A run resumed from its checkpoint continues bit for bit.
    ///
    /// In a data-parallel run (``TrainingState/dataParallel``) every rank steps together; rank 0
    /// alone evaluates, writes metrics and checkpoints and reports events, and its clock alone
    /// decides when the deadline has passed (the decision travels with the step's all-reduce).
    /// Its metrics lines add `allReduceShare`: the fraction of the wall time since the previous
    /// line that rank 0 spent in the all-reduce, waiting for the slowest rank included.
    ///
    /// - Throws: ``DistributedTrainingError/samplingMismatch(saved:)`` when a run is resumed
    ///   otherwise than it was started (data-parallel or not).
    public func run(stoppingAt last: Int? = nil, deadline: Date? = nil, observer: (TrainingEvent) -> Void = { _ in }) throws {
        try state.checkSampling()
        let end = Swift.min(last ?? state.totalSteps, state.totalSteps)
        let metrics = state.isLeader ? try FileHandle(forWritingTo: state.metricsURL) : nil
        defer { try? metrics?.close() }
        try metrics?.seekToEnd()
        state.deadline = deadline
        var sessionStart = Date(), lineStart = sessionStart
        state.allReduceSeconds = 0
        while state.step < end {
            let result = try trainStep()
            let step = state.step
            guard let metrics else {
                if state.stopAgreed { break }
                continue
            }
            if step % intervals.log == 0 || step == end {
                var line = result.metrics
                line["step"] = Double(step)
                line["loss"] = Double(result.loss)
                line["learningRate"] = Double(state.optimizer.learningRate)
                if state.dataParallel != nil {
                    let now = Date()
                    line["allReduceShare"] = state.allReduceSeconds / Swift.max(now.timeIntervalSince(lineStart), 1e-9)
                    state.allReduceSeconds = 0
                    lineStart = now
                }
                try RunFolder.appendMetrics(line, to: metrics, at: state.metricsURL)
                observer(.step(step: step, loss: result.loss, metrics: line))
            }
            if step % intervals.evaluation == 0 || step == state.totalSteps {
                var line = evaluationMetrics()
                observer(.evaluation(step: step, metrics: line))
                line["step"] = Double(step)
                try RunFolder.appendMetrics(line, to: metrics, at: state.metricsURL)
            }
            let now = Date()
            let outOfTime = state.dataParallel == nil ? deadline.map { now >= $0 } ?? false : state.stopAgreed
            if step % intervals.checkpoint == 0 || step == end || outOfTime {
                state.addTrainingTime(since: sessionStart, until: now)
                sessionStart = now
                try saveCheckpoint()
                observer(.checkpoint(step: step, url: state.checkpointURL))
            }
            if outOfTime { break }
        }
    }
}
