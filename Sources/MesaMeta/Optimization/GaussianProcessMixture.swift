import Foundation

/// A weighted mixture of Gaussian-process posteriors on the same observations: the predictive
/// of a Gaussian process whose hyperparameters are integrated out, `p(f | D) = Σₖ wₖ p(f | D, θₖ)`,
/// `wₖ ∝ p(D | θₖ)` for draws `θₖ` from their prior (``MarginalizedGaussianProcessSurrogate``).
///
/// **Expected improvement of the mixture.** Expected improvement is linear in the predictive
/// density, and every component standardises the same values, so all share the incumbent `f*`:
///
///     EI(x) = E_{p(f | D)}[max(f* − f(x), 0)] = Σₖ wₖ EIₖ(x),
///     log EI(x) = log Σₖ exp(log wₖ + log EIₖ(x)),   ∇ log EI = Σₖ πₖ ∇ log EIₖ,   πₖ ∝ wₖ EIₖ(x),
///
/// so "the mixture's expected improvement" and "the posterior-weighted average of each draw's
/// expected improvement" are the same number (the integrated acquisition of Snoek, Larochelle &
/// Adams 2012, "Practical Bayesian Optimization of Machine Learning Algorithms", eq. 4); each
/// `log EIₖ` is the component's ``Acquisition/logExpectedImprovement`` (finite far below the
/// incumbent) and the sum is taken in log space. The confidence bound uses the mixture's mean
/// and variance (`μ = Σ wₖ μₖ`, `σ² = Σ wₖ (σₖ² + μₖ²) − μ²`), since a quantile of a mixture has
/// no closed form.
///
/// Components whose normalised weight is below ``negligibleWeight`` are dropped (and the rest
/// renormalised): they change expected improvement by less than that fraction of the largest
/// component's, and with peaked likelihoods most draws fall there, which saves their cost at
/// every acquisition query.
public struct GaussianProcessMixture: SurrogatePosterior {
    /// The components kept, each on the same inputs and standardised targets.
    public let components: [GaussianProcess]
    /// Their weights, positive and summing to 1.
    public let weights: [Double]

    /// The normalised weight below which a component is dropped.
    public static let negligibleWeight = 1e-6

    /// A mixture of `components` with unnormalised log weights `logWeights` (e.g. log marginal
    /// likelihoods); at least one component, all on the same targets.
    public init(components: [GaussianProcess], logWeights: [Double]) {
        precondition(!components.isEmpty && components.count == logWeights.count, "GaussianProcessMixture: needs one log weight per component, and at least one")
        precondition(components.allSatisfy { $0.targets == components[0].targets }, "GaussianProcessMixture: components must share their targets")
        // A draw whose likelihood is not a finite number gets no weight (all equal if none is).
        let finite = logWeights.filter(\.isFinite)
        let top = finite.max() ?? 0
        let raw = logWeights.map { $0.isFinite ? exp($0 - top) : (finite.isEmpty ? 1 : 0) }
        let total = raw.reduce(0, +)
        let kept = raw.indices.filter { raw[$0] / total >= Self.negligibleWeight }
        let sum = kept.reduce(0) { $0 + raw[$1] }
        self.init(components: kept.map { components[$0] }, normalizedWeights: kept.map { raw[$0] / sum })
    }

    private init(components: [GaussianProcess], normalizedWeights: [Double]) {
        self.components = components
        self.weights = normalizedWeights
    }

    /// The number of unit-cube coordinates.
    public var dimension: Int { components[0].dimension }

    /// Gradients come from the components'.
    public var providesGradients: Bool { true }

    /// The effective number of components, `1 / Σ wₖ²` (Kish): 1 when one draw dominates.
    public var effectiveSampleSize: Double { 1 / weights.reduce(0) { $0 + $1 * $1 } }

    /// The lowest standardised target, shared by every component.
    public var incumbent: Double { components[0].incumbent }

    /// The mixture's predictive mean and variance at `x` (standardised units), with gradients
    /// when `withGradient`: `μ = Σ wₖ μₖ`, `σ² = Σ wₖ (σₖ² + μₖ²) − μ²`.
    public func moments(at x: [Double], withGradient: Bool) -> PosteriorMoments {
        let d = dimension
        var mean = 0.0, second = 0.0
        var meanGradient = [Double](repeating: 0, count: withGradient ? d : 0), secondGradient = meanGradient
        for (component, weight) in zip(components, weights) {
            let m = component.moments(at: x, withGradient: withGradient)
            mean += weight * m.mean
            second += weight * (m.variance + m.mean * m.mean)
            for j in 0..<meanGradient.count {
                meanGradient[j] += weight * m.meanGradient[j]
                secondGradient[j] += weight * (m.varianceGradient[j] + 2 * m.mean * m.meanGradient[j])
            }
        }
        let variance = Swift.max(second - mean * mean, 0)
        guard withGradient else { return PosteriorMoments(mean: mean, variance: variance) }
        return PosteriorMoments(mean: mean, variance: variance, meanGradient: meanGradient,
                                varianceGradient: (0..<d).map { secondGradient[$0] - 2 * mean * meanGradient[$0] })
    }

    /// The acquisition at `x` (see the type's discussion).
    public func acquisitionValue(_ acquisition: Acquisition, at x: [Double], withGradient: Bool) -> (value: Double, gradient: [Double]?) {
        guard acquisition == .logExpectedImprovement else {
            return acquisition.value(moments(at: x, withGradient: withGradient), incumbent: incumbent)
        }
        let terms = zip(components, weights).map { component, weight in
            let (value, gradient) = component.acquisitionValue(acquisition, at: x, withGradient: withGradient)
            return (log(weight) + value, gradient)
        }
        let top = terms.map(\.0).max()!
        let shares = terms.map { exp($0.0 - top) }
        let total = shares.reduce(0, +)
        let value = top + log(total)
        guard withGradient else { return (value, nil) }
        var gradient = [Double](repeating: 0, count: dimension)
        for (share, term) in zip(shares, terms) {
            for j in 0..<gradient.count { gradient[j] += share / total * term.1![j] }
        }
        return (value, gradient)
    }

    /// The kriging believer: every component conditioned on the mixture's mean at `x`, weights kept
    /// (hyperparameters fixed, as for one process).
    public func conditionedOnFantasy(at x: [Double]) -> any SurrogatePosterior {
        let target = moments(at: x, withGradient: false).mean
        return GaussianProcessMixture(components: components.map { $0.conditioned(on: x, target: target) }, normalizedWeights: weights)
    }
}
