import Foundation

/// Why a CMA-ES run should stop: the termination criteria of Hansen's tutorial (appendix B).
public enum CMAESStopReason: String, Sendable, Equatable {
    /// The best values of the last `10 + ⌈30n/λ⌉` generations and all of the current one lie within `10⁻¹²`.
    case functionValueTolerance
    /// `σ · max(|p_c|, √diag C) < 10⁻¹² σ₀`: the search has converged in every coordinate.
    case stepTolerance
    /// The condition number of `C` exceeds `10¹⁴`.
    case illConditioned
    /// Adding `0.1 σ` times a principal axis of `C` does not change the mean.
    case noEffectAxis
    /// Adding `0.2 σ √C_ii` to a coordinate of the mean does not change it.
    case noEffectCoordinate
    /// The median of the last 20 generations' best values is no better than 20 generations before,
    /// after at least `120 + 30n/λ` generations.
    case stagnation
    /// `σ` grew by more than `10²⁰ √λ_max` against `σ₀`: the objective is probably unbounded.
    case stepSizeDivergence
}

extension CMAES {
    /// The first termination criterion that holds, or `nil` while the run should go on.
    public var stopReason: CMAESStopReason? {
        let n = dimension
        guard generation > 0 else { return nil }
        let window = 10 + Int((30 * Double(n) / Double(populationSize)).rounded(.up))
        if history.count >= window {
            let recent = history.suffix(window)
            if recent.max()! - recent.min()! < 1e-12 && lastRangeOfValues < 1e-12 { return .functionValueTolerance }
        }
        let diagonal = (0..<n).map { covariance[$0 * n + $0] }
        if (0..<n).allSatisfy({ stepSize * Swift.max(abs(pathC[$0]), diagonal[$0].squareRoot()) < 1e-12 * initialStepSize }) {
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
        let minimumGenerations = 120 + Int(30 * Double(n) / Double(populationSize))
        if history.count > Swift.max(minimumGenerations, 40) {
            func median(_ values: ArraySlice<Double>) -> Double { let s = values.sorted(); return s[s.count / 2] }
            let last = median(history.suffix(20))
            let before = median(history.dropLast(20).suffix(20))
            if history.count > 2 * minimumGenerations && last >= before { return .stagnation }
        }
        if stepSize / initialStepSize > 1e20 * largest { return .stepSizeDivergence }
        return nil
    }
}
