import Foundation

/// Why a CMA-ES run should stop: the termination criteria of Hansen's tutorial (appendix B), with
/// the thresholds of pycma's defaults (`tolfun`, `tolx`, `maxiter`, `tolstagnation`, …), which
/// decide how often IPOP restarts.
public enum CMAESStopReason: String, Sendable, Equatable {
    /// The best values of the last `10 + ⌈30n/λ⌉` generations and all of the current one lie within `10⁻¹¹`.
    case functionValueTolerance
    /// `σ · max(|p_c|, √diag C) < 10⁻¹¹ σ₀`: the search has converged in every coordinate.
    case stepTolerance
    /// The condition number of `C` exceeds `10¹⁴`.
    case illConditioned
    /// Adding `0.1 σ` times a principal axis of `C` does not change the mean.
    case noEffectAxis
    /// Adding `0.2 σ √C_ii` to a coordinate of the mean does not change it.
    case noEffectCoordinate
    /// After at least `100 + 100 n^1.5/λ` generations, neither the median of the generations' best
    /// values nor that of their medians improved over the last `l` generations against the `l`
    /// before (`l` a tenth of that minimum or of the run, whichever is larger).
    case stagnation
    /// The run has lasted `100 + 150 (n + 3)²/√λ` generations.
    case generationLimit
    /// `σ` grew by more than `10²⁰ √λ_max` against `σ₀`: the objective is probably unbounded.
    case stepSizeDivergence
}

extension CMAES {
    /// The first termination criterion that holds, or `nil` while the run should go on.
    public var stopReason: CMAESStopReason? {
        let n = dimension
        guard generation > 0 else { return nil }
        let span = 10 + Int((30 * Double(n) / Double(populationSize)).rounded(.up))
        if history.count >= span {
            let recent = history.suffix(span)
            if Swift.max(recent.max()!, history.last! + lastRangeOfValues) - recent.min()! < 1e-11 { return .functionValueTolerance }
        }
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
        let minimumGenerations = 100 + Int(100 * pow(Double(n), 1.5) / Double(populationSize))
        let window = Swift.max(minimumGenerations / 10, history.count / 10)
        if history.count > minimumGenerations, history.count >= 2 * window {
            func median(_ values: ArraySlice<Double>) -> Double { let s = values.sorted(); return s[s.count / 2] }
            if median(history.suffix(window)) >= median(history.dropLast(window).suffix(window)),
               median(medianHistory.suffix(window)) >= median(medianHistory.dropLast(window).suffix(window)) {
                return .stagnation
            }
        }
        if Double(generation) >= 100 + 150 * pow(Double(n) + 3, 2) / Double(populationSize).squareRoot() { return .generationLimit }
        if stepSize / initialStepSize > 1e20 * largest { return .stepSizeDivergence }
        return nil
    }
}
