import Foundation

/// Why a run of an evolution strategy should stop: the termination criteria of Hansen's CMA-ES
/// tutorial (arXiv:1604.00772, appendix B), with the thresholds of pycma's defaults (`tolfun`,
/// `tolx`, `maxiter`, `tolstagnation`, …). ``IPOPRestarts`` restarts a run on any of them. ``CMAES``
/// and ``LearnedEvolutionStrategy`` report them (``RestartableEvolutionStrategy/stopReason``); the
/// criteria on the values come from one place, ``GenerationHistory`` (``GenerationHistory/valueToleranceReached(dimension:populationSize:)``
/// and ``GenerationHistory/stagnationOrLimit(dimension:populationSize:generation:)``).
public enum EvolutionStopReason: String, Sendable, Equatable {
    /// The best values of the last `10 + ⌈30n/λ⌉` generations and all of the current one lie within `10⁻¹¹`.
    case functionValueTolerance
    /// Every coordinate's spread is below `10⁻¹¹ σ₀` (CMA-ES: `σ · max(|p_c|, √diag C)`; LES: `σⱼ`):
    /// the search has converged in every coordinate.
    case stepTolerance
    /// The condition number of the search distribution's covariance exceeds `10¹⁴`.
    case illConditioned
    /// Adding `0.1 σ` times a principal axis of the covariance does not change the mean.
    case noEffectAxis
    /// Adding `0.2` times a coordinate's standard deviation to the mean does not change it.
    case noEffectCoordinate
    /// After at least `100 + 100 n^1.5/λ` generations, neither the median of the generations' best
    /// values nor that of their medians improved over the last `l` generations against the `l`
    /// before (`l` a tenth of that minimum or of the run, whichever is larger).
    case stagnation
    /// The run has lasted `100 + 150 (n + 3)²/√λ` generations.
    case generationLimit
    /// The step size grew by more than `10²⁰` times the largest axis against `σ₀`: the objective is
    /// probably unbounded.
    case stepSizeDivergence
}
