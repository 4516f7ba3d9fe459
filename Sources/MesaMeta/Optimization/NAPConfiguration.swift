import Foundation
import MesaCore

/// A training run of the end-to-end acquisition network (``NAPTrainer``, `mesa train-nap`), as
/// JSON; every field optional with a default, unknown fields an error that lists the valid ones.
///
/// ```json
/// {"iterations": 200, "episodesPerIteration": 4, "horizon": 15, "functionPrior": {"dimensions": [1, 3]}}
/// ```
///
/// One iteration collects ``episodesPerIteration`` episodes, then makes ``epochs`` optimiser
/// steps on them: the training loop's steps are optimiser steps, `iterations × epochs` in all,
/// and its intervals are counted in iterations here.
public struct NAPConfiguration: Codable, Sendable, Equatable {
    /// The run's name (its folder under `runs/` unless `--output` is given).
    public var name = "nap"
    /// PPO iterations (collect, then ``epochs`` optimiser steps).
    public var iterations = 200
    /// Optimiser steps per iteration, each over all of its episodes (PPO's epochs).
    public var epochs = 2
    /// Episodes per iteration, run in lockstep (one function each).
    public var episodesPerIteration = 4
    /// Suggestions per episode after the initial design.
    public var horizon = 15
    /// The initial design's size (Latin hypercube), drawn uniformly per iteration.
    public var initialPoints = 4...10
    /// Uniform (Latin-hypercube) candidates per decision.
    public var uniformCandidates = 96
    /// Candidates per decision drawn around the best 5 points (``AcquisitionOptimizer/rawSamples(dimension:incumbents:using:)``).
    public var localCandidates = 32
    /// The functions episodes are drawn from (meta-training split; dimensions 1–3 by default).
    public var functionPrior: GaussianProcessFunctionPrior = {
        var prior = GaussianProcessFunctionPrior()
        prior.dimensions = 1...3
        return prior
    }()
    /// The PFN surrogate whose network initialises the trunk; `nil`: the shipped one.
    public var trunkModel: String?
    /// Hidden units of the acquisition and value heads.
    public var headWidth = 64
    /// The initial weight `w` of the neural-process head's log expected improvement in the
    /// acquisition (``NAPPolicy``): the inverse temperature of the training policy
    /// `softmax(α)` at the start. With `w = 1` the policy samples in proportion to expected
    /// improvement, far from the greedy choice used at run time; a larger `w` starts it near that choice.
    public var initialExpectedImprovementWeight: Float = 1
    /// `κ`: the share of the acquisition's (PPO's) gradient that reaches the trunk and the
    /// neural-process head (``NAPPolicy/trunkGradientScale``; 1: fully end to end, as the paper).
    public var trunkGradientScale: Float = 1
    /// PPO's clip range `ε`.
    public var clipRange: Float = 0.2
    /// The weight of the value loss.
    public var valueWeight: Float = 0.5
    /// The weight of the entropy bonus.
    public var entropyWeight: Float = 0.01
    /// The weight of the neural-process loss (cross-entropy of the candidates' standardised values' bins).
    public var neuralProcessWeight: Float = 1
    /// Regrets below this count as this (the rewards' floor), in the objective's units.
    public var regretFloor = 1e-6
    /// Meta-validation functions of the periodic evaluation (dimensions cycling through the prior's).
    public var evaluationFunctions = 8
    /// The optimizer (default: Adam at 10⁻⁴, cosine decay, gradients clipped to norm 1).
    public var optimizer = OptimizerConfiguration(algorithm: .adam, learningRate: 1e-4, decay: .cosine, gradientClipNorm: 1)
    /// The seed.
    public var seed: UInt64 = 0
    /// A checkpoint every this many iterations.
    public var checkpointInterval = 10
    /// An evaluation every this many iterations.
    public var evaluationInterval = 10
    /// A metrics line every this many iterations.
    public var logInterval = 1

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, iterations, epochs, episodesPerIteration, horizon, initialPoints, uniformCandidates, localCandidates, functionPrior
        case trunkModel, headWidth, initialExpectedImprovementWeight, trunkGradientScale, clipRange, valueWeight, entropyWeight, neuralProcessWeight, regretFloor, evaluationFunctions
        case optimizer, seed, checkpointInterval, evaluationInterval, logInterval
    }

    /// Decodes with defaults; unknown fields are an error listing the valid ones.
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "NAP configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self), d = NAPConfiguration()
        name = try c.value(.name, default: d.name)
        iterations = try c.value(.iterations, default: d.iterations)
        epochs = try c.value(.epochs, default: d.epochs)
        episodesPerIteration = try c.value(.episodesPerIteration, default: d.episodesPerIteration)
        horizon = try c.value(.horizon, default: d.horizon)
        initialPoints = try c.value(.initialPoints, default: d.initialPoints)
        uniformCandidates = try c.value(.uniformCandidates, default: d.uniformCandidates)
        localCandidates = try c.value(.localCandidates, default: d.localCandidates)
        functionPrior = try c.value(.functionPrior, default: d.functionPrior)
        trunkModel = try c.decodeIfPresent(String.self, forKey: .trunkModel)
        headWidth = try c.value(.headWidth, default: d.headWidth)
        initialExpectedImprovementWeight = try c.value(.initialExpectedImprovementWeight, default: d.initialExpectedImprovementWeight)
        trunkGradientScale = try c.value(.trunkGradientScale, default: d.trunkGradientScale)
        clipRange = try c.value(.clipRange, default: d.clipRange)
        valueWeight = try c.value(.valueWeight, default: d.valueWeight)
        entropyWeight = try c.value(.entropyWeight, default: d.entropyWeight)
        neuralProcessWeight = try c.value(.neuralProcessWeight, default: d.neuralProcessWeight)
        regretFloor = try c.value(.regretFloor, default: d.regretFloor)
        evaluationFunctions = try c.value(.evaluationFunctions, default: d.evaluationFunctions)
        optimizer = try OptimizerConfiguration.decode(from: c, forKey: .optimizer, defaults: d.optimizer)
        seed = try c.value(.seed, default: d.seed)
        checkpointInterval = try c.value(.checkpointInterval, default: d.checkpointInterval)
        evaluationInterval = try c.value(.evaluationInterval, default: d.evaluationInterval)
        logInterval = try c.value(.logInterval, default: d.logInterval)
    }

    /// Decodes and validates; `source` names the file in errors.
    ///
    /// - Throws: ``OptimizationError/invalidConfiguration(_:)``.
    public init(json: Data, source: String) throws {
        do { self = try JSONDecoder().decode(NAPConfiguration.self, from: json) } catch {
            throw OptimizationError.invalidConfiguration("\(source): \(error)")
        }
        if let problem { throw OptimizationError.invalidConfiguration("\(source): \(problem)") }
    }

    /// Why this configuration cannot train, or `nil`.
    public var problem: String? {
        if let problem = functionPrior.problem { return problem }
        if let bad = [("iterations", iterations), ("epochs", epochs), ("episodesPerIteration", episodesPerIteration), ("horizon", horizon),
                      ("uniformCandidates", uniformCandidates), ("headWidth", headWidth), ("evaluationFunctions", evaluationFunctions),
                      ("checkpointInterval", checkpointInterval), ("evaluationInterval", evaluationInterval), ("logInterval", logInterval)]
            .first(where: { $0.1 < 1 }) {
            return "\(bad.0) must be at least 1, got \(bad.1)"
        }
        if initialPoints.lowerBound < 1 { return "initialPoints must start at 1 or more, got \(initialPoints)" }
        if localCandidates < 0 { return "localCandidates must be 0 or more, got \(localCandidates)" }
        if !(initialExpectedImprovementWeight > 0) { return "initialExpectedImprovementWeight must be positive, got \(initialExpectedImprovementWeight)" }
        if !(trunkGradientScale >= 0 && trunkGradientScale <= 1) { return "trunkGradientScale must be in [0, 1], got \(trunkGradientScale)" }
        if !(clipRange > 0 && clipRange < 1) { return "clipRange must be in (0, 1), got \(clipRange)" }
        if !(regretFloor > 0) { return "regretFloor must be positive, got \(regretFloor)" }
        if [valueWeight, entropyWeight, neuralProcessWeight].contains(where: { !($0 >= 0) }) {
            return "valueWeight, entropyWeight and neuralProcessWeight must be 0 or more"
        }
        do { try optimizer.validate(in: "optimizer") } catch { return "\(error)" }
        return nil
    }
}

extension NAPConfiguration: TrainingRecipe {
    /// Optimiser steps: `iterations × epochs` (extending a run rounds up to whole iterations).
    public var totalSteps: Int {
        get { iterations * epochs }
        set { iterations = (newValue + epochs - 1) / epochs }
    }
    /// The intervals in optimiser steps (the configuration counts iterations).
    public var intervals: TrainingIntervals {
        TrainingIntervals(log: logInterval * epochs, evaluation: evaluationInterval * epochs, checkpoint: checkpointInterval * epochs)
    }
}
