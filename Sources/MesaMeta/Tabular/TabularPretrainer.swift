import Foundation
import MesaCore
import MesaNN
import MesaOptim

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
