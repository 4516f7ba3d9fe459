import Foundation

extension LearnedEvolutionStrategy: RestartableEvolutionStrategy {
    /// The first termination criterion that holds, or `nil` while the run should go on: CMA-ES's
    /// criteria (``EvolutionStopReason``, same thresholds, same order) for LES's diagonal Gaussian,
    /// whose coordinate spreads are the step sizes `σⱼ`: ``EvolutionStopReason/stepTolerance`` when
    /// every `σⱼ < 10⁻¹¹ σ₀`, ``EvolutionStopReason/illConditioned`` when `(max σⱼ / min σⱼ)² > 10¹⁴`,
    /// no effect of the generation's axis (`0.1 σⱼ`) or of any coordinate (`0.2 σⱼ`) on `m`, and
    /// ``EvolutionStopReason/stepSizeDivergence`` when `max σⱼ > 10²⁰ σ₀`; the criteria on the values
    /// (tolerance, stagnation, generation limit) are ``GenerationHistory``'s.
    public var stopReason: EvolutionStopReason? {
        let n = dimension
        guard generation > 0 else { return nil }
        if history.valueToleranceReached(dimension: n, populationSize: populationSize) { return .functionValueTolerance }
        if stepSizes.allSatisfy({ $0 < 1e-11 * initialStepSize }) { return .stepTolerance }
        let largest = stepSizes.max()!, smallest = stepSizes.min()!
        if largest * largest > 1e14 * smallest * smallest { return .illConditioned }
        let axis = generation % n
        if mean[axis] + 0.1 * stepSizes[axis] == mean[axis] { return .noEffectAxis }
        if (0..<n).contains(where: { mean[$0] + 0.2 * stepSizes[$0] == mean[$0] }) { return .noEffectCoordinate }
        if let reason = history.stagnationOrLimit(dimension: n, populationSize: populationSize, generation: generation) { return reason }
        if largest / initialStepSize > 1e20 { return .stepSizeDivergence }
        return nil
    }

    /// A fresh LES with the same network from `mean` with `stepSize` in every dimension and
    /// `populationSize` members (the network attends over fitness ranks, so it runs at any `N`).
    public func restarted(mean: [Double], stepSize: Double, populationSize: Int, seed: UInt64) throws -> LearnedEvolutionStrategy {
        try LearnedEvolutionStrategy(mean: mean, stepSize: stepSize, populationSize: populationSize, network: network, seed: seed)
    }
}

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
