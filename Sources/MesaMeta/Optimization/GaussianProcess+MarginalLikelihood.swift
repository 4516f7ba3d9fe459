import Foundation
import MesaCore

extension GaussianProcess {
    /// The log marginal likelihood of the process's own (standardised) targets, fantasies
    /// included, under its hyperparameters, from the factor it already holds:
    /// `−½ rᵀ α − ½ log det K − (n/2) log 2π`, `r = t − c`, `α = K⁻¹ r` (the value of
    /// ``logMarginalLikelihood(inputs:targets:vector:family:)`` without its gradient). What
    /// ``MarginalizedGaussianProcessSurrogate`` weighs its hyperparameter draws by.
    public var logMarginalLikelihood: Double {
        var quadratic = 0.0
        for i in 0..<targets.count { quadratic += (targets[i] - hyperparameters.mean) * alpha[i] }
        return -0.5 * quadratic - 0.5 * factor.logDeterminant - 0.5 * Double(targets.count) * log(2 * Double.pi)
    }

    /// The log marginal likelihood of standardised `targets` at `inputs` under the process with
    /// hyperparameters `vector` (``GaussianProcessHyperparameters/vector``), and its gradient
    /// with respect to `vector`:
    ///
    ///     log p(t) = −½ rᵀ K⁻¹ r − ½ log det K − (n/2) log 2π,   r = t − c,
    ///     ∂ log p/∂θ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ),   ∂ log p/∂c = Σᵢ αᵢ,   α = K⁻¹ r
    ///
    /// (Rasmussen & Williams 2006, eq. 5.8–5.9), with `∂K/∂log ℓⱼ`, `∂K/∂log s²` from
    /// ``StationaryKernel`` (of `family`) and `∂K/∂log σ² = σ² I`. Costs `O(n² d + n³)` in `Double`.
    public static func logMarginalLikelihood(inputs: [[Double]], targets: [Double], vector: [Double],
                                             family: StationaryKernel.Family = .matern52) -> (value: Double, gradient: [Double]) {
        let n = inputs.count, d = inputs[0].count
        let hyperparameters = GaussianProcessHyperparameters(vector: vector, dimension: d, family: family)
        let kernel = hyperparameters.kernel
        var covariance = [Double](repeating: 0, count: n * n)
        var slopes = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<i {
                let (value, slope) = kernel.valueAndSlope(inputs[i], inputs[j])
                covariance[i * n + j] = value
                covariance[j * n + i] = value
                slopes[i * n + j] = slope
            }
            covariance[i * n + i] = hyperparameters.outputScale + hyperparameters.noiseVariance
        }
        let factor = CholeskyFactor(matrix: covariance, size: n, minimumPivot: 1e-3 * hyperparameters.noiseVariance)
        let residual = targets.map { $0 - hyperparameters.mean }
        let alpha = factor.solve(residual)
        var quadratic = 0.0
        for i in 0..<n { quadratic += residual[i] * alpha[i] }
        let value = -0.5 * quadratic - 0.5 * factor.logDeterminant - 0.5 * Double(n) * log(2 * Double.pi)

        // W = ααᵀ − K⁻¹; each term below is ½ Σᵢⱼ Wᵢⱼ ∂Kᵢⱼ/∂θ, using the symmetry of W.
        let inverse = factor.inverse
        var gradient = [Double](repeating: 0, count: d + 3)
        let inverseSquares = hyperparameters.lengthScales.map { 1 / ($0 * $0) }
        var outputScaleTerm = 0.0, noiseTerm = 0.0
        for i in 0..<n {
            let wDiagonal = alpha[i] * alpha[i] - inverse[i * n + i]
            outputScaleTerm += 0.5 * wDiagonal * hyperparameters.outputScale
            noiseTerm += 0.5 * wDiagonal * hyperparameters.noiseVariance
            for j in 0..<i {
                let w = alpha[i] * alpha[j] - inverse[i * n + j]
                outputScaleTerm += w * covariance[i * n + j]
                let weightedSlope = w * slopes[i * n + j]
                for k in 0..<d {
                    let difference = inputs[i][k] - inputs[j][k]
                    gradient[k] += weightedSlope * difference * difference * inverseSquares[k]
                }
            }
        }
        gradient[d] = outputScaleTerm
        gradient[d + 1] = noiseTerm
        gradient[d + 2] = alpha.reduce(0, +)
        return (value, gradient)
    }
}
