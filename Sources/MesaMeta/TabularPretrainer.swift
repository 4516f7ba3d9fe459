import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// A pre-training run of the tabular in-context model on its prior (JSON; every field optional
/// with a default). `mesa pretrain --print-config` shows a complete one.
public struct TabularPretrainingConfiguration: Codable, Sendable, Equatable {
    /// The run's name.
    public var name = "tabular-classifier"
    /// The model's sizes (its `kind` decides the defaults of the other fields when decoding:
    /// the name, the prior and ``maximumRows``).
    public var model = TabularModelConfiguration()
    /// The prior.
    public var prior = TabularPrior()
    /// Optimiser steps.
    public var steps = 20_000
    /// Tables per step (they share a row count and a split).
    public var batchSize = 8
    /// Rows per table, drawn log-uniformly.
    public var minimumRows = 20
    /// Rows per table, drawn log-uniformly (default 500 for classification, 300 for regression).
    public var maximumRows = 500
    /// The labelled fraction is drawn uniformly from `[minimumTrainFraction, maximumTrainFraction]`.
    public var minimumTrainFraction = 0.3
    /// See ``minimumTrainFraction``.
    public var maximumTrainFraction = 0.9
    /// Adam's peak learning rate (linear warm-up, then cosine decay to a tenth).
    public var learningRate: Float = 3e-4
    /// Warm-up steps.
    public var warmUpSteps = 500
    /// Global gradient-norm clip.
    public var gradientClipNorm: Float = 1
    /// The seed.
    public var seed: UInt64 = 0
    /// A checkpoint every this many steps.
    public var checkpointInterval = 500
    /// A held-out evaluation every this many steps.
    public var evaluationInterval = 1000
    /// A metrics line every this many steps.
    public var logInterval = 20

    /// The defaults for `kind`: the run's name, the model, its prior and the table sizes.
    public init(kind: TabularTaskKind = .classification) {
        guard kind == .regression else { return }
        name = "tabular-regressor"
        model = TabularModelConfiguration(kind: .regression)
        prior = TabularPrior(kind: .regression)
        maximumRows = 300
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, model, prior, steps, batchSize, minimumRows, maximumRows, minimumTrainFraction, maximumTrainFraction
        case learningRate, warmUpSteps, gradientClipNorm, seed, checkpointInterval, evaluationInterval, logInterval
    }

    /// Decodes with defaults; unknown fields are an error.
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "pre-training configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.value(.model, default: TabularModelConfiguration())
        let d = TabularPretrainingConfiguration(kind: model.kind)
        name = try c.value(.name, default: d.name)
        prior = try c.value(.prior, default: d.prior)
        steps = try c.value(.steps, default: d.steps)
        batchSize = try c.value(.batchSize, default: d.batchSize)
        minimumRows = try c.value(.minimumRows, default: d.minimumRows)
        maximumRows = try c.value(.maximumRows, default: d.maximumRows)
        minimumTrainFraction = try c.value(.minimumTrainFraction, default: d.minimumTrainFraction)
        maximumTrainFraction = try c.value(.maximumTrainFraction, default: d.maximumTrainFraction)
        learningRate = try c.value(.learningRate, default: d.learningRate)
        warmUpSteps = try c.value(.warmUpSteps, default: d.warmUpSteps)
        gradientClipNorm = try c.value(.gradientClipNorm, default: d.gradientClipNorm)
        seed = try c.value(.seed, default: d.seed)
        checkpointInterval = try c.value(.checkpointInterval, default: d.checkpointInterval)
        evaluationInterval = try c.value(.evaluationInterval, default: d.evaluationInterval)
        logInterval = try c.value(.logInterval, default: d.logInterval)
    }

    /// Decodes and validates.
    public init(json: Data, source: String) throws {
        do {
            self = try JSONDecoder().decode(TabularPretrainingConfiguration.self, from: json)
        } catch {
            throw TabularError.invalidModel("\(source): \(error)")
        }
        guard model.kind == prior.kind else { throw TabularError.invalidModel("\(source): model.kind and prior.kind differ") }
        guard steps >= 1, batchSize >= 1, minimumRows >= 4, maximumRows >= minimumRows,
              0 < minimumTrainFraction, minimumTrainFraction <= maximumTrainFraction, maximumTrainFraction < 1 else {
            throw TabularError.invalidModel("\(source): need steps, batchSize ≥ 1, 4 ≤ minimumRows ≤ maximumRows and 0 < train fractions < 1")
        }
    }

    /// Pretty-printed JSON.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// Pre-trains a ``TabularTransformer`` on synthetic tables from its ``TabularPrior``, resumable
