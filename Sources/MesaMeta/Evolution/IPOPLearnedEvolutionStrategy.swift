import Foundation

/// The learned evolution strategy with IPOP restarts (``IPOPRestarts``, Auger & Hansen 2005's rule
/// as in ``IPOPCMAES``): when a run meets one of ``LearnedEvolutionStrategy/stopReason``'s criteria
/// (its step sizes collapse, its values stop changing or stop improving), a new run starts from a
/// uniform mean in the box with `σ₀` and the population times `populationGrowth`.
public typealias IPOPLearnedEvolutionStrategy = IPOPRestarts<LearnedEvolutionStrategy>

extension IPOPRestarts where Strategy == LearnedEvolutionStrategy {
    /// A restarted LES running `network`, whose restarts draw their mean uniformly in
    /// `[lowerBounds, upperBounds]`. Until its first restart it asks exactly what
    /// `LearnedEvolutionStrategy(mean:stepSize:populationSize:network:seed:)` asks, given the same
    /// first mean and the seed `RandomGenerator(seed:)` draws after it.
    ///
    /// - Parameters:
    ///   - mean: the first run's mean; `nil` for a uniform draw in the box.
    ///   - stepSize: `σ₀` of every run, in every dimension.
    ///   - populationSize: the first run's `N`.
    ///   - populationGrowth: the factor on `N` per restart (1 keeps it).
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` for an empty or inverted box, a growth
    ///   below 1, a step size that is not positive or a population below 2.
    public init(lowerBounds: [Double], upperBounds: [Double], mean: [Double]? = nil, stepSize: Double, populationSize: Int = 16,
                populationGrowth: Double = 2, network: LearnedEvolutionNetwork.Forward, seed: UInt64) throws {
        try self.init(lowerBounds: lowerBounds, upperBounds: upperBounds, mean: mean, stepSize: stepSize, populationGrowth: populationGrowth, seed: seed) { mean, seed in
            try LearnedEvolutionStrategy(mean: mean, stepSize: stepSize, populationSize: populationSize, network: network, seed: seed)
        }
    }
}
