import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// Pre-trains a ``TabularTransformer`` on synthetic tables from its ``TabularPrior``, resumable
/// exactly from its last checkpoint (so a long run can be done in pieces).
public final class TabularPretrainer: DataParallelTrainingRun {
    /// The configuration.
    public let configuration: TabularPretrainingConfiguration
    /// The model being trained.
    public let model: TabularTransformer
    /// Steps, generator, optimizer and checkpoint bookkeeping (``TrainingState``).
    public let state: TrainingState
    /// Prior tables padded into one batch: features `[tables, rows, maximumFeatures]`, targets
    /// (all rows, table after table), the labelled rows per table, and each table's class and
    /// feature counts.
    public typealias Batch = (features: Tensor, targets: [Float], trainCount: Int, classCounts: [Int], featureCounts: [Int])
    /// When to log, evaluate and checkpoint.
    public var intervals: TrainingIntervals { configuration.intervals }
    /// Tables per step over all ranks (``TabularPretrainingConfiguration/batchSize``).
    public var globalBatchSize: Int { configuration.batchSize }

    /// Starts a run in `directory` (an existing checkpoint there is an error), from random
    /// weights or, with ``TabularPretrainingConfiguration/initialModel``, from that model's
    /// (grown by ``TabularTransformer/grown(to:seed:)`` when the run's model has more layers,
    /// adds a per-cell front end or splits a regressor's bins, every other size the same).
    public convenience init(configuration: TabularPretrainingConfiguration, directory: URL) throws {
        var initial: TabularTransformer?
        if let path = configuration.initialModel {
            let loaded = try TabularModelFile.load(URL(fileURLWithPath: path), kind: configuration.model.kind)
            if loaded.recipe.model == configuration.model {
                initial = loaded.model
            } else {
                do {
                    // Larger, every other size the same: the model grows, starting as its function.
                    initial = try loaded.model.grown(to: configuration.model, seed: configuration.seed)
                } catch {
                    throw TabularError.invalidModel("initialModel \(path) has other model sizes than this run's 'model' section (only more layers, 'layerCount', an added 'cells' section, or a whole multiple of a regressor's 'binCount' may differ); copy its 'model' section (mesa pretrain --print-config shows this run's)")
                }
            }
        }
        let lock = try RunFolder.startNewRun(in: directory, configuration: try configuration.jsonData())
        self.init(configuration: configuration, directory: directory, step: 0, seconds: 0, lock: lock)
        if let initial { try model.restore(from: try initial.checkpoint(metadata: [:]), strict: true) }
    }

    /// Continues the run in `directory` from its last checkpoint.
    ///
    /// - Parameter steps: extend the run to this many steps (more than it was planned for). The
    ///   cosine schedule is stretched to the new length from here on, so the result differs from
    ///   a run planned that long from the start; without it, resuming is exact.
    public convenience init(resumingFrom directory: URL, extendingTo steps: Int? = nil) throws {
        let point: ResumePoint<TabularPretrainingConfiguration> = try RunFolder.resumePoint(in: directory, extendingTo: steps)
        self.init(configuration: point.recipe, directory: directory, step: point.step, seconds: point.seconds, lock: point.lock)
        try model.restore(from: point.checkpoint, strict: false)
        try RunFolder.completeResume(point, state: state)
    }

    /// A replica of a data-parallel run for a rank other than 0 (``DataParallelTrainingRun``).
    public convenience init(replicating checkpoint: SafeTensors, directory: URL) throws {
        let point: ResumePoint<TabularPretrainingConfiguration> = try RunFolder.replicaPoint(from: checkpoint, directory: directory)
        self.init(configuration: point.recipe, directory: directory, step: point.step, seconds: point.seconds, lock: nil)
        try model.restore(from: point.checkpoint, strict: false)
        try RunFolder.completeResume(point, state: state)
    }

    private init(configuration: TabularPretrainingConfiguration, directory: URL, step: Int, seconds: Double, lock: RunFolderLock?) {
        self.configuration = configuration
        var initialization = RandomGenerator(seed: configuration.seed)
        model = TabularTransformer(configuration: configuration.model, using: &initialization)
        state = TrainingState(directory: directory, optimizer: configuration.optimizer, parameters: model.parameters,
                              totalSteps: configuration.steps, generator: initialization.split(), step: step, trainingSeconds: seconds, lock: lock)
    }

