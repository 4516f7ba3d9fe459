import MesaCore

/// Ridge regression refitted on every prefix: `ŵ = argmin_w ‖y − X w‖² + λ ‖w‖² = (XᵀX + λI)⁻¹ Xᵀ y`,
/// predicting `ŷᵢ = xᵢᵀ ŵ` from the pairs `0..<i`.
///
/// With `w ~ N(0, τ² I_d)` and noise `ε ~ N(0, σ²)`, `ŵ` at `λ = σ²/τ²` is the posterior mean of
/// `w`, so ``bayesOptimal(noise:weightScale:)`` is the Bayes-optimal predictor of noisy linear
/// regression (Garg et al. 2022, §3; Panwar et al. 2024). The penalty multiplies the *sum* of
/// squared errors (not their mean), as in that posterior.
///
/// Computed in `Double` by a Cholesky factorisation of the smaller of the two equal forms,
/// `(XᵀX + λI)⁻¹ Xᵀ y` (`d × d`, when `i ≥ d`) or `Xᵀ (XXᵀ + λI)⁻¹ y` (`i × i`, when `i < d`).
/// Cost per prompt: `O(points · min(points, d)³)`; a batch of 64 prompts × 40 points with
/// `d = 20` takes 3–6 ms in a release build (2 busy cores).
///
/// Regression batches only; `[batch, points]` out, 0 at `i = 0`.
public struct RidgePredictor: InContextPredictor {
    /// The penalty `λ ≥ 0` on `‖w‖²` (`0`: minimum-norm least squares, ``LeastSquaresPredictor``).
    public let penalty: Float

    public var name: String { "ridge (λ = \(penalty))" }

    /// Creates the predictor.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for a negative or non-finite penalty.
    public init(penalty: Float) throws {
        guard penalty >= 0, penalty.isFinite else {
            throw InContextError.invalidConfiguration("ridge: penalty must be finite and ≥ 0, got \(penalty)")
        }
        self.penalty = penalty
    }

    /// The posterior mean under `w ~ N(0, τ² I)` and Gaussian noise `σ`: ridge with `λ = σ²/τ²`.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for `σ < 0` or `τ ≤ 0` (or non-finite values).
    public static func bayesOptimal(noise: Float, weightScale: Float = 1) throws -> RidgePredictor {
        guard noise >= 0, noise.isFinite, weightScale > 0, weightScale.isFinite else {
            throw InContextError.invalidConfiguration("ridge: needs noise σ ≥ 0 and weightScale τ > 0, got σ = \(noise), τ = \(weightScale)")
        }
        let ratio = Double(noise) / Double(weightScale)
        return try RidgePredictor(penalty: Float(ratio * ratio))
    }

    public func predictions(for batch: TaskBatch) -> Tensor {
        batch.requireRegression(by: "RidgePredictor")
        let penalty = Double(penalty)
        return batch.predictionsPerPrompt(width: nil) { Self.predictions(for: $0, penalty: penalty) }
    }

    /// The relative jitter that stands in for `λ = 0`: `δ = 10⁻¹⁰ · trace(XᵀX) / min(i, d)`, a
    /// ten-billionth of the Gram matrix's mean eigenvalue. It keeps rank-deficient prefixes
    /// (`i < d`, repeated inputs, the zero columns of a curriculum) solvable and, on them, gives the
    /// minimum-norm solution up to a relative error of about `δ / σ_min²`.
    static let relativeJitter = 1e-10

    /// Ridge predictions for every prefix of one prompt (`penalty = 0`: minimum-norm least squares).
    static func predictions(for prompt: PromptValues, penalty: Double) -> [Double] {
        let (points, d) = (prompt.pointCount, prompt.dimension)
        var gram = [Double](repeating: 0, count: d * d)      // XᵀX over the pairs so far
        var moment = [Double](repeating: 0, count: d)        // Xᵀy
        var trace = 0.0
        var result = [Double](repeating: 0, count: points)
        for i in 0..<points {
            if i > 0 {
                // Add pair i − 1 to the sufficient statistics.
                let j = i - 1
                for r in 0..<d {
                    let xr = prompt.inputs[j * d + r]
                    moment[r] += xr * prompt.targets[j]
                    for c in 0..<d { gram[r * d + c] += xr * prompt.inputs[j * d + c] }
                }
                trace += prompt.dot(j, j)
            }
            guard i > 0, trace > 0 else { continue }                // no information yet: predict 0
            let ridge = penalty > 0 ? penalty : relativeJitter * trace / Double(Swift.min(i, d))
            if i < d {
                // Kernel form: ŷ = kᵀ (XXᵀ + λI)⁻¹ y with k_j = x_jᵀ xᵢ.
                var kernel = [Double](repeating: 0, count: i * i)
                for a in 0..<i {
                    for b in 0...a { kernel[a * i + b] = prompt.dot(a, b) }
                    kernel[a * i + a] += ridge
                }
                let factor = CholeskyFactor(matrix: kernel, size: i, minimumPivot: ridge / 2)
                let alpha = factor.solve(Array(prompt.targets[0..<i]))
                var sum = 0.0
                for j in 0..<i { sum += alpha[j] * prompt.dot(j, i) }
                result[i] = sum
            } else {
                var regularized = gram
                for r in 0..<d { regularized[r * d + r] += ridge }
                let factor = CholeskyFactor(matrix: regularized, size: d, minimumPivot: ridge / 2)
                result[i] = prompt.dot(i, factor.solve(moment))
            }
        }
        return result
    }
}
