import MesaCore

/// Garg et al.'s averaging estimator: `ŵ = (1/i) Σ_{j<i} y_j x_j`, predicting `ŷᵢ = xᵢᵀ ŵ`.
///
/// For `x ~ N(0, I)` it is an unbiased estimate of `w` (`E[y x] = w`) that ignores the correlations
/// among the inputs: one step of gradient descent from 0 with learning rate 1 on the mean squared
/// error (Garg et al. 2022). `O(points · d)` per prompt.
///
/// Regression batches only; `[batch, points]` out, 0 at `i = 0`.
public struct AveragingPredictor: InContextPredictor {
    public var name: String { "averaging" }

    /// Creates the predictor (it has no hyperparameters).
    public init() {}

    public func predictions(for batch: TaskBatch) -> Tensor {
        batch.requireRegression(by: "AveragingPredictor")
        return batch.predictionsPerPrompt(width: nil) { prompt in
            let d = prompt.dimension
            var sum = [Double](repeating: 0, count: d)           // Σ_{j<i} y_j x_j
            var result = [Double](repeating: 0, count: prompt.pointCount)
            for i in 0..<prompt.pointCount {
                if i > 0 {
                    for c in 0..<d { sum[c] += prompt.targets[i - 1] * prompt.inputs[(i - 1) * d + c] }
                    result[i] = prompt.dot(i, sum) / Double(i)
                }
            }
            return result
        }
    }
}
