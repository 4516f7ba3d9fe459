import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// Meta-trains a ``NAPPolicy`` by proximal policy optimisation on functions from the
/// Gaussian-process prior, with NAP's auxiliary neural-process loss (Maraval et al. 2023), in
/// the shared resumable training loop (``TrainingRun``).
///
/// **An iteration** collects ``NAPConfiguration/episodesPerIteration`` episodes in lockstep, each
/// on a fresh meta-training function (``GaussianProcessFunctionSampler/function(index:dimension:split:)``,
/// dimension uniform in the prior's range) from a Latin-hypercube design of `n₀` points (`n₀`
/// uniform in ``NAPConfiguration/initialPoints``, the same for the iteration's episodes), for
/// ``NAPConfiguration/horizon`` decisions. At each decision the policy sees the history and `N`
/// fresh candidates (uniform points plus perturbations of the best points, as the optimiser
/// draws them at use time) and samples the next point from `π(j) = softmax_j α(x̃ⱼ)`.
///
/// **Reward**: the log-regret improvement `r_t = log₁₀ R_t − log₁₀ R_{t+1}`, `R` the simple
/// regret (floored at ``NAPConfiguration/regretFloor``) before and after decision `t`. Undiscounted
/// (`γ = 1`), the return from decision `t` is `G_t = log₁₀ R_t − log₁₀ R_H`: the episode
/// optimises the final log regret, the quantity the benchmark reports, and is invariant to the
/// function's scale. (MetaBO and NAP use a per-step `−log R` reward; with a value baseline the two
/// differ by a state-dependent offset the baseline absorbs, up to how the steps are weighted.)
///
/// **Loss**, averaged over the episodes and decisions (the acquisition's share of the gradient
/// reaching the trunk scaled by ``NAPConfiguration/trunkGradientScale``), then ``NAPConfiguration/epochs`` optimiser steps on
/// the same batch (PPO):
///
///     L = −L^CLIP + c_v (V(s_t) − G_t)² − c_e H(π(·|s_t)) + c_np CE_np
///
/// with advantages `Â_t = G_t − V_old(s_t)` standardised over the batch
/// (``ProximalPolicyObjective``), `H` the policy's entropy over the candidates, and `CE_np` the
/// cross-entropy of the bins of the candidates' true standardised values under the
/// neural-process head (the negative log-likelihood of a bar distribution up to its bin width),
/// which keeps the head a calibrated predictor while the acquisition is trained for regret.
///
/// **Evaluation** (every ``NAPConfiguration/evaluationInterval`` iterations): on
/// ``NAPConfiguration/evaluationFunctions`` fixed meta-validation functions, episodes of the
/// largest initial design and the horizon with the greedy policy (argmax), their median final
/// log10 regret, beside the same with the neural-process head's expected improvement alone (the
/// trunk as a PFN surrogate on the same candidates).
public final class NAPTrainer: TrainingRun {
    /// The configuration.
    public let configuration: NAPConfiguration
    /// The policy being trained.
    public let policy: NAPPolicy
    /// Steps, generator, optimizer and checkpoint bookkeeping.
    public let state: TrainingState
    /// When to log, evaluate and checkpoint.
    public var intervals: TrainingIntervals { configuration.intervals }
    /// The metadata of the checkpoint the trunk came from.
    public let trunkMetadata: [String: String]
    private lazy var evaluationFunctions: [BenchmarkFunction] = {
        let dimensions = Array(configuration.functionPrior.dimensions)
        return configuration.functionPrior.sampler.heldOutFunctions(count: configuration.evaluationFunctions, dimensions: dimensions, split: .metaValidation)
    }()

    /// Starts a run in `directory` (an existing checkpoint there is an error).
    public convenience init(configuration: NAPConfiguration, directory: URL) throws {
        let lock = try RunFolder.startNewRun(in: directory, configuration: try configuration.jsonData())
        try self.init(configuration: configuration, directory: directory, step: 0, seconds: 0, lock: lock)
    }

    /// Continues the run in `directory` from its last checkpoint (`extendingTo`: optimiser steps).
    public convenience init(resumingFrom directory: URL, extendingTo steps: Int? = nil) throws {
        let point: ResumePoint<NAPConfiguration> = try RunFolder.resumePoint(in: directory, extendingTo: steps)
        try self.init(configuration: point.recipe, directory: directory, step: point.step, seconds: point.seconds, lock: point.lock)
        try policy.restore(from: point.checkpoint, strict: false)
        try RunFolder.completeResume(point, state: state)
    }