    /// A batch of prior tables sharing a row count and split: padded features `[batch, rows, F]`,
    /// targets (all rows, table after table), the split and each table's class count. With a
    /// ``TabularPretrainingConfiguration/functionPrior``, the tables are sets of points of
    /// functions from `functions` (the meta-training split for training, meta-validation for
    /// held-out losses).
    public static func sampleBatch(_ configuration: TabularPretrainingConfiguration, model: TabularTransformer,
                                   functions: GaussianProcessFunctionSampler.Split = .metaTraining,
                                   using generator: inout RandomGenerator) -> Batch {
        let (rows, trainCount) = batchShape(configuration, using: &generator)
        let tables = (0..<configuration.batchSize).map { _ in
            sampleTable(configuration, rows: rows, trainCount: trainCount, functions: functions, using: &generator)
        }
        return assemble(tables, rows: rows, trainCount: trainCount, configuration: configuration, model: model)
    }

    /// This rank's share of a data-parallel step's batch (``ExampleStreams``): the shared row
    /// count and split from `streams.shared`, each table from its own generator.
    public static func sampleShard(_ configuration: TabularPretrainingConfiguration, model: TabularTransformer,
                                   streams: ExampleStreams) -> Batch {
        var shared = streams.shared
        let (rows, trainCount) = batchShape(configuration, using: &shared)
        let tables = streams.examples.map { generator in
            var generator = generator
            return sampleTable(configuration, rows: rows, trainCount: trainCount, functions: .metaTraining, using: &generator)
        }
        return assemble(tables, rows: rows, trainCount: trainCount, configuration: configuration, model: model)
    }

    /// One table of the configuration's prior: sets of points of a function from `functions` with
    /// a ``TabularPretrainingConfiguration/functionPrior``, else a ``TabularPrior`` table.
    private static func sampleTable(_ c: TabularPretrainingConfiguration, rows: Int, trainCount: Int,
                                    functions: GaussianProcessFunctionSampler.Split, using generator: inout RandomGenerator) -> TabularSample {
        c.functionPrior?.sample(rowCount: rows, trainCount: trainCount, split: functions, using: &generator)
            ?? c.prior.sample(rowCount: rows, trainCount: trainCount, using: &generator)
    }

    /// One table with a batch's row count and split, both drawn from `generator`.
    static func sampleTable(_ c: TabularPretrainingConfiguration, using generator: inout RandomGenerator) -> TabularSample {
        let (rows, trainCount) = batchShape(c, using: &generator)
        return sampleTable(c, rows: rows, trainCount: trainCount, functions: .metaTraining, using: &generator)
    }

    /// The row count (log-uniform) and training rows a batch shares.
    private static func batchShape(_ c: TabularPretrainingConfiguration, using generator: inout RandomGenerator) -> (rows: Int, trainCount: Int) {
        let rows = Int(exp(log(Double(c.minimumRows)) + generator.nextDouble() * (log(Double(c.maximumRows + 1)) - log(Double(c.minimumRows)))))
        let fraction = c.minimumTrainFraction + generator.nextDouble() * (c.maximumTrainFraction - c.minimumTrainFraction)
        return (rows, Swift.min(Swift.max(1, Int(Double(rows) * fraction)), rows - 1))
    }

    /// Tables padded into one batch: features `[tables, rows, F]`, targets table after table.
    private static func assemble(_ tables: [TabularSample], rows: Int, trainCount: Int, configuration c: TabularPretrainingConfiguration,
                                 model: TabularTransformer) -> Batch {
        var features: [Float] = [], targets: [Float] = [], classCounts: [Int] = []
        for sample in tables {
            features += model.paddedFeatures(sample.features, rows: rows, featureCount: sample.featureCount)
            targets += sample.targets
            classCounts.append(sample.classCount)
        }
        return (Tensor(shape: [tables.count, rows, c.model.maximumFeatures], scalars: features), targets, trainCount, classCounts,
                tables.map(\.featureCount))
    }

