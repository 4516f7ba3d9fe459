import Foundation

/// An acquisition function: how promising a point is, given a Gaussian belief `N(μ, σ²)` about
/// the objective there and the best value `f*` observed so far. Objectives are minimised;
/// acquisitions are maximised.
public enum Acquisition: Sendable, Equatable {
    /// The logarithm of expected improvement, `log E[max(f* − f(x), 0)] = log σ + log h(z)`,
    /// `z = (f* − μ)/σ`, `h(z) = φ(z) + z Φ(z)`, computed without underflow far from the
    /// incumbent (``LogExpectedImprovement``; Ament et al. 2023, "Unexpected Improvements to
    /// Expected Improvement for Bayesian Optimization").
    case logExpectedImprovement
    /// The (lower) confidence bound, negated so that higher is better: `−μ + √β σ`
    /// (Srinivas et al. 2010, GP-UCB, for minimisation).
    case upperConfidenceBound(beta: Double)

    /// The acquisition's value at a point with predictive `moments`, and its gradient when the
    /// moments carry gradients.
    public func value(_ moments: PosteriorMoments, incumbent: Double) -> (value: Double, gradient: [Double]?) {
        let variance = Swift.max(moments.variance, 1e-18)
        let sigma = variance.squareRoot()
        let wantsGradient = !moments.meanGradient.isEmpty
        // ∂σ/∂x = ∂σ²/∂x / 2σ
        let sigmaGradient = wantsGradient ? moments.varianceGradient.map { moments.variance > 1e-18 ? $0 / (2 * sigma) : 0 } : []
        switch self {
        case .logExpectedImprovement:
            let z = (incumbent - moments.mean) / sigma
            let value = LogExpectedImprovement.logH(z) + log(sigma)
            guard wantsGradient else { return (value, nil) }
            // ∂/∂x [log h(z) + log σ] = (log h)′(z) ∂z/∂x + ∂σ/∂x / σ,  ∂z/∂x = −(∂μ/∂x + z ∂σ/∂x) / σ
            let slope = LogExpectedImprovement.logHDerivative(z)
            let gradient = (0..<moments.meanGradient.count).map { j in
                -slope * (moments.meanGradient[j] + z * sigmaGradient[j]) / sigma + sigmaGradient[j] / sigma
            }
            return (value, gradient)
        case .upperConfidenceBound(let beta):
            let root = beta.squareRoot()
            let value = -moments.mean + root * sigma
            guard wantsGradient else { return (value, nil) }
            return (value, (0..<moments.meanGradient.count).map { -moments.meanGradient[$0] + root * sigmaGradient[$0] })
        }
    }
}
