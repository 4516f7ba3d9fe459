import Foundation

/// CMA-ES with restarts and an increasing population, IPOP-CMA-ES (Auger & Hansen 2005, *A
/// Restart CMA Evolution Strategy With Increasing Population Size*, CEC 2005): whenever the
/// current run meets one of ``CMAES/stopReason``'s criteria, a new run starts from a uniformly
/// random mean in the initial box with the same `σ₀` and twice the population size
/// (``IPOPRestarts``).
public typealias IPOPCMAES = IPOPRestarts<CMAES>

extension IPOPRestarts where Strategy == CMAES {
    /// An IPOP-CMA-ES whose restarts draw their mean uniformly in `[lowerBounds, upperBounds]`.
    ///
    /// - Parameters:
    ///   - mean: the first run's mean; `nil` for a uniform draw in the box.
    ///   - stepSize: `σ₀` of every run.
    ///   - populationSize: the first run's `λ`; `nil` for `4 + ⌊3 ln n⌋`.
    ///   - separable: run sep-CMA-ES (diagonal covariance).
    ///   - populationGrowth: the factor on `λ` per restart (2 in the paper).
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` for an empty or inverted box, or a bad `CMAES` setting.
    public init(lowerBounds: [Double], upperBounds: [Double], mean: [Double]? = nil, stepSize: Double, populationSize: Int? = nil,
                separable: Bool = false, populationGrowth: Double = 2, seed: UInt64) throws {
        try self.init(lowerBounds: lowerBounds, upperBounds: upperBounds, mean: mean, stepSize: stepSize, populationGrowth: populationGrowth, seed: seed) { mean, seed in
            try CMAES(mean: mean, stepSize: stepSize, populationSize: populationSize, separable: separable, seed: seed)
        }
    }
}