    /// One optimiser step on a fresh batch of prior tables; returns the loss.
    @discardableResult
    public func trainStep() throws -> TrainingStepResult {
        let batch = try state.exampleStreams(batchSize: configuration.batchSize).map { Self.sampleShard(configuration, model: model, streams: $0) }
            ?? Self.sampleBatch(configuration, model: model, using: &state.generator)
        let loss = try state.update {
            let loss = model.loss(features: batch.features, targets: batch.targets, trainCount: batch.trainCount, classCounts: batch.classCounts, featureCounts: batch.featureCounts)
            try loss.checkFinite("pre-training loss at step \(state.step + 1)")
            loss.backward()
            return loss.scalar
        }
        return TrainingStepResult(loss: loss)
    }

    /// The mean loss on 16 fixed held-out prior batches (functions of the meta-validation split
    /// with a function prior).
    public func evaluate() -> Float {
        // The run's own model is built from its configuration, so it always fits it.
        do { return try Self.heldOutLoss(of: model, configuration: configuration) } catch { preconditionFailure("TabularPretrainer: \(error)") }
    }

    /// The mean loss of `model` on the 16 fixed held-out batches of `configuration`'s prior (its
    /// seed + 99; functions of the meta-validation split with a function prior): what
    /// ``evaluate()`` reports during a run, for any model on any prior of its kind, so that
    /// models can be compared on one prior, or one model on several.
    ///
    /// - Throws: ``TabularError/invalidModel(_:)`` when the model's kind or input width is not the
    ///   configuration's, or the prior draws more classes than the model predicts.
    public static func heldOutLoss(of model: TabularTransformer, configuration: TabularPretrainingConfiguration) throws -> Float {
        let sizes = model.configuration
        guard sizes.kind == configuration.prior.kind else {
            throw TabularError.invalidModel("the model is a \(sizes.kind.rawValue) model; the prior draws \(configuration.prior.kind.rawValue) tables")
        }
        guard sizes.maximumFeatures == configuration.model.maximumFeatures else {
            throw TabularError.invalidModel("the model reads \(sizes.maximumFeatures) features; the prior's model section has \(configuration.model.maximumFeatures)")
        }
        guard sizes.kind == .regression || configuration.prior.maximumClasses <= sizes.maximumClasses else {
            throw TabularError.invalidModel("the model predicts at most \(sizes.maximumClasses) classes; the prior draws up to \(configuration.prior.maximumClasses)")
        }
        var evaluation = RandomGenerator(seed: configuration.seed &+ 99)
        return withoutGradients {
            var total: Float = 0
            for _ in 0..<16 {
                let batch = sampleBatch(configuration, model: model, functions: .metaValidation, using: &evaluation)
                total += model.loss(features: batch.features, targets: batch.targets, trainCount: batch.trainCount, classCounts: batch.classCounts,
                                    featureCounts: batch.featureCounts).scalar
            }
            return total / 16
        }
    }

    /// ``evaluate()`` as metrics: `evaluationLoss`.
    public func evaluationMetrics() -> [String: Double] { ["evaluationLoss": Double(evaluate())] }

    /// The checkpoint: weights, optimizer state, generator, step and the recipe's metadata
    /// (written atomically by ``DataParallelTrainingRun/saveCheckpoint()``).
    public func makeCheckpoint() throws -> SafeTensors {
        let metadata = try Self.metadata(configuration: configuration, step: state.step, seconds: state.trainingSeconds)
        return try state.checkpoint(try model.checkpoint(metadata: [:]), format: metadata["mesa.format"]!, configuration: configuration,
                                    extra: metadata)
    }

    /// The metadata naming the recipe: format, configuration, step and training time.
    static func metadata(configuration: TabularPretrainingConfiguration, step: Int, seconds: Double) throws -> [String: String] {
        [
            "mesa.format": "tabular-pretraining-1",
            "mesa.recipe": configuration.functionPrior != nil
                ? "mesa pretrain (GaussianProcessFunctionPrior: points of Gaussian-process functions, Matérn-5/2 and RBF, for Bayesian optimisation)"
                : "mesa pretrain (TabularPrior: random-MLP structural causal models\(configuration.model.kind == .regression ? " and Gaussian-process functions" : ""))",
            "mesa.configuration": try RunFolder.json(configuration),
            "mesa.step": String(step),
            "mesa.trainingSeconds": String(seconds),
            "architecture": "TabularTransformer \(configuration.model.kind.rawValue) d\(configuration.model.modelSize) L\(configuration.model.layerCount)"
                + (configuration.model.cells.map { " + cells d\($0.size) k\($0.inducingPoints) r\($0.rowLayers)" } ?? ""),
        ]
    }
}