/// exactly from its last checkpoint (so a long run can be done in pieces).
public final class TabularPretrainer {
    /// The configuration.
    public let configuration: TabularPretrainingConfiguration
    /// The model being trained.
    public let model: TabularTransformer
    /// The run folder.
    public let directory: URL
    /// Steps done.
    public private(set) var step: Int
    /// Training wall time over all sessions, in seconds.
    public private(set) var trainingSeconds: Double
    let optimizer: Adam
    let schedule: LearningRateSchedule
    var generator: RandomGenerator

    /// The checkpoint file.
    public var checkpointURL: URL { directory.appendingPathComponent("checkpoint.safetensors") }
    /// The metrics file.
    public var metricsURL: URL { directory.appendingPathComponent("metrics.jsonl") }

    /// Starts a run in `directory` (an existing checkpoint there is an error).
    public convenience init(configuration: TabularPretrainingConfiguration, directory: URL) throws {
        try RunFolder.startNewRun(in: directory, configuration: try configuration.jsonData())
        self.init(configuration: configuration, directory: directory, step: 0, seconds: 0)
    }

    /// Continues the run in `directory` from its last checkpoint.
    ///
    /// - Parameter steps: extend the run to this many steps (more than it was planned for). The
    ///   cosine schedule is stretched to the new length from here on, so the result differs from
    ///   a run planned that long from the start; without it, resuming is exact.
    public convenience init(resumingFrom directory: URL, extendingTo steps: Int? = nil) throws {
        let (checkpoint, url, step, seconds) = try RunFolder.resumableCheckpoint(in: directory)
        func field(_ key: String) throws -> String { try RunFolder.field(key, of: checkpoint, url: url) }
        var configuration = try TabularPretrainingConfiguration(json: Data(try field("mesa.configuration").utf8), source: url.path)
        let planned = configuration.steps
        if let steps { configuration.steps = steps }
        self.init(configuration: configuration, directory: directory, step: step, seconds: seconds)
        try model.restore(from: checkpoint, strict: false)
        generator = try JSONDecoder().decode(RandomGenerator.self, from: Data(try field("mesa.generator").utf8))
        try optimizer.load(try RunFolder.optimizerState(from: checkpoint, url: url))
        if let steps { try RunFolder.extend(directory, planned: planned, to: steps, configuration: try configuration.jsonData()) }
        try RunFolder.truncateMetrics(at: metricsURL, afterStep: step)
    }

    private init(configuration: TabularPretrainingConfiguration, directory: URL, step: Int, seconds: Double) {
        self.configuration = configuration
        self.directory = directory
        self.step = step
        self.trainingSeconds = seconds
        var initialization = RandomGenerator(seed: configuration.seed)
        model = TabularTransformer(configuration: configuration.model, using: &initialization)
        generator = initialization.split()
        optimizer = Adam(parameters: model.parameters, learningRate: configuration.learningRate)
        schedule = .warmUpCosineDecay(peak: configuration.learningRate, minimum: configuration.learningRate / 10,
                                      warmUpSteps: configuration.warmUpSteps, totalSteps: configuration.steps)
    }

    /// A batch of prior tables sharing a row count and split: padded features `[batch, rows, F]`,
    /// targets (all rows, table after table), the split and each table's class count.
    public static func sampleBatch(_ configuration: TabularPretrainingConfiguration, model: TabularTransformer,
                                   using generator: inout RandomGenerator) -> (features: Tensor, targets: [Float], trainCount: Int, classCounts: [Int]) {
        let c = configuration
        let rows = Int(exp(log(Double(c.minimumRows)) + generator.nextDouble() * (log(Double(c.maximumRows + 1)) - log(Double(c.minimumRows)))))
        let fraction = c.minimumTrainFraction + generator.nextDouble() * (c.maximumTrainFraction - c.minimumTrainFraction)
        let trainCount = Swift.min(Swift.max(1, Int(Double(rows) * fraction)), rows - 1)
        var features: [Float] = [], targets: [Float] = [], classCounts: [Int] = []
        for _ in 0..<c.batchSize {
            let sample = c.prior.sample(rowCount: rows, trainCount: trainCount, using: &generator)
            features += model.paddedFeatures(sample.features, rows: rows, featureCount: sample.featureCount)
            targets += sample.targets
            classCounts.append(sample.classCount)
        }
        return (Tensor(shape: [c.batchSize, rows, c.model.maximumFeatures], scalars: features), targets, trainCount, classCounts)
    }

