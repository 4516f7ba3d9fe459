import MesaCore

/// One optimisation episode of NAP's meta-training (``NAPTrainer``): a function from the
/// Gaussian-process prior, an initial design, then one evaluation per decision of the policy,
/// with the simple regret `R = min_i f(xᵢ) − f*` after each.
public struct NAPEpisode: Sendable {
    /// The objective (unit cube) with its estimated minimum `f*`.
    public let function: BenchmarkFunction
    /// The evaluated points, in order.
    public private(set) var points: [[Double]] = []
    /// Their values.
    public private(set) var values: [Double] = []

    /// An episode on `function` starting from `design` (evaluated at once).
    public init(function: BenchmarkFunction, design: [[Double]]) {
        self.function = function
        for point in design { evaluate(point) }
    }

    /// Evaluates the objective at `point` and adds it to the history.
    public mutating func evaluate(_ point: [Double]) {
        points.append(point)
        values.append(function.value(atUnitPoint: point))
    }

    /// The simple regret `max(min values − f*, floor)`.
    public func regret(floor: Double) -> Double { Swift.max(values.min()! - function.minimum, floor) }

    /// The decision among `candidateCount` fresh candidates drawn by `sampler` (uniform points
    /// plus perturbations of the best points so far, ``AcquisitionOptimizer/rawSamples(dimension:incumbents:using:)``),
    /// with the history's values standardised.
    public func decision(sampler: AcquisitionOptimizer, remainingFraction: Float, using generator: inout RandomGenerator) -> NAPDecision {
        let ranked = values.indices.sorted { values[$0] < values[$1] }.map { points[$0] }
        let candidates = sampler.rawSamples(dimension: function.dimension, incumbents: ranked, using: &generator)
        let (mean, scale) = GaussianProcessFunctionPrior.standardization(of: values)
        return NAPDecision(points: points, values: values.map { Float(($0 - mean) / scale) }, candidates: candidates,
                           remainingFraction: remainingFraction)
    }
}
