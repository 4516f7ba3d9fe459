import Foundation
import MesaCore

/// An exact Gaussian-process regression model of an objective on the unit cube: constant mean,
/// a ``StationaryKernel`` (Matérn-5/2 unless the hyperparameters name RBF) with one length-scale per input, Gaussian observation noise, outputs
/// standardised (`t = (y − mean)/std`) before fitting. Its posterior at `x` is
///
///     μ(x) = c + k*ᵀ α,   σ²(x) = s² − k*ᵀ K⁻¹ k*,   α = K⁻¹ (t − c),   K = [k(xᵢ, xⱼ)] + σ² I,
///
/// with `k* = [k(x, xᵢ)]` (Rasmussen & Williams 2006, algorithm 2.1), through Mesa's one Cholesky
/// factorisation (``CholeskyFactor``). `σ²(x)` is the variance of the noise-free objective, which
/// is what the acquisition functions need. Moments are in standardised units; ``prediction(at:)``
/// gives them in the objective's.
///
/// The gradients with respect to `x` are `∇μ = Σᵢ αᵢ ∇ₓk(x, xᵢ)` and
/// `∇σ² = −2 Σᵢ wᵢ ∇ₓk(x, xᵢ)` with `w = K⁻¹ k*`.
///
/// Hyperparameters come from ``GaussianProcessSurrogate`` (a MAP fit) or are given.
public struct GaussianProcess: GaussianPosterior {
    /// The hyperparameters (standardised units).
    public let hyperparameters: GaussianProcessHyperparameters
    /// The training inputs (unit cube), fantasies included.
    public let inputs: [[Double]]
    /// The standardised training targets, fantasies included.
    public let targets: [Double]
    /// The mean subtracted from the objective's values.
    public let outputMean: Double
    /// The standard deviation the objective's values were divided by.
    public let outputStandardDeviation: Double
    /// The Cholesky factor of `K`.
    let factor: CholeskyFactor
    /// `α = K⁻¹ (t − c)`.
    let alpha: [Double]

    /// A Gaussian process on `inputs` (unit cube, at least one) and objective `values`, which are
    /// standardised here, with the given hyperparameters (in standardised units).
    public init(inputs: [[Double]], values: [Double], hyperparameters: GaussianProcessHyperparameters) {
        let (mean, deviation) = Self.standardization(of: values)
        self.init(inputs: inputs, targets: values.map { ($0 - mean) / deviation }, hyperparameters: hyperparameters,
                  outputMean: mean, outputStandardDeviation: deviation)
    }

    /// A Gaussian process on already standardised `targets`.
    init(inputs: [[Double]], targets: [Double], hyperparameters: GaussianProcessHyperparameters, outputMean: Double, outputStandardDeviation: Double) {
        precondition(!inputs.isEmpty && inputs.count == targets.count, "GaussianProcess: needs as many targets as inputs, and at least one")
        self.hyperparameters = hyperparameters
        self.inputs = inputs
        self.targets = targets
        self.outputMean = outputMean
        self.outputStandardDeviation = outputStandardDeviation
        factor = Self.covarianceFactor(inputs: inputs, hyperparameters: hyperparameters)
        alpha = factor.solve(targets.map { $0 - hyperparameters.mean })
    }

    private init(extending base: GaussianProcess, with input: [Double], target: Double, factor: CholeskyFactor) {
        hyperparameters = base.hyperparameters
        inputs = base.inputs + [input]
        targets = base.targets + [target]
        outputMean = base.outputMean
        outputStandardDeviation = base.outputStandardDeviation
        self.factor = factor
        alpha = factor.solve(targets.map { $0 - base.hyperparameters.mean })
    }

