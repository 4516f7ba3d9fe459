import Foundation

extension CMAES: RestartableEvolutionStrategy {
    /// The first termination criterion that holds (``EvolutionStopReason``, in the tutorial's
    /// order), or `nil` while the run should go on.
    public var stopReason: EvolutionStopReason? {
        let n = dimension
        guard generation > 0 else { return nil }
        if history.valueToleranceReached(dimension: n, populationSize: populationSize) { return .functionValueTolerance }
        let diagonal = (0..<n).map { covariance[$0 * n + $0] }
        if (0..<n).allSatisfy({ stepSize * Swift.max(abs(pathC[$0]), diagonal[$0].squareRoot()) < 1e-11 * initialStepSize }) {
            return .stepTolerance
        }
        let largest = scales.max()!, smallest = scales.min()!
        if largest * largest > 1e14 * smallest * smallest { return .illConditioned }
        let axis = generation % n
        if separable {
            if (0..<n).allSatisfy({ mean[$0] + 0.1 * stepSize * (axis == $0 ? scales[$0] : 0) == mean[$0] }) { return .noEffectAxis }
        } else if (0..<n).allSatisfy({ mean[$0] + 0.1 * stepSize * scales[axis] * basis[$0 * n + axis] == mean[$0] }) {
            return .noEffectAxis
        }
        if (0..<n).contains(where: { mean[$0] + 0.2 * stepSize * diagonal[$0].squareRoot() == mean[$0] }) { return .noEffectCoordinate }
        if let reason = history.stagnationOrLimit(dimension: n, populationSize: populationSize, generation: generation) { return reason }
        if stepSize / initialStepSize > 1e20 * largest { return .stepSizeDivergence }
        return nil
    }

    /// A fresh CMA-ES of the same kind (separable, active) from `mean` with `stepSize` and `populationSize` members.
    public func restarted(mean: [Double], stepSize: Double, populationSize: Int, seed: UInt64) throws -> CMAES {
        try CMAES(mean: mean, stepSize: stepSize, populationSize: populationSize, separable: separable, active: active, seed: seed)
    }
}
