import Foundation
import MesaCore

/// The population-based optimisers that `mesa optimize --method` and `mesa benchmark-bbob` run,
/// each built with the settings used for both (``makeOptimizer(lowerBounds:upperBounds:initialLowerBounds:initialUpperBounds:stepSize:evaluations:seed:)``).
public enum EvolutionMethod: String, ConfigurationChoice {
    /// IPOP-CMA-ES (``IPOPCMAES``): `λ = 4 + ⌊3 ln d⌋` doubling per restart.
    case cmaes
    /// IPOP with the separable CMA-ES (diagonal covariance).
    case sepCMAES = "sep-cmaes"
    /// DE/rand/1/bin, `F = 0.5`, `CR = 0.9`, `NP = min(100, max(20, 5d))`.
    case de
    /// JADE: DE/current-to-pbest/1/bin with archive and adaptation of `F` and `CR`, same `NP`.
    case jade
    /// MetaDE: 5 configurations (10 with their trials) sharing one lower population of the same
    /// `NP`, 100 lower generations per meta generation, meta generations for a quarter of the
    /// budget, then the best configuration's power-up for the rest, continuing the population.
    case metade
    /// OpenAI-ES with Adam (`η = 0.05 σ₀`), `σ = σ₀/4`, `λ = max(8, 4 + 3 ln d)` (even).
    case openAIES = "openai-es"
    /// The learned evolution strategy with the shipped network and IPOP restarts
    /// (``IPOPLearnedEvolutionStrategy``): `N = 16` doubling per restart, `σ₀` in every dimension.
    case les
    /// The learned evolution strategy (``LearnedEvolutionStrategy``) with the shipped network and
    /// no restarts, `N = 16`, `σ₀` in every dimension.
    case lesNoRestarts = "les-no-restarts"

    /// A seeded optimiser over the box `[lowerBounds, upperBounds]` whose first points (CMA-ES's and
    /// OpenAI-ES's means, restarts) are drawn from `[initialLowerBounds, initialUpperBounds]`, with
    /// initial step size `stepSize`, sized for `evaluations` evaluations.
    ///
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` for an empty or inverted box;
    ///   ``EvolutionError/invalidCheckpoint(_:)`` for `les` when the shipped network is missing.
    public func makeOptimizer(lowerBounds: [Double], upperBounds: [Double], initialLowerBounds: [Double], initialUpperBounds: [Double],
                              stepSize: Double, evaluations: Int, seed: UInt64) throws -> any AskTellOptimizer {
        let d = lowerBounds.count
        let populationSize = Swift.min(100, Swift.max(20, 5 * d))
        switch self {
        case .cmaes, .sepCMAES:
            return try IPOPCMAES(lowerBounds: initialLowerBounds, upperBounds: initialUpperBounds, stepSize: stepSize, separable: self == .sepCMAES, seed: seed)
        case .de:
            return try DifferentialEvolution(lowerBounds: lowerBounds, upperBounds: upperBounds, configuration: .classic(populationSize: populationSize), seed: seed)
        case .jade:
            return try DifferentialEvolution(lowerBounds: lowerBounds, upperBounds: upperBounds, configuration: .jade(populationSize: populationSize), seed: seed)
        case .metade:
            var configuration = MetaDE.Configuration(metaPopulationSize: 5, lowerPopulationSize: populationSize, lowerGenerations: 100)
            configuration.metaGenerations = Swift.max(1, evaluations / (4 * configuration.evaluationsPerMetaGeneration))
            return try MetaDE(lowerBounds: lowerBounds, upperBounds: upperBounds, configuration: configuration, seed: seed)
        case .openAIES:
            var generator = RandomGenerator(seed: seed)
            let mean = zip(initialLowerBounds, initialUpperBounds).map { low, high in low + Double(generator.nextUniform()) * (high - low) }
            return try OpenAIES(mean: mean, noiseScale: stepSize / 4, update: OptimizerConfiguration(algorithm: .adam, learningRate: Float(0.05 * stepSize), decay: .constant),
                                seed: generator.next())
        case .lesNoRestarts:
            var generator = RandomGenerator(seed: seed)
            let mean = zip(initialLowerBounds, initialUpperBounds).map { low, high in low + Double(generator.nextUniform()) * (high - low) }
            return try LearnedEvolutionStrategy(mean: mean, stepSize: stepSize, seed: generator.next())
        case .les:
            return try IPOPLearnedEvolutionStrategy(lowerBounds: initialLowerBounds, upperBounds: initialUpperBounds, stepSize: stepSize,
                                                    network: try LearnedEvolutionNetwork.load().forward, seed: seed)
        }
    }
}
