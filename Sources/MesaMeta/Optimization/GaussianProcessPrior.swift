import Foundation

/// The priors and bounds of the Gaussian process's hyperparameters: the fit maximises the log
/// marginal likelihood plus the log prior densities (a MAP estimate), as BoTorch's
/// `fit_gpytorch_mll` does.
///
/// | hyperparameter | prior | bounds | start |
/// |---|---|---|---|
/// | length-scale `ℓⱼ` | LogNormal(√2 + ½ log d, √3) | `[0.025, 1000]` | the prior's mode |
/// | signal variance `s²` | Gamma(2, rate 0.15) | `[10⁻³, 10³]` | 1 |
/// | noise variance `σ²` | LogNormal(−4, 1) | `[noiseFloor, 10]` | the prior's mode `e⁻⁵` |
/// | mean `c` | flat | unbounded | 0 |
///
/// The length-scale and noise priors and the length-scale bound are BoTorch's defaults since
/// version 0.12 (the dimension-scaled prior of Hvarfner et al. 2024, "Vanilla Bayesian
/// Optimization Performs Great in High Dimensions"); the signal-variance prior is the one
/// BoTorch used with its Matérn kernel before that (BoTorch ≥ 0.12 fixes `s² = 1` with an RBF
/// kernel). Densities are of the hyperparameters themselves (not of their logarithms), as in
/// GPyTorch.
public struct GaussianProcessPrior: Sendable, Equatable {
    /// The smallest noise variance (standardised units). BoTorch's is `10⁻⁴`; Mesa's default is
    /// lower because its benchmark objectives are noise-free.
    public var noiseFloor: Double

    /// Creates the prior.
    public init(noiseFloor: Double = 1e-6) {
        self.noiseFloor = noiseFloor
    }

    /// `(μ, σ)` of the log-normal length-scale prior for `dimension` inputs.
    public func lengthScaleLogNormal(dimension: Int) -> (location: Double, scale: Double) {
        (2.0.squareRoot() + 0.5 * log(Double(dimension)), 3.0.squareRoot())
    }

    /// The signal variance prior's shape and rate.
    public static let outputScaleGamma = (shape: 2.0, rate: 0.15)
    /// `(μ, σ)` of the log-normal noise prior.
    public static let noiseLogNormal = (location: -4.0, scale: 1.0)

    /// The hyperparameters the search starts from: the priors' modes (`exp(μ − σ²)` for a
    /// log-normal), `s² = 1`, `c = 0`.
    public func initialHyperparameters(dimension: Int) -> GaussianProcessHyperparameters {
        let length = lengthScaleLogNormal(dimension: dimension)
        let noise = Self.noiseLogNormal
        return GaussianProcessHyperparameters(
            lengthScales: Array(repeating: Swift.max(exp(length.location - length.scale * length.scale), 0.025), count: dimension),
            outputScale: 1, noiseVariance: Swift.max(exp(noise.location - noise.scale * noise.scale), noiseFloor), mean: 0)
    }

    /// The box of the search over ``GaussianProcessHyperparameters/vector``.
    public func bounds(dimension: Int) -> (lower: [Double], upper: [Double]) {
        (Array(repeating: log(0.025), count: dimension) + [log(1e-3), log(noiseFloor), -Double.infinity],
         Array(repeating: log(1000), count: dimension) + [log(1e3), log(10), Double.infinity])
    }

    /// The log prior density at `vector` (up to a constant) and its gradient with respect to
    /// `vector`.
    public func logDensity(_ vector: [Double], dimension: Int) -> (value: Double, gradient: [Double]) {
        var value = 0.0
        var gradient = [Double](repeating: 0, count: vector.count)
        // LogNormal(μ, σ) density of v = e^u: −u − (u − μ)²/2σ²; d/du = −1 − (u − μ)/σ²
        func logNormal(_ u: Double, _ prior: (location: Double, scale: Double)) -> (Double, Double) {
            let variance = prior.scale * prior.scale
            return (-u - (u - prior.location) * (u - prior.location) / (2 * variance), -1 - (u - prior.location) / variance)
        }
        let length = lengthScaleLogNormal(dimension: dimension)
        for j in 0..<dimension {
            let (v, g) = logNormal(vector[j], length)
            value += v
            gradient[j] = g
        }
        // Gamma(α, β) density of v = e^w: (α − 1) w − β e^w; d/dw = (α − 1) − β e^w
        let gamma = Self.outputScaleGamma, w = vector[dimension]
        value += (gamma.shape - 1) * w - gamma.rate * exp(w)
        gradient[dimension] = (gamma.shape - 1) - gamma.rate * exp(w)
        let (noiseValue, noiseGradient) = logNormal(vector[dimension + 1], Self.noiseLogNormal)
        value += noiseValue
        gradient[dimension + 1] = noiseGradient
        return (value, gradient)
    }
}
