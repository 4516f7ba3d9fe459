import MesaCore

/// Minimum-norm least squares refitted on every prefix: `ŵ = X⁺ y` (the pseudo-inverse), predicting
/// `ŷᵢ = xᵢᵀ ŵ` from the pairs `0..<i`.
///
/// When `i ≥ d` (and `X` has full column rank) `ŵ = (XᵀX)⁻¹ Xᵀ y` recovers a noise-free `w` exactly;
/// when `i < d` it is the interpolant of smallest norm, `ŵ = Xᵀ (XXᵀ)⁻¹ y`. It is the Bayes-optimal
/// predictor of noise-free dense linear regression under an isotropic Gaussian prior (Garg et al.
/// 2022, §3, their "least squares" curve).
///
/// Computed as ``RidgePredictor`` with `λ → 0`: a relative jitter of `10⁻¹⁰` times the Gram
/// matrix's mean eigenvalue keeps rank-deficient prefixes solvable and gives the minimum-norm
/// solution to about that relative precision (zero input columns, as in a curriculum, get exactly
/// zero weight). `O(points · min(points, d)³)` per prompt in `Double`; 3–6 ms for 64 prompts ×
/// 40 points with `d = 20` (release build, 2 busy cores).
///
/// Regression batches only; `[batch, points]` out, 0 at `i = 0`.
public struct LeastSquaresPredictor: InContextPredictor {
    public var name: String { "least squares" }

    /// Creates the predictor (it has no hyperparameters).
    public init() {}

    public func predictions(for batch: TaskBatch) -> Tensor {
        batch.requireRegression(by: "LeastSquaresPredictor")
        return batch.predictionsPerPrompt(width: nil) { RidgePredictor.predictions(for: $0, penalty: 0) }
    }
}