    private init(configuration: NAPConfiguration, directory: URL, step: Int, seconds: Double, lock: RunFolderLock?) throws {
        self.configuration = configuration
        let trunkURL = configuration.trunkModel.map { URL(fileURLWithPath: $0) }
        let surrogate = try PriorFittedSurrogate(contentsOf: trunkURL)
        guard configuration.functionPrior.dimensions.upperBound <= surrogate.maximumDimension else {
            throw OptimizationError.invalidConfiguration("functionPrior.dimensions reach \(configuration.functionPrior.dimensions.upperBound), but the trunk's PFN surrogate reads at most \(surrogate.maximumDimension) coordinates")
        }
        trunkMetadata = surrogate.metadata
        var initialization = RandomGenerator(seed: configuration.seed)
        policy = NAPPolicy(trunk: surrogate.model, headWidth: configuration.headWidth,
                           maximumDimension: configuration.functionPrior.dimensions.upperBound,
                           expectedImprovementWeight: configuration.initialExpectedImprovementWeight, using: &initialization)
        policy.trunkGradientScale = configuration.trunkGradientScale
        state = TrainingState(directory: directory, optimizer: configuration.optimizer, parameters: policy.parameters,
                              totalSteps: configuration.totalSteps, generator: initialization.split(), step: step, trainingSeconds: seconds, lock: lock)
    }

    /// The candidate sampler of a decision.
    var candidateSampler: AcquisitionOptimizer {
        AcquisitionOptimizer(rawSampleCount: configuration.uniformCandidates, localSampleCount: configuration.localCandidates)
    }

    /// What one iteration collected.
    struct Rollout {
        /// `decisions[t][b]`: decision `t` of episode `b`.
        var decisions: [[NAPDecision]] = []
        /// The chosen candidates' indices, `[t][b]`.
        var actions: [[Int]] = []
        /// Their log-probabilities under the collecting policy, `[t][b]`.
        var logProbabilities: [[Float]] = []
        /// The value baseline at collection, `[t][b]`.
        var values: [[Float]] = []
        /// The bins of every candidate's true standardised value, `[t][b·N + j]`.
        var bins: [[Int]] = []
        /// `log₁₀ R` after the design and after each decision, `[b][0...H]`.
        var logRegrets: [[Double]] = []
    }

    /// Collects one iteration's episodes with the stochastic policy.
    func collect(using generator: inout RandomGenerator) -> Rollout {
        let c = configuration
        let sampler = c.functionPrior.sampler
        let initial = c.initialPoints.lowerBound + generator.nextIndex(below: c.initialPoints.count)
        var episodes = (0..<c.episodesPerIteration).map { _ -> NAPEpisode in
            let d = c.functionPrior.dimensions.lowerBound + generator.nextIndex(below: c.functionPrior.dimensions.count)
            let function = sampler.function(index: Int(generator.next() >> 25), dimension: d, split: .metaTraining)
            return NAPEpisode(function: function, design: LatinHypercube.sample(count: initial, dimension: d, using: &generator))
        }
        var rollout = Rollout()
        var logRegrets = episodes.map { [log10($0.regret(floor: c.regretFloor))] }
        for t in 0..<c.horizon {
            let decisions = episodes.map { $0.decision(sampler: candidateSampler, remainingFraction: Float(c.horizon - t) / Float(c.horizon), using: &generator) }
            let output = withoutGradients { policy(decisions) }
            let logProbabilities = output.acquisition.logSoftmax(alongAxis: 1).scalars
            let count = decisions[0].candidates.count
            var actions: [Int] = [], chosen: [Float] = [], bins: [Int] = []
            for (b, decision) in decisions.enumerated() {
                let row = logProbabilities[(b * count)..<((b + 1) * count)]
                var u = generator.nextDouble(), action = count - 1
                for (j, logProbability) in zip(0..., row) {
                    u -= exp(Double(logProbability))
                    if u < 0 { action = j; break }
                }
                actions.append(action)
                chosen.append(row[row.startIndex + action])
                let (mean, scale) = GaussianProcessFunctionPrior.standardization(of: episodes[b].values)
                bins += decision.candidates.map { policy.trunk.bin(of: Float((episodes[b].function.value(atUnitPoint: $0) - mean) / scale)) }
                episodes[b].evaluate(decision.candidates[action])
                logRegrets[b].append(log10(episodes[b].regret(floor: c.regretFloor)))
            }
            rollout.decisions.append(decisions)
            rollout.actions.append(actions)
            rollout.logProbabilities.append(chosen)
            rollout.values.append(output.value.scalars)
            rollout.bins.append(bins)
        }
        rollout.logRegrets = logRegrets
        return rollout
    }