    /// One optimiser step; returns the loss.
    @discardableResult
    public func trainStep() throws -> Float {
        let batch = Self.sampleBatch(configuration, model: model, using: &generator)
        optimizer.learningRate = schedule.learningRate(atStep: step)
        let loss = model.loss(features: batch.features, targets: batch.targets, trainCount: batch.trainCount, classCounts: batch.classCounts)
        try loss.checkFinite("pre-training loss at step \(step + 1)")
        loss.backward()
        _ = clipGradientNorm(model.parameters, maximumNorm: configuration.gradientClipNorm)
        optimizer.step()
        optimizer.clearGradients()
        step += 1
        return loss.scalar
    }

    /// The mean loss on 16 fixed held-out prior batches.
    public func evaluate() -> Float {
        var evaluation = RandomGenerator(seed: configuration.seed &+ 99)
        return withoutGradients {
            var total: Float = 0
            for _ in 0..<16 {
                let batch = Self.sampleBatch(configuration, model: model, using: &evaluation)
                total += model.loss(features: batch.features, targets: batch.targets, trainCount: batch.trainCount, classCounts: batch.classCounts).scalar
            }
            return total / 16
        }
    }

    /// Writes the checkpoint atomically.
    public func saveCheckpoint() throws {
        var checkpoint = try model.checkpoint(metadata: [:])
        let optimizerJSON = try RunFolder.store(optimizer.state, in: &checkpoint)
        checkpoint.metadata = try Self.metadata(configuration: configuration, step: step, seconds: trainingSeconds)
        checkpoint.metadata["mesa.generator"] = try RunFolder.json(generator)
        checkpoint.metadata["mesa.optimizer"] = optimizerJSON
        try checkpoint.write(to: checkpointURL)
    }

    /// The metadata naming the recipe: format, configuration, step and training time.
    static func metadata(configuration: TabularPretrainingConfiguration, step: Int, seconds: Double) throws -> [String: String] {
        [
            "mesa.format": "tabular-pretraining-1",
            "mesa.recipe": "mesa pretrain (TabularPrior: random-MLP structural causal models\(configuration.model.kind == .regression ? " and Gaussian-process functions" : ""))",
            "mesa.configuration": try RunFolder.json(configuration),
            "mesa.step": String(step),
            "mesa.trainingSeconds": String(seconds),
            "architecture": "TabularTransformer \(configuration.model.kind.rawValue) d\(configuration.model.modelSize) L\(configuration.model.layerCount)",
        ]
    }

    /// Trains to `stoppingAt` (default: all steps) or `deadline`, checkpointing on the
    /// interval and before returning.
    public func run(stoppingAt last: Int? = nil, deadline: Date? = nil, observer: (_ step: Int, _ loss: Float, _ evaluation: Float?) -> Void = { _, _, _ in }) throws {
        let end = Swift.min(last ?? configuration.steps, configuration.steps)
        let metrics = try FileHandle(forWritingTo: metricsURL)
        defer { try? metrics.close() }
        try metrics.seekToEnd()
        var sessionStart = Date()
        while step < end {
            let loss = try trainStep()
            var evaluation: Float?
            if step % configuration.evaluationInterval == 0 || step == configuration.steps {
                evaluation = evaluate()
                RunFolder.appendMetrics(["step": Double(step), "evaluationLoss": Double(evaluation!)], to: metrics)
            }
            if step % configuration.logInterval == 0 || step == end || evaluation != nil {
                RunFolder.appendMetrics(["step": Double(step), "loss": Double(loss)], to: metrics)
                observer(step, loss, evaluation)
            }
            let outOfTime = deadline.map { Date() >= $0 } ?? false
            if step % configuration.checkpointInterval == 0 || step == end || outOfTime {
                let now = Date()
                trainingSeconds += now.timeIntervalSince(sessionStart)
                sessionStart = now
                try saveCheckpoint()
            }
            if outOfTime { break }
        }
    }
}
