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