    /// The loss terms of one decision step of a rollout (differentiable), each a mean over the
    /// episodes: PPO's clipped objective, the value loss, the policy's entropy and the
    /// neural-process cross-entropy over the candidates.
    func lossTerms(_ decisions: [NAPDecision], actions: [Int], oldLogProbabilities: [Float], advantages: [Float], returns: [Float],
                   bins: [Int]) -> (objective: Tensor, value: Tensor, entropy: Tensor, neuralProcess: Tensor) {
        let output = policy(decisions)
        let batch = decisions.count, count = decisions[0].candidates.count, binCount = policy.trunk.configuration.binCount
        let logProbabilities = output.acquisition.logSoftmax(alongAxis: 1)                                 // [B, N]
        let taken = logProbabilities.gather(alongAxis: 1, indices: Tensor(shape: [batch, 1], scalars: actions.map(Float.init)))   // [B, 1]
        let objective = ProximalPolicyObjective.clipped(logProbabilities: taken, oldLogProbabilities: oldLogProbabilities,
                                                        advantages: advantages, clipRange: configuration.clipRange)
        let entropy = -(logProbabilities.exp() * logProbabilities).sum(alongAxis: 1).mean()
        let value = Tensor.meanSquaredError(output.value, Tensor(shape: [batch, 1], scalars: returns))
        let neuralProcess = Tensor.crossEntropy(logits: output.binLogits.reshaped(to: [batch * count, binCount]), labels: bins)
        return (objective, value, entropy, neuralProcess)
    }

    /// The returns `G_t = log₁₀ R_t − log₁₀ R_H` of a rollout, `[t][b]`.
    static func returns(logRegrets: [[Double]]) -> [[Float]] {
        let horizon = logRegrets[0].count - 1
        return (0..<horizon).map { t in logRegrets.map { Float($0[t] - $0[horizon]) } }
    }

    /// One PPO iteration: collect the episodes, then ``NAPConfiguration/epochs`` optimiser steps
    /// on them (so the step count advances by `epochs`).
    @discardableResult
    public func trainStep() throws -> TrainingStepResult {
        let c = configuration
        let rollout = collect(using: &state.generator)
        let returns = Self.returns(logRegrets: rollout.logRegrets)
        var advantages = zip(returns, rollout.values).map { zip($0, $1).map { $0 - $1 } }
        let flat = advantages.flatMap { $0 }
        let mean = flat.reduce(0, +) / Float(flat.count)
        let deviation = (flat.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(flat.count)).squareRoot()
        advantages = advantages.map { $0.map { ($0 - mean) / (deviation + 1e-6) } }
        var totals = (objective: 0.0, value: 0.0, entropy: 0.0, neuralProcess: 0.0)
        var loss: Float = 0
        for _ in 0..<c.epochs {
            totals = (0, 0, 0, 0)
            loss = try state.update {
                var total: Float = 0
                for t in 0..<c.horizon {
                    let terms = lossTerms(rollout.decisions[t], actions: rollout.actions[t], oldLogProbabilities: rollout.logProbabilities[t],
                                          advantages: advantages[t], returns: returns[t], bins: rollout.bins[t])
                    let step = (c.valueWeight * terms.value - terms.objective - c.entropyWeight * terms.entropy
                                + c.neuralProcessWeight * terms.neuralProcess) / Float(c.horizon)
                    try step.checkFinite("NAP loss at step \(state.step + 1)")
                    step.backward()
                    total += step.scalar
                    totals.objective += Double(terms.objective.scalar) / Double(c.horizon)
                    totals.value += Double(terms.value.scalar) / Double(c.horizon)
                    totals.entropy += Double(terms.entropy.scalar) / Double(c.horizon)
                    totals.neuralProcess += Double(terms.neuralProcess.scalar) / Double(c.horizon)
                }
                return total
            }
        }
        let finals = rollout.logRegrets.map { $0.last! }
        return TrainingStepResult(loss: loss, metrics: [
            "return": Double(returns[0].reduce(0, +)) / Double(returns[0].count),
            "finalLogRegret": finals.reduce(0, +) / Double(finals.count),
            "clippedObjective": totals.objective, "valueLoss": totals.value, "entropy": totals.entropy,
            "neuralProcessLoss": totals.neuralProcess,
            "expectedImprovementWeight": Double(policy.expectedImprovementWeight.value.scalars[0]),
        ])
    }

