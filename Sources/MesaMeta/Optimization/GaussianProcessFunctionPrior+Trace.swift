import Foundation
import MesaCore

extension GaussianProcessFunctionPrior {
    /// One optimisation-trace set of `rowCount` points of `function`, the first `trainCount` the
    /// context: the histories and queries Bayesian optimisation shows the surrogate, which uniform
    /// points never do (after the "trace" inputs of the PFNs library's Gaussian-process prior,
    /// Müller et al. 2023; this design is Mesa's).
    ///
    /// Per set: a margin `m ~ U[0, ¼]`, a local scale `σ` log-uniform in `[10⁻³, 0.2]`, and
    /// `a₀ ≤ a₁` (the smaller and larger of two uniforms).
    ///
    /// - **Context**, in order: point `i` is, with probability `a₀ + (a₁ − a₀) i / trainCount`, the
    ///   running incumbent (the context's lowest value so far) plus `N(0, σ²)` per coordinate;
    ///   otherwise uniform in `[−m, 1 + m]ᵈ`. Both are clamped into the cube, so the margin puts
    ///   mass on the bounds, where acquisition maxima often land.
    /// - **Queries**, each with its own scale log-uniform in `[10⁻³, 0.2]`, a third each: next to
    ///   the incumbent, next to a random context point, or uniform in the widened cube. Where a
    ///   query lands depends on the context alone, never on the function beyond it: queries placed
    ///   next to the function's own minimum (a first version) make a query's location evidence of
    ///   a low value, and the network learned an optimistic predictive away from the data (worse
    ///   on validation functions, docs/optimize.md).
    ///
    /// Values are minimised, as ``PriorFittedSurrogate`` reads them (its incumbent is the lowest).
    public static func sampleTrace(of function: RandomFourierFunction, rowCount: Int, trainCount: Int,
                                   using generator: inout RandomGenerator) -> (points: [[Double]], values: [Double]) {
        let d = function.dimension
        let margin = 0.25 * generator.nextDouble()
        let (u, v) = (generator.nextDouble(), generator.nextDouble())
        let (start, end) = (Swift.min(u, v), Swift.max(u, v))
        let localScale = nearbyScale(using: &generator)
        func widened(_ g: inout RandomGenerator) -> [Double] {
            (0..<d).map { _ in Swift.min(Swift.max(-margin + (1 + 2 * margin) * g.nextDouble(), 0), 1) }
        }
        var points: [[Double]] = [], values: [Double] = []
        points.reserveCapacity(rowCount)
        values.reserveCapacity(rowCount)
        var incumbent = 0
        for i in 0..<trainCount {
            let local = i > 0 && generator.nextDouble() < start + (end - start) * Double(i) / Double(trainCount)
            let x = local ? point(near: points[incumbent], scale: localScale, using: &generator) : widened(&generator)
            points.append(x)
            values.append(function.value(at: x))
            if values[i] < values[incumbent] { incumbent = i }
        }
        for _ in trainCount..<rowCount {
            let kind = generator.nextIndex(below: 3)
            let scale = nearbyScale(using: &generator)
            let x: [Double]
            switch kind {
            case 0: x = point(near: points[incumbent], scale: scale, using: &generator)
            case 1: x = point(near: points[generator.nextIndex(below: trainCount)], scale: scale, using: &generator)
            default: x = widened(&generator)
            }
            points.append(x)
            values.append(function.value(at: x))
        }
        return (points, values)
    }
}
