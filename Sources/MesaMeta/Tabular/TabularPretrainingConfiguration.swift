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
    /// When set, sets of points of Gaussian-process functions replace the tables of ``prior``
    /// (regression only): the pre-training of the PFNs4BO surrogate of Bayesian optimisation
    /// (``PriorFittedSurrogate``). `nil` (the default): tables.
    public var functionPrior: GaussianProcessFunctionPrior?
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
    /// The optimizer and its schedule (default: Adam peaking at 3·10⁻⁴ after 500 warm-up steps,
    /// cosine decay to a tenth, gradients clipped to norm 1). Files written before this section
    /// existed (the shipped models' metadata among them) give `learningRate`, `warmUpSteps` and
    /// `gradientClipNorm` flat instead, and still decode.
    public var optimizer = Self.defaultOptimizer
    /// The seed.
    public var seed: UInt64 = 0
    /// A tabular model file (a shipped model or an export of `mesa pretrain`) whose weights start
    /// the run instead of a random initialisation: continued pre-training, e.g. on a changed
    /// prior. Its model sizes must equal ``model``'s. `nil`: random initialisation.
    public var initialModel: String?
    /// A checkpoint every this many steps.
    public var checkpointInterval = 500
    /// A held-out evaluation every this many steps.
    public var evaluationInterval = 1000
    /// A metrics line every this many steps.
    public var logInterval = 20

    /// The default optimizer of tabular pre-training.
    public static let defaultOptimizer = OptimizerConfiguration(algorithm: .adam, learningRate: 3e-4, decay: .cosine, warmUpSteps: 500,
                                                                gradientClipNorm: 1)

    /// The defaults for `kind`: the run's name, the model, its prior and the table sizes.
    public init(kind: TabularTaskKind = .classification) {
        guard kind == .regression else { return }
        name = "tabular-regressor"
        model = TabularModelConfiguration(kind: .regression)
        prior = TabularPrior(kind: .regression)
        maximumRows = 300
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, model, prior, functionPrior, steps, batchSize, minimumRows, maximumRows, minimumTrainFraction, maximumTrainFraction
        case optimizer, seed, initialModel, checkpointInterval, evaluationInterval, logInterval
    }

    /// The optimizer fields of files written before the `optimizer` section.
    enum LegacyKeys: String, CodingKey, CaseIterable { case learningRate, warmUpSteps, gradientClipNorm }

    /// Decodes with defaults; unknown fields are an error.
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(known: CodingKeys.allCases.map(\.stringValue) + LegacyKeys.allCases.map(\.stringValue),
                                      listing: CodingKeys.allCases.map(\.stringValue), in: "pre-training configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.value(.model, default: TabularModelConfiguration())
        let d = TabularPretrainingConfiguration(kind: model.kind)
        name = try c.value(.name, default: d.name)
        prior = try c.value(.prior, default: d.prior)
        functionPrior = try c.decodeIfPresent(GaussianProcessFunctionPrior.self, forKey: .functionPrior)
        steps = try c.value(.steps, default: d.steps)
        batchSize = try c.value(.batchSize, default: d.batchSize)
        minimumRows = try c.value(.minimumRows, default: d.minimumRows)
        maximumRows = try c.value(.maximumRows, default: d.maximumRows)
        minimumTrainFraction = try c.value(.minimumTrainFraction, default: d.minimumTrainFraction)
        maximumTrainFraction = try c.value(.maximumTrainFraction, default: d.maximumTrainFraction)
        let legacy = try decoder.container(keyedBy: LegacyKeys.self)
        if legacy.allKeys.isEmpty {
            optimizer = try OptimizerConfiguration.decode(from: c, forKey: .optimizer, defaults: d.optimizer)
        } else {
            guard !c.contains(.optimizer) else {
                throw TabularError.invalidModel("give the optimizer either as a section (\"optimizer\": {…}) or, as older files do, as learningRate/warmUpSteps/gradientClipNorm, not both")
            }
            optimizer = d.optimizer
            optimizer.learningRate = try legacy.value(.learningRate, default: optimizer.learningRate)
            optimizer.warmUpSteps = try legacy.value(.warmUpSteps, default: optimizer.warmUpSteps)
            optimizer.gradientClipNorm = try legacy.value(.gradientClipNorm, default: Float(1))
        }
        seed = try c.value(.seed, default: d.seed)
        initialModel = try c.decodeIfPresent(String.self, forKey: .initialModel)
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
        if let problem = model.cells?.problem { throw TabularError.invalidModel("\(source): \(problem)") }
        if let problem = prior.problem { throw TabularError.invalidModel("\(source): \(problem)") }
        do { try optimizer.validate(in: "optimizer") } catch { throw TabularError.invalidModel("\(source): \(error)") }
        if let functionPrior {
            if let problem = functionPrior.problem { throw TabularError.invalidModel("\(source): \(problem)") }
            guard model.kind == .regression else {
                throw TabularError.invalidModel("\(source): a functionPrior trains a regression model (it predicts function values); set model.kind to regression")
            }
            guard functionPrior.dimensions.upperBound <= model.maximumFeatures else {
                throw TabularError.invalidModel("\(source): functionPrior.dimensions reach \(functionPrior.dimensions.upperBound), more than model.maximumFeatures (\(model.maximumFeatures))")
            }
        }
    }

}

extension TabularPretrainingConfiguration: TrainingRecipe {
    /// `steps`.
    public var totalSteps: Int {
        get { steps }
        set { steps = newValue }
    }
    /// The log, evaluation and checkpoint intervals.
    public var intervals: TrainingIntervals {
        TrainingIntervals(log: logInterval, evaluation: evaluationInterval, checkpoint: checkpointInterval)
    }
}
