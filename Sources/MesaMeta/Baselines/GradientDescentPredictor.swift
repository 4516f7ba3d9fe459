import MesaCore

/// `N` steps of full-batch gradient descent from `w₀ = 0` on each prefix's mean squared error,
/// predicting `ŷᵢ = xᵢᵀ w_N`: the baseline von Oswald et al. (2023, "Transformers learn in-context
/// by gradient descent") match one linear self-attention layer against.
///
/// On the pairs `0..<i`, with `L(w) = (1/2i) Σ_j (wᵀx_j − y_j)²`:
///
/// ```
/// w_{t+1} = w_t − η ∇L(w_t) = w_t − (η/i) Σ_j (w_tᵀx_j − y_j) x_j
/// ```
///
/// One step from 0 gives `w₁ = (η/i) Σ_j y_j x_j`, η times ``AveragingPredictor``'s estimate. Each
/// prefix is its own run from 0. Cost `O(points · (d² + N d²))` per prompt (`Double`, sufficient
/// statistics updated incrementally); 64 prompts × 40 points with `d = 20` take about 1.5 ms for
/// `N = 1`, 7 ms for `N = 10` and 70 ms for `N = 100` in a release build. A learning rate above `2/λ_max(XᵀX/i)` diverges (the predictions
/// grow to infinity), which ``tuned(steps:on:candidates:)`` skips.
///
/// Regression batches only; `[batch, points]` out, 0 at `i = 0`.
public struct GradientDescentPredictor: InContextPredictor {
    /// The number of gradient steps `N ≥ 1`.
    public let steps: Int
    /// The step size `η > 0`.
    public let learningRate: Float

    public var name: String { "gradient descent (\(steps) step\(steps == 1 ? "" : "s"), η = \(learningRate))" }

    /// Creates the predictor.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` unless `steps ≥ 1` and `learningRate`
    ///   is positive and finite.
    public init(steps: Int, learningRate: Float) throws {
        guard steps >= 1 else { throw InContextError.invalidConfiguration("gradient descent: steps must be ≥ 1, got \(steps)") }
        guard learningRate > 0, learningRate.isFinite else {
            throw InContextError.invalidConfiguration("gradient descent: learningRate must be positive and finite, got \(learningRate)")
        }
        self.steps = steps
        self.learningRate = learningRate
    }

    /// `N` steps at the candidate learning rate with the least mean squared error over every
    /// prediction (all prefixes, all prompts) of `batches`: "N steps of GD at a tuned learning rate".
    ///
    /// Candidates whose predictions diverge (non-finite error) are skipped; ties go to the earlier
    /// candidate. Tune on batches other than those you report on.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for no batches, no candidates, an
    ///   invalid candidate or step count, or when every candidate diverges.
    public static func tuned(steps: Int, on batches: [TaskBatch], candidates: [Float]) throws -> GradientDescentPredictor {
        guard !batches.isEmpty, !candidates.isEmpty else {
            throw InContextError.invalidConfiguration("gradient descent: tuning needs at least one batch and one candidate learning rate")
        }
        var best: (predictor: GradientDescentPredictor, error: Double)?
        for candidate in candidates {
            let predictor = try GradientDescentPredictor(steps: steps, learningRate: candidate)
            var squaredError = 0.0, count = 0
            for batch in batches {
                let predictions = predictor.predictions(for: batch).scalars, targets = batch.targets.scalars
                for (prediction, target) in zip(predictions, targets) {
                    let difference = Double(prediction) - Double(target)
                    squaredError += difference * difference
                }
                count += targets.count
            }
            let error = squaredError / Double(Swift.max(count, 1))
            if error.isFinite, error < best?.error ?? .infinity { best = (predictor, error) }
        }
        guard let best else {
            throw InContextError.invalidConfiguration("gradient descent: every candidate learning rate \(candidates) diverged")
        }
        return best.predictor
    }

    public func predictions(for batch: TaskBatch) -> Tensor {
        batch.requireRegression(by: "GradientDescentPredictor")
        let (steps, eta) = (steps, Double(learningRate))
        return batch.predictionsPerPrompt(width: nil) { prompt in
            let d = prompt.dimension
            var gram = [Double](repeating: 0, count: d * d)      // Σ x_j x_jᵀ
            var moment = [Double](repeating: 0, count: d)        // Σ y_j x_j
            var result = [Double](repeating: 0, count: prompt.pointCount)
            var w = [Double](repeating: 0, count: d), gradient = w
            for i in 1..<Swift.max(prompt.pointCount, 1) {
                let j = i - 1
                prompt.accumulate(pair: j, gram: &gram, moment: &moment)
                let scale = eta / Double(i)
                for c in 0..<d { w[c] = 0 }
                for _ in 0..<steps {
                    // w ← w − (η/i)(Σ x xᵀ w − Σ y x); the gradient is read in full before w changes.
                    for r in 0..<d {
                        var sum = -moment[r]
                        for c in 0..<d { sum += gram[r * d + c] * w[c] }
                        gradient[r] = sum
                    }
                    for c in 0..<d { w[c] -= scale * gradient[c] }
                }
                result[i] = prompt.dot(i, w)
            }
            return result
        }
    }
}
