import Foundation
import MesaCore

/// The learned evolution strategy, LES (Lange et al. 2023, *Discovering Evolution Strategies via
/// Meta-Black-Box Optimization*, ICLR): a diagonal Gaussian search distribution `N(m, diag(σ²))`
/// whose update is computed by a small meta-learned network (``LearnedEvolutionNetwork``) from
/// features that do not depend on the problem's scale or dimension, so that one network serves
/// every problem. Its parameters come from a checkpoint (``LearnedEvolutionNetwork/load(_:)``;
/// by default the one shipped in `Models/learned-es.safetensors`, meta-trained by
/// ``LearnedEvolutionTrainer``).
///
/// Each generation samples `xᵢ = m + σ ⊙ zᵢ`, `zᵢ ~ N(0, I)`, `i = 1…N`. From the values `fᵢ`:
///
/// ```
/// features   Fᵢ = [centred rank of fᵢ (best −½), (fᵢ − mean f)/sd f, 1{fᵢ < best value so far}]
/// weights    w = softmax(softmax(Q Kᵀ/√d_K) V)            (attention over the members; Σ wᵢ = 1)
/// paths      p_c ← (1 − c) p_c + c Σ wᵢ (xᵢ − m),   p_σ ← (1 − c) p_σ + c Σ wᵢ zᵢ,   c ∈ {0.1, 0.5, 0.9}
/// rates      (α_m, α_σ) = MLP(p_c, p_σ, tanh(t/T − 1)) per dimension
/// update     m ← m + α_m ⊙ (Σ wᵢ xᵢ − m)
///            σ ← σ + α_σ ⊙ (√(Σ wᵢ (xᵢ − m)²) − σ)
/// ```
///
/// The weights are a function of the members' fitness features alone, computed by attention that
/// treats members symmetrically, so shuffling the population permutes the weights with it and
/// leaves the update unchanged (tested). Infinite values (failed evaluations, a batch cut at the
/// budget) are replaced by the largest finite value of the generation before the features are
/// computed, so they rank last and cannot make the z-scores undefined.
///
/// A run has no restarts of its own: ``stopReason`` says when it has converged or stalled (CMA-ES's
/// termination criteria), and ``IPOPLearnedEvolutionStrategy`` restarts it with a larger population.
public final class LearnedEvolutionStrategy: AskTellOptimizer {
    public let dimension: Int
    /// `N`, the members per generation.
    public let populationSize: Int
    /// The mean `m`.
    public private(set) var mean: [Double]
    /// The per-dimension step sizes `σ`.
    public private(set) var stepSizes: [Double]
    public private(set) var bestPoint: [Double]?
    public private(set) var bestValue = Double.infinity
    /// The number of completed generations.
    public private(set) var generation = 0
    /// The last generation's recombination weights (empty before the first `tell`).
    public private(set) var recombinationWeights: [Double] = []
    /// `σ₀`, the step size the run started with (for ``stopReason``).
    public let initialStepSize: Double

    let network: LearnedEvolutionNetwork.Forward
    var generator: RandomGenerator
    /// `[dimension][timescales]` evolution paths of the mean's steps and of the normalised steps.
    var meanPaths: [[Double]]
    var stepPaths: [[Double]]
    var noise: [[Double]] = []
    var pending: [[Double]] = []
    /// The best and median value of each generation (for ``stopReason``).
    var history = GenerationHistory()

