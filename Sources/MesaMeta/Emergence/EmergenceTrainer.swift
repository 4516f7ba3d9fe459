import Foundation
import MesaCore
import MesaNN

/// Trains a sequence model on bursty classification sequences (``BurstyClassificationTasks``)
/// with the shared training loop (``TrainingRun``): every step draws fresh training sequences
/// and minimises the cross-entropy of the query's label only (Chan et al. 2022; Reddy 2024).
/// Each evaluation measures in-context accuracy (novel classes, 2-way) and in-weights accuracy
/// (trained classes absent from the context) on fixed held-out sequences, so `metrics.jsonl`
/// holds both learning curves.
public final class EmergenceTrainer: TrainingRun {
    /// The run's configuration.
    public let configuration: EmergenceRunConfiguration
    /// The sequences.
    public let tasks: BurstyClassificationTasks
    /// The model being trained.
    public let learner: any InContextLearner
    /// The shared bookkeeping.
    public let state: TrainingState
    /// When to log, evaluate and checkpoint.
    public var intervals: TrainingIntervals { configuration.intervals }
    let inContextBatch: BurstySequenceBatch
    let inWeightsBatch: BurstySequenceBatch

    /// Starts a new run in `directory` (an existing checkpoint there is an error).
    public convenience init(configuration: EmergenceRunConfiguration, directory: URL) throws {
        try configuration.validate()
        let lock = try RunFolder.startNewRun(in: directory, configuration: try configuration.jsonData())
        try self.init(configuration: configuration, directory: directory, step: 0, trainingSeconds: 0, lock: lock)
    }

    /// Continues the run saved in `directory` from its last checkpoint, bit for bit.
    public convenience init(resumingFrom directory: URL) throws {
        let point: ResumePoint<EmergenceRunConfiguration> = try RunFolder.resumePoint(in: directory, extendingTo: nil)
        try self.init(configuration: point.recipe, directory: directory, step: point.step, trainingSeconds: point.seconds, lock: point.lock)
        try learner.restore(from: point.checkpoint, strict: false)
        try RunFolder.completeResume(point, state: state)
    }

    private init(configuration: EmergenceRunConfiguration, directory: URL, step: Int, trainingSeconds: Double, lock: RunFolderLock?) throws {
        self.configuration = configuration
        tasks = try BurstyClassificationTasks(configuration: configuration.tasks)
        var initialization = RandomGenerator(seed: configuration.training.seed)
        learner = try configuration.learner.makeLearner(inputDimension: configuration.tasks.inputDimension, kind: tasks.kind, using: &initialization)
        let training = configuration.training
        state = TrainingState(directory: directory, optimizer: training.optimizer, parameters: learner.parameters, totalSteps: training.steps,
                              generator: initialization.split(), step: step, trainingSeconds: trainingSeconds, lock: lock)
        var evaluation = RandomGenerator(seed: training.seed &+ 1)
        inContextBatch = tasks.sampleInContext(batchSize: training.evaluationPromptCount, using: &evaluation)
        inWeightsBatch = tasks.sampleInWeights(batchSize: training.evaluationPromptCount, using: &evaluation)
    }

    /// The query logits `[batch, L]` of `sequences`.
    public func queryLogits(_ sequences: BurstySequenceBatch) -> Tensor {
        let points = sequences.batch.pointCount
        let outputs = learner.outputs(for: sequences.batch)                                   // [B, N + 1, L]
        return outputs.slice(alongAxis: 1, from: points - 1, to: points).squeezed(at: 1)      // [B, L]
    }

    /// For every query of `sequences`, whether its label is the arg-max of the logits.
    public func correctness(on sequences: BurstySequenceBatch) -> [Bool] {
        let logits = withoutGradients { queryLogits(sequences) }
        let width = logits.shape[1]
        let scalars = logits.scalars
        return sequences.queryLabels.enumerated().map { row, label in
            let slice = scalars[(row * width)..<((row + 1) * width)]
            return slice.indices.max(by: { slice[$0] < slice[$1] })! - row * width == label
        }
    }

    /// The fraction of queries whose label is the arg-max of the logits.
    public func accuracy(on sequences: BurstySequenceBatch) -> Double {
        let correct = correctness(on: sequences)
        return Double(correct.filter { $0 }.count) / Double(correct.count)
    }

    /// In-weights accuracy on the held-out in-weights sequences split by the query's class:
    /// common (one of the ``BurstyClassificationTasks/commonClassCount`` most frequent classes,
    /// which hold half of `p`) and rare (the rest); `nan` for a group without queries.
    public func inWeightsAccuracyByFrequency() -> (common: Double, rare: Double) {
        let correct = correctness(on: inWeightsBatch), common = tasks.commonClassCount
        var hits = (common: 0, rare: 0), counts = (common: 0, rare: 0)
        for (row, classes) in inWeightsBatch.classes.enumerated() {
            if classes.last! < common {
                counts.common += 1
                if correct[row] { hits.common += 1 }
            } else {
                counts.rare += 1
                if correct[row] { hits.rare += 1 }
            }
        }
        return (counts.common > 0 ? Double(hits.common) / Double(counts.common) : .nan,
                counts.rare > 0 ? Double(hits.rare) / Double(counts.rare) : .nan)
    }

    /// One Adam step on fresh training sequences; the loss is the query's cross-entropy.
    public func trainStep() throws -> TrainingStepResult {
        let sequences = tasks.sampleTraining(batchSize: configuration.training.batchSize, using: &state.generator)
        let loss = try state.update {
            let loss = Tensor.crossEntropy(logits: queryLogits(sequences), labels: sequences.queryLabels)
            try loss.checkFinite("training loss at step \(state.step + 1)")
            loss.backward()
            return loss.scalar
        }
        return TrainingStepResult(loss: loss, metrics: [:])
    }

    /// `inContextAccuracy` and `inWeightsAccuracy` on the fixed held-out sequences.
    public func evaluationMetrics() -> [String: Double] {
        ["inContextAccuracy": accuracy(on: inContextBatch), "inWeightsAccuracy": accuracy(on: inWeightsBatch)]
    }

    /// Writes the checkpoint atomically.
    public func saveCheckpoint() throws {
        try state.writeCheckpoint(try learner.checkpoint(metadata: [:]), format: "emergence-checkpoint-1", configuration: configuration)
    }
}
