import Foundation

/// Why a run of an evolution strategy should stop: the termination criteria of Hansen's CMA-ES
/// tutorial (arXiv:1604.00772, appendix B), with the thresholds of pycma's defaults (`tolfun`,
/// `tolx`, `maxiter`, `tolstagnation`, …). ``IPOPRestarts`` restarts a run on any of them. ``CMAES``
/// and ``LearnedEvolutionStrategy`` report them (``RestartableEvolutionStrategy/stopReason``); the
/// criteria on the values come from one place, ``GenerationHistory/stopReason(dimension:populationSize:generation:)``.
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

/// The best value, median value and range of values of each generation of a run, newest last: what
/// the termination criteria on the values (``EvolutionStopReason``) look at.
public struct GenerationHistory: Sendable {
    /// The best value of each generation.
    public private(set) var best: [Double] = []
    /// The median value (the `⌊λ/2⌋`-th of the sorted values) of each generation.
    public private(set) var median: [Double] = []
    /// The last generation's worst value minus its best.
    public private(set) var lastRange = Double.infinity

    /// An empty history.
    public init() {}

    /// Records a generation from its best, median and worst values.
    public mutating func record(best: Double, median: Double, worst: Double) {
        self.best.append(best)
        self.median.append(median)
        lastRange = worst - best
    }

    /// Whether the best values of the last `10 + ⌈30n/λ⌉` generations (`n = dimension`,
    /// `λ = populationSize`) and the last generation's range lie within `10⁻¹¹`
    /// (``EvolutionStopReason/functionValueTolerance``).
    public func valueToleranceReached(dimension n: Int, populationSize: Int) -> Bool {
        let span = 10 + Int((30 * Double(n) / Double(populationSize)).rounded(.up))
        guard best.count >= span else { return false }
        let recent = best.suffix(span)
        return Swift.max(recent.max()!, best.last! + lastRange) - recent.min()! < 1e-11
    }

    /// ``EvolutionStopReason/stagnation`` or ``EvolutionStopReason/generationLimit`` when one holds
    /// for a run in `dimension` variables with `populationSize` members after `generation` generations.
    public func stagnationOrLimit(dimension n: Int, populationSize: Int, generation: Int) -> EvolutionStopReason? {
        let minimumGenerations = 100 + Int(100 * pow(Double(n), 1.5) / Double(populationSize))
        let window = Swift.max(minimumGenerations / 10, best.count / 10)
        if best.count > minimumGenerations, best.count >= 2 * window {
            func middle(_ values: ArraySlice<Double>) -> Double { let s = values.sorted(); return s[s.count / 2] }
            if middle(best.suffix(window)) >= middle(best.dropLast(window).suffix(window)),
               middle(median.suffix(window)) >= middle(median.dropLast(window).suffix(window)) {
                return .stagnation
            }
        }
        if Double(generation) >= 100 + 150 * pow(Double(n) + 3, 2) / Double(populationSize).squareRoot() { return .generationLimit }
        return nil
    }
}
