import Foundation

/// An evolution strategy that ``IPOPRestarts`` can restart: it says when its run should stop and
/// builds a fresh run of its own kind (same settings and, for a learned strategy, the same network).
public protocol RestartableEvolutionStrategy: AskTellOptimizer {
    /// The members per generation, `λ`.
    var populationSize: Int { get }
    /// The first termination criterion that holds, or `nil` while the run should go on.
    var stopReason: EvolutionStopReason? { get }
    /// A new run of the same kind from `mean` with initial step size `stepSize` and `populationSize`
    /// members, sampling with `seed`.
    ///
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` when the strategy refuses these settings.
    func restarted(mean: [Double], stepSize: Double, populationSize: Int, seed: UInt64) throws -> Self
}
