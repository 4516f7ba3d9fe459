import Foundation
import MesaCore

/// A training run of the learned query policy (``QueryPolicyTrainer``), as JSON; every field
/// optional with a default.
public struct QueryPolicyConfiguration: Codable, Sendable, Equatable {
    /// The run's name.
    public var name = "query-policy"
    /// Optimiser steps.
    public var steps = 400
    /// Synthetic tasks per step (evolution: the episodes every perturbed policy plays).
    public var tasksPerStep = 2
    /// Training tasks drawn once and sampled by every step (``QueryPolicyTrainer/trainingTasks()``);
    /// 0: fresh tasks every step.
    public var taskPoolSize = 0
    /// Candidates measured per task: half the most uncertain pool rows (entropy), half random ones.
    public var candidatesPerTask = 16
    /// Rows per task (pool and test together; evolution: per episode's table), drawn log-uniformly.
    public var minimumRows = 60
    /// See ``minimumRows``.
    public var maximumRows = 300
    /// The most labelled rows a task starts from (drawn uniformly from 2 up to this).
    public var maximumLabelled = 40
    /// How a distillation task's labelled rows are drawn (``QueryPolicyLabelledDraw``).
    public var labelledDraw = QueryPolicyLabelledDraw.random
    /// Hidden units per layer of the policy.
    public var width = 32
    /// How the scores are fitted to the targets (regression: better than listwise on the held-out
    /// tasks and the development tables, docs/active-learning.md).
    public var loss = QueryPolicyLoss.regression
    /// How the policy is trained: distillation of the look-ahead (the default) or an evolution
    /// strategy on episodes' AUBC over margin sampling's (``QueryPolicyMethod``).
    public var method = QueryPolicyMethod.distillation
    /// A policy file to start from (e.g. a distilled policy to fine-tune by evolution); `nil`: a
    /// fresh initialisation.
    public var initialPolicy: String?
    /// Evolution: antithetic pairs of perturbed policies per step (each plays every task of the step).
    public var evolutionPairs = 8
    /// Evolution: the perturbations' standard deviation `σ` on every weight.
    public var noiseScale: Float = 0.05
    /// Evolution: an episode's largest budget (its budget is min(this, half the pool), as in the
    /// protocol of `mesa benchmark-active-learning`, whose split and initial set it uses).
    public var episodeBudget = 30
    /// Evolution: held-out episodes of ``QueryPolicyTrainer/evaluationMetrics()``.
    public var evaluationEpisodes = 16
    /// The residual form's scale `s` (``LearnedQueryPolicy/residualScale``): at use the score is
    /// margin sampling's plus `s · tanh` of the network's; `nil`: the network's score alone.
    /// Training is the same either way (the network learns the look-ahead's ranking); the scale
    /// only bounds how far the policy may depart from margin sampling.
    public var residualScale: Float?
    /// The look-ahead form's shortlist size `k` (``QueryPolicyLookAhead``, ``LearnedQueryPolicy/lookAheadShortlist``):
    /// each distillation task's candidates are margin sampling's `k` most uncertain rows, the
    /// inputs add the look-ahead's expected error reduction, and the target is the reduction of
    /// the test half's soft error brought by the candidate's true label; `nil`: the ten-feature
    /// policy and the look-ahead's own expected reduction as its target.
    public var lookAheadShortlist: Int?
    /// The temperature `τ` of the listwise target distribution `softmax(z / τ)`.
    public var temperature: Float = 0.5
    /// Ensemble members of the learner in training (as at use: ``ActiveLearningBenchmark``'s 4).
    public var ensembleSize = 4
    /// The prior the tasks come from (classification).
    public var prior = TabularPrior()
    /// A classification model file (the learner); `nil`: the shipped classifier.
    public var learnerModel: String?
    /// The optimizer (default: Adam at 10⁻³, 20 warm-up steps, cosine decay, gradients clipped to norm 1).
    public var optimizer = OptimizerConfiguration(algorithm: .adam, learningRate: 1e-3, decay: .cosine, warmUpSteps: 20, gradientClipNorm: 1)
    /// The seed.
    public var seed: UInt64 = 0
    /// A checkpoint every this many steps.
    public var checkpointInterval = 50
    /// An evaluation on held-out tasks every this many steps.
    public var evaluationInterval = 100
    /// A metrics line every this many steps.
    public var logInterval = 10

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, method, steps, tasksPerStep, taskPoolSize, candidatesPerTask, minimumRows, maximumRows, maximumLabelled, width, loss, residualScale, lookAheadShortlist, temperature, ensembleSize
        case initialPolicy, evolutionPairs, noiseScale, episodeBudget, evaluationEpisodes, labelledDraw
        case prior, learnerModel
        case optimizer, seed, checkpointInterval, evaluationInterval, logInterval
    }

    /// Decodes with defaults; unknown fields are an error.
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(known: CodingKeys.allCases.map(\.stringValue), listing: CodingKeys.allCases.map(\.stringValue),
                                      in: "query-policy configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self), d = QueryPolicyConfiguration()
        name = try c.value(.name, default: d.name)
        method = try c.value(.method, default: d.method)
        initialPolicy = try c.decodeIfPresent(String.self, forKey: .initialPolicy)
        evolutionPairs = try c.value(.evolutionPairs, default: d.evolutionPairs)
        noiseScale = try c.value(.noiseScale, default: d.noiseScale)
        episodeBudget = try c.value(.episodeBudget, default: d.episodeBudget)
        evaluationEpisodes = try c.value(.evaluationEpisodes, default: d.evaluationEpisodes)
        steps = try c.value(.steps, default: d.steps)
        tasksPerStep = try c.value(.tasksPerStep, default: d.tasksPerStep)
        taskPoolSize = try c.value(.taskPoolSize, default: d.taskPoolSize)
        candidatesPerTask = try c.value(.candidatesPerTask, default: d.candidatesPerTask)
        minimumRows = try c.value(.minimumRows, default: d.minimumRows)
        maximumRows = try c.value(.maximumRows, default: d.maximumRows)
        maximumLabelled = try c.value(.maximumLabelled, default: d.maximumLabelled)
        labelledDraw = try c.value(.labelledDraw, default: d.labelledDraw)
        width = try c.value(.width, default: d.width)
        loss = try c.value(.loss, default: d.loss)
        residualScale = try c.decodeIfPresent(Float.self, forKey: .residualScale)
        lookAheadShortlist = try c.decodeIfPresent(Int.self, forKey: .lookAheadShortlist)
        temperature = try c.value(.temperature, default: d.temperature)
        ensembleSize = try c.value(.ensembleSize, default: d.ensembleSize)
        prior = try c.value(.prior, default: d.prior)
        learnerModel = try c.decodeIfPresent(String.self, forKey: .learnerModel)
        optimizer = try OptimizerConfiguration.decode(from: c, forKey: .optimizer, defaults: d.optimizer)
        seed = try c.value(.seed, default: d.seed)
        checkpointInterval = try c.value(.checkpointInterval, default: d.checkpointInterval)
        evaluationInterval = try c.value(.evaluationInterval, default: d.evaluationInterval)
        logInterval = try c.value(.logInterval, default: d.logInterval)
    }

    /// Decodes and validates.
    public init(json: Data, source: String) throws {
        do { self = try JSONDecoder().decode(QueryPolicyConfiguration.self, from: json) } catch {
            throw TabularError.invalidModel("\(source): \(error)")
        }
        guard steps >= 1, tasksPerStep >= 1, taskPoolSize >= 0, candidatesPerTask >= 2, minimumRows >= 20, maximumRows >= minimumRows, maximumLabelled >= 2, width >= 1,
              temperature > 0, residualScale.map({ $0 > 0 && $0.isFinite }) ?? true, ensembleSize >= 1, prior.kind == .classification else {
            throw TabularError.invalidModel("\(source): need steps, tasksPerStep, width, ensembleSize ≥ 1, taskPoolSize ≥ 0, candidatesPerTask ≥ 2, 20 ≤ minimumRows ≤ maximumRows, maximumLabelled ≥ 2, temperature > 0, residualScale > 0 (or absent) and a classification prior")
        }
        guard lookAheadShortlist.map({ $0 >= 2 }) ?? true, lookAheadShortlist == nil || residualScale == nil else {
            throw TabularError.invalidModel("\(source): lookAheadShortlist must be at least 2, and cannot be combined with residualScale (the look-ahead form already chooses among margin's most uncertain rows only)")
        }
        guard evolutionPairs >= 1, noiseScale > 0, noiseScale.isFinite, episodeBudget >= 1, evaluationEpisodes >= 1 else {
            throw TabularError.invalidModel("\(source): need evolutionPairs, episodeBudget, evaluationEpisodes ≥ 1 and noiseScale > 0")
        }
        do { try optimizer.validate(in: "optimizer") } catch { throw TabularError.invalidModel("\(source): \(error)") }
    }

}

extension QueryPolicyConfiguration: TrainingRecipe {
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