    /// The mean and standard deviation (unbiased; 1 for fewer than two distinct values) that
    /// standardise `values`, as BoTorch's `Standardize` computes them.
    public static func standardization(of values: [Double]) -> (mean: Double, standardDeviation: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 1) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        let deviation = variance.squareRoot()
        return (mean, deviation > 1e-12 * Swift.max(1, Swift.abs(mean)) ? deviation : 1)
    }

    /// The factor of `K = [k(xᵢ, xⱼ)] + σ² I`. Pivots are floored far below `σ²`, which bounds
    /// `K`'s smallest eigenvalue from below, so the floor only catches rounding.
    static func covarianceFactor(inputs: [[Double]], hyperparameters: GaussianProcessHyperparameters) -> CholeskyFactor {
        let n = inputs.count, kernel = hyperparameters.kernel
        var factor = CholeskyFactor(minimumPivot: 1e-3 * hyperparameters.noiseVariance)
        var row = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<i { row[j] = kernel(inputs[i], inputs[j]) }
            row[i] = hyperparameters.outputScale + hyperparameters.noiseVariance
            factor.append(row: row)
        }
        return factor
    }

    /// The number of inputs.
    public var dimension: Int { hyperparameters.dimension }

    /// The lowest standardised target (fantasies included).
    public var incumbent: Double { targets.min() ?? 0 }

    /// The posterior moments at `x` in standardised units (see the type's discussion).
    public func moments(at x: [Double], withGradient: Bool) -> PosteriorMoments {
        let n = inputs.count, d = dimension
        let kernel = hyperparameters.kernel
        var kStar = [Double](repeating: 0, count: n)
        var slopes = [Double](repeating: 0, count: withGradient ? n : 0)
        for i in 0..<n {
            if withGradient {
                let (value, slope) = kernel.valueAndSlope(x, inputs[i])
                kStar[i] = value
                slopes[i] = slope
            } else {
                kStar[i] = kernel(x, inputs[i])
            }
        }
        var mean = hyperparameters.mean
        for i in 0..<n { mean += kStar[i] * alpha[i] }
        let v = factor.solveLower(kStar)
        let variance = Swift.max(hyperparameters.outputScale - v.reduce(0) { $0 + $1 * $1 }, 0)
        guard withGradient else { return PosteriorMoments(mean: mean, variance: variance) }
        let w = factor.solveUpper(v)
        var meanGradient = [Double](repeating: 0, count: d), varianceGradient = [Double](repeating: 0, count: d)
        let inverseSquares = hyperparameters.lengthScales.map { 1 / ($0 * $0) }
        for i in 0..<n {
            // ∂k(x, xᵢ)/∂xⱼ = −g(r) (xⱼ − xᵢⱼ) / ℓⱼ²
            for j in 0..<d {
                let dk = -slopes[i] * (x[j] - inputs[i][j]) * inverseSquares[j]
                meanGradient[j] += alpha[i] * dk
                varianceGradient[j] -= 2 * w[i] * dk
            }
        }
        return PosteriorMoments(mean: mean, variance: variance, meanGradient: meanGradient, varianceGradient: varianceGradient)
    }

    /// The posterior mean and variance of the noise-free objective at `x`, in the objective's units.
    public func prediction(at x: [Double]) -> (mean: Double, variance: Double) {
        let m = moments(at: x, withGradient: false)
        return (outputMean + outputStandardDeviation * m.mean, outputStandardDeviation * outputStandardDeviation * m.variance)
    }

    /// The process with one more (fantasy) observation `target` (standardised) at `x`; the factor
    /// grows by one row (`O(n²)`), the hyperparameters stay.
    public func conditioned(on x: [Double], target: Double) -> GaussianProcess {
        let kernel = hyperparameters.kernel
        var extended = factor
        extended.append(row: inputs.map { kernel(x, $0) } + [hyperparameters.outputScale + hyperparameters.noiseVariance])
        return GaussianProcess(extending: self, with: x, target: target, factor: extended)
    }

    /// The kriging believer: a fantasy observation equal to the posterior mean at `x`.
    public func conditionedOnFantasy(at x: [Double]) -> any SurrogatePosterior {
        conditioned(on: x, target: moments(at: x, withGradient: false).mean)
    }
}