    /// The final log10 regret of a greedy episode on `function`: the policy's argmax, or with
    /// `expectedImprovementOnly` the neural-process head's expected improvement alone.
    public func greedyEpisode(on function: BenchmarkFunction, initialCount: Int, expectedImprovementOnly: Bool, seed: UInt64) -> Double {
        var generator = RandomGenerator(seed: seed)
        var episode = NAPEpisode(function: function, design: LatinHypercube.sample(count: initialCount, dimension: function.dimension, using: &generator))
        for t in 0..<configuration.horizon {
            let decision = episode.decision(sampler: candidateSampler, remainingFraction: Float(configuration.horizon - t) / Float(configuration.horizon),
                                            using: &generator)
            let output = withoutGradients { policy([decision]) }
            let scores = (expectedImprovementOnly ? output.logExpectedImprovement : output.acquisition).scalars
            episode.evaluate(decision.candidates[scores.indices.max { scores[$0] < scores[$1] }!])
        }
        return log10(episode.regret(floor: configuration.regretFloor))
    }

    /// Greedy episodes on the fixed meta-validation functions: the median final log10 regret of the
    /// policy (`evaluationLogRegret`) and of the neural-process head's expected improvement alone
    /// (`evaluationLogRegretEI`).
    public func evaluationMetrics() -> [String: Double] {
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted(), n = sorted.count
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        }
        let initial = configuration.initialPoints.upperBound
        let policyRegrets = evaluationFunctions.enumerated().map { greedyEpisode(on: $1, initialCount: initial, expectedImprovementOnly: false, seed: UInt64($0)) }
        let eiRegrets = evaluationFunctions.enumerated().map { greedyEpisode(on: $1, initialCount: initial, expectedImprovementOnly: true, seed: UInt64($0)) }
        return ["evaluationLogRegret": median(policyRegrets), "evaluationLogRegretEI": median(eiRegrets),
                "evaluationMeanLogRegret": policyRegrets.reduce(0, +) / Double(policyRegrets.count),
                "evaluationMeanLogRegretEI": eiRegrets.reduce(0, +) / Double(eiRegrets.count)]
    }

    /// The policy's own metadata: recipe and provenance.
    func metadata() -> [String: String] {
        ["mesa.recipe": "mesa train-nap: PPO (clipped objective, value baseline, entropy bonus) with NAP's neural-process loss on GP-prior functions in \(configuration.functionPrior.dimensions.lowerBound)–\(configuration.functionPrior.dimensions.upperBound) dimensions; trunk initialised from the PFN surrogate",
         "mesa.trunkSource": configuration.trunkModel ?? "Sources/MesaMeta/Models/pfn-surrogate.safetensors",
         "mesa.trunkSteps": trunkMetadata["mesa.step"] ?? "unknown",
         "architecture": "NAPPolicy: TabularTransformer trunk (width \(policy.architecture.trunk.modelSize), \(policy.architecture.trunk.layerCount) layers) + acquisition and value heads (\(configuration.headWidth) hidden)"]
    }

    /// Writes the checkpoint atomically (also a policy file ``NAPPolicy/load(contentsOf:)`` reads).
    public func saveCheckpoint() throws {
        try state.writeCheckpoint(try policy.checkpoint(extraMetadata: [:]), format: NAPPolicy.format, configuration: configuration,
                                  extra: metadata().merging(["mesa.napArchitecture": try RunFolder.json(policy.architecture)]) { $1 })
    }

    /// Writes the policy alone (no optimizer state) to `url`: the file to ship, with the recipe,
    /// step and training time in its metadata.
    public func export(to url: URL) throws {
        var metadata = metadata()
        metadata["mesa.step"] = String(state.step)
        metadata["mesa.iterations"] = String(state.step / configuration.epochs)
        metadata["mesa.trainingSeconds"] = String(state.trainingSeconds)
        metadata["mesa.configuration"] = try RunFolder.json(configuration)
        try policy.checkpoint(extraMetadata: metadata).write(to: OutputFile(url, contents: "the NAP policy", option: "--export"))
    }
}
