import Foundation
import MesaCore

/// The posterior mean of a zero-mean Gaussian process with a squared-exponential (RBF) kernel,
/// refitted on every prefix:
///
/// ```
/// k(x, x′) = s² exp(−‖x − x′‖² / 2ℓ²)
/// ŷᵢ = k*ᵀ (K + σ² I)⁻¹ y,   K_ab = k(x_a, x_b),  (k*)_a = k(x_a, xᵢ),  a, b < i
/// ```
///
/// (Rasmussen & Williams 2006, §2.2). It is the Bayes-optimal predictor for targets drawn
/// from that process with noise `σ`. With `σ = 0` a jitter of `10⁻¹⁰ s²` is added to the diagonal
/// in place of `σ²`, so the posterior mean still interpolates the observed targets (to about that
/// relative precision) and repeated inputs stay solvable.
///
/// The Cholesky factor of `K + σ²I` grows by one row per prefix, so a prompt of `n` points costs
/// `O(n² d + n³)` in `Double`; 64 prompts × 40 points with `d = 20` take about 4 ms in a release build.
///
/// Regression batches only; `[batch, points]` out, 0 (the prior mean) at `i = 0`.
public struct GaussianProcessPredictor: InContextPredictor {
    /// The length scale `ℓ > 0`.
    public let lengthScale: Float
    /// The signal variance `s² > 0` (the prior variance of each target).
    public let signalVariance: Float
    /// The observation noise standard deviation `σ ≥ 0`.
    public let noise: Float

    public var name: String { "Gaussian process (ℓ = \(lengthScale))" }

    /// The diagonal jitter, relative to `s²`, used in place of `σ²` when `σ = 0`.
    public static let relativeJitter: Double = 1e-10

    /// Creates the predictor.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` unless `ℓ > 0`, `s² > 0` and `σ ≥ 0`, all finite.
    public init(lengthScale: Float, signalVariance: Float = 1, noise: Float = 0) throws {
        guard lengthScale > 0, lengthScale.isFinite, signalVariance > 0, signalVariance.isFinite, noise >= 0, noise.isFinite else {
            throw InContextError.invalidConfiguration(
                "Gaussian process: needs lengthScale > 0, signalVariance > 0 and noise ≥ 0, got ℓ = \(lengthScale), s² = \(signalVariance), σ = \(noise)")
        }
        self.lengthScale = lengthScale
        self.signalVariance = signalVariance
        self.noise = noise
    }

    public func predictions(for batch: TaskBatch) -> Tensor {
        batch.requireRegression(by: "GaussianProcessPredictor")
        let variance = Double(signalVariance)
        let inverseTwoLengthSquared = 1 / (2 * Double(lengthScale) * Double(lengthScale))
        let diagonal = noise > 0 ? Double(noise) * Double(noise) : Self.relativeJitter * variance
        return batch.predictionsPerPrompt(width: nil) { prompt in
            var factor = CholeskyFactor(minimumPivot: 1e-3 * Self.relativeJitter * variance)
            var result = [Double](repeating: 0, count: prompt.pointCount)
            var kernelRow: [Double] = []                     // k(x_a, xᵢ) for a < i, then k(xᵢ, xᵢ) + σ²
            for i in 0..<prompt.pointCount {
                kernelRow = (0..<i).map { variance * exp(-prompt.squaredDistance($0, i) * inverseTwoLengthSquared) }
                if i > 0 {
                    let alpha = factor.solve(Array(prompt.targets[0..<i]))
                    var mean = 0.0
                    for a in 0..<i { mean += kernelRow[a] * alpha[a] }
                    result[i] = mean
                }
                // Point i joins the training set of the next prefix: its kernel row is k*.
                kernelRow.append(variance + diagonal)
                factor.append(row: kernelRow)
            }
            return result
        }
    }
}