    /// An LES from `mean` with initial step size `stepSize` in every dimension, running the
    /// network `network`.
    ///
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` for an empty mean, a step size that is
    ///   not positive or a population of fewer than 2.
    public init(mean: [Double], stepSize: Double, populationSize: Int = 16, network: LearnedEvolutionNetwork.Forward, seed: UInt64) throws {
        guard !mean.isEmpty else { throw EvolutionError.invalidConfiguration("the learned evolution strategy needs at least one variable") }
        guard stepSize > 0, stepSize.isFinite else {
            throw EvolutionError.invalidConfiguration("the learned evolution strategy's step size must be positive, got \(stepSize)")
        }
        guard populationSize >= 2 else {
            throw EvolutionError.invalidConfiguration("the learned evolution strategy needs a population of at least 2, got \(populationSize)")
        }
        dimension = mean.count
        self.populationSize = populationSize
        self.mean = mean
        stepSizes = Array(repeating: stepSize, count: mean.count)
        initialStepSize = stepSize
        self.network = network
        generator = RandomGenerator(seed: seed)
        let timescales = LearnedEvolutionNetwork.pathTimescales.count
        meanPaths = Array(repeating: Array(repeating: 0, count: timescales), count: mean.count)
        stepPaths = meanPaths
    }

    /// An LES with the network in `url` (default: the shipped one; see ``LearnedEvolutionNetwork/load(_:)``).
    public convenience init(mean: [Double], stepSize: Double, populationSize: Int = 16, networkAt url: URL? = nil, seed: UInt64) throws {
        try self.init(mean: mean, stepSize: stepSize, populationSize: populationSize, network: try LearnedEvolutionNetwork.load(url).forward, seed: seed)
    }

    /// The `N` points `m + σ ⊙ zᵢ`.
    public func ask() -> [[Double]] {
        noise = (0..<populationSize).map { _ in (0..<dimension).map { _ in Double(generator.nextNormal()) } }
        pending = noise.map { z in (0..<dimension).map { mean[$0] + stepSizes[$0] * z[$0] } }
        return pending
    }

    /// The fitness features `[centred rank, z-score, improvement flag]` of each member (see the
    /// type), with `best` the best value before this generation.
    public static func fitnessFeatures(_ values: [Double], best: Double) -> [[Double]] {
        let finite = values.filter(\.isFinite)
        let worst = finite.max() ?? 0
        let cleaned = values.map { $0.isFinite ? $0 : ($0 < 0 ? (finite.min() ?? 0) : worst) }
        let ranks = OpenAIES.centredRanks(values)   // +∞ sorts last
        let average = cleaned.reduce(0, +) / Double(cleaned.count)
        let deviation = (cleaned.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(cleaned.count)).squareRoot()
        return cleaned.indices.map { i in
            [ranks[i], deviation > 0 ? (cleaned[i] - average) / deviation : 0, values[i] < best ? 1 : 0]
        }
    }

    /// The generation embedding `tanh(t / T − 1)` for each of ``LearnedEvolutionNetwork/timeScales``.
    public static func timeEmbedding(generation: Int) -> [Double] {
        LearnedEvolutionNetwork.timeScales.map { tanh(Double(generation) / $0 - 1) }
    }

    /// Updates `m`, `σ` and the paths from the values of the last ``ask()`` (see the type).
    public func tell(_ points: [[Double]], values: [Double]) throws {
        try validateTell(points, values, expected: populationSize, dimension: dimension)
        let features = Self.fitnessFeatures(values, best: bestValue)
        for (point, value) in zip(points, values) where value < bestValue { bestValue = value; bestPoint = point }
        let weights = network.recombinationWeights(features)
        recombinationWeights = weights
        let time = Self.timeEmbedding(generation: generation)
        let timescales = LearnedEvolutionNetwork.pathTimescales
        for j in 0..<dimension {
            var step = 0.0, normalised = 0.0, spread = 0.0
            for i in 0..<populationSize {
                let difference = points[i][j] - mean[j]
                step += weights[i] * difference
                normalised += weights[i] * difference / stepSizes[j]
                spread += weights[i] * difference * difference
            }
            for (k, c) in timescales.enumerated() {
                meanPaths[j][k] = (1 - c) * meanPaths[j][k] + c * step
                stepPaths[j][k] = (1 - c) * stepPaths[j][k] + c * normalised
            }
            let rates = network.learningRates(paths: meanPaths[j] + stepPaths[j], time: time)
            mean[j] += rates.mean * step
            // A floor far below any useful precision keeps σ positive (the normalised step divides by it).
            stepSizes[j] = Swift.max(1e-300, stepSizes[j] + rates.step * (spread.squareRoot() - stepSizes[j]))
        }
        let sorted = values.sorted()
        history.record(best: sorted[0], median: sorted[sorted.count / 2], worst: sorted[sorted.count - 1])
        generation += 1
    }
}
