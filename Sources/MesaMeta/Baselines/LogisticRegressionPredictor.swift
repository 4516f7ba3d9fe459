import Foundation
import MesaCore

/// Multinomial logistic regression with an L2 penalty, refitted on every prefix; outputs class
/// probabilities `softmax(W xᵢ + b)`.
///
/// On the pairs `0..<i`, with `z_j = W x_j + b` (`W` `[classCount, d]`, `b` `[classCount]`):
///
/// ```
/// (W, b) = argmin (1/i) Σ_j [log Σ_c exp(z_jc) − z_j,y_j] + (λ/2)(‖W‖² + ‖b‖²)
/// ```
///
/// The bias is penalised too, so the objective is strictly convex and bounded even when the
/// classes are separable or a class is missing (with one observed pair, the unpenalised optimum is
/// at infinity); the minimiser is unique.
///
/// Solver: L-BFGS (Nocedal & Wright 2006, §7.2; memory 10; Mesa's ``BoxConstrainedMinimizer`` without bounds),
/// in `Double`, stopping after ``iterations`` iterations, once every gradient entry is at most
/// ``tolerance`` in size, or when a step no longer lowers the objective. Each prefix starts from
/// the previous prefix's solution. Cost `O(iterations · i · classCount · d)` per prefix; a smaller
/// `λ` needs more iterations.
///
/// Classification batches only; `[batch, points, classCount]` out, uniform at `i = 0`.
public struct LogisticRegressionPredictor: InContextPredictor {
    /// The L2 penalty `λ > 0`.
    public let penalty: Float
    /// The largest number of L-BFGS iterations per prefix.
    public let iterations: Int
    /// Stop once every entry of the gradient is at most this in absolute value.
    public let tolerance: Float
    /// The prefix lengths (numbers of examples) to fit at, or `nil` for every prefix; at other
    /// positions the prediction stays uniform. Fitting only the lengths a report reads (say 10,
    /// 25, 50 and 99 of 100) is about 20 times cheaper than fitting all of them.
    public let prefixes: Set<Int>?

    public var name: String { "logistic regression (λ = \(penalty))" }

    /// Creates the predictor.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` unless `penalty` and `tolerance` are
    ///   positive and finite and `iterations ≥ 1`.
    public init(penalty: Float, iterations: Int = 100, tolerance: Float = 1e-6, prefixes: Set<Int>? = nil) throws {
        guard penalty > 0, penalty.isFinite else {
            throw InContextError.invalidConfiguration("logistic regression: penalty must be positive and finite, got \(penalty)")
        }
        guard iterations >= 1, tolerance > 0, tolerance.isFinite else {
            throw InContextError.invalidConfiguration(
                "logistic regression: needs iterations ≥ 1 and a positive tolerance, got \(iterations) and \(tolerance)")
        }
        self.penalty = penalty
        self.iterations = iterations
        self.tolerance = tolerance
        self.prefixes = prefixes
    }

    public func predictions(for batch: TaskBatch) -> Tensor {
        let classCount = batch.requireClassification(by: "LogisticRegressionPredictor")
        return batch.predictionsPerPrompt(width: classCount) { prompt in
            let model = Model(prompt: prompt, classCount: classCount, penalty: Double(penalty))
            var parameters = [Double](repeating: 0, count: classCount * (prompt.dimension + 1))
            var result = [Double](repeating: 1 / Double(classCount), count: prompt.pointCount * classCount)
            for i in 1..<Swift.max(prompt.pointCount, 1) where prefixes?.contains(i) ?? true {
                parameters = model.minimize(from: parameters, count: i, iterations: iterations, tolerance: Double(tolerance))
                let probabilities = model.probabilities(of: i, parameters)
                for c in 0..<classCount { result[i * classCount + c] = probabilities[c] }
            }
            return result
        }
    }

    /// The penalised cross-entropy of one prompt's prefixes. Parameters are row-major
    /// `[classCount, d + 1]`: row `c` holds `W_c` then `b_c`.
    struct Model {
        let prompt: PromptValues
        let classCount: Int
        let penalty: Double

        /// `softmax(W x_point + b)`.
        func probabilities(of point: Int, _ parameters: [Double]) -> [Double] {
            let d = prompt.dimension
            var scores = (0..<classCount).map { c in
                var z = parameters[c * (d + 1) + d]
                for k in 0..<d { z += parameters[c * (d + 1) + k] * prompt.inputs[point * d + k] }
                return z
            }
            let largest = scores.max() ?? 0
            var total = 0.0
            for c in 0..<classCount {
                scores[c] = exp(scores[c] - largest)
                total += scores[c]
            }
            return scores.map { $0 / total }
        }

        /// The objective on pairs `0..<count` and its gradient.
        func evaluate(_ parameters: [Double], count: Int) -> (value: Double, gradient: [Double]) {
            let (d, classes) = (prompt.dimension, classCount)
            let width = d + 1, weight = 1 / Double(count)
            var loss = 0.0, squaredNorm = 0.0
            var gradient = [Double](repeating: 0, count: parameters.count)
            var scores = [Double](repeating: 0, count: classes)
            // Unsafe buffers: this loop is the logistic baseline's whole cost, and array bounds checks
            // and per-point temporaries would double it.
            parameters.withUnsafeBufferPointer { theta in
                prompt.inputs.withUnsafeBufferPointer { inputs in
                    gradient.withUnsafeMutableBufferPointer { g in
                        scores.withUnsafeMutableBufferPointer { z in
                            for j in 0..<count {
                                let x = inputs.baseAddress! + j * d
                                var largest = -Double.infinity
                                for c in 0..<classes {
                                    var score = theta[c * width + d]
                                    for k in 0..<d { score += theta[c * width + k] * x[k] }
                                    z[c] = score
                                    largest = Swift.max(largest, score)
                                }
                                let label = prompt.label(j)
                                let labelScore = z[label]
                                var total = 0.0
                                for c in 0..<classes {
                                    z[c] = exp(z[c] - largest)
                                    total += z[c]
                                }
                                loss += weight * (largest + log(total) - labelScore)      // log Σ exp z − z_y
                                for c in 0..<classes {
                                    // ∂/∂z_jc = p_jc − [c = y_j], times x̃_j = (x_j, 1).
                                    let residual = weight * (z[c] / total - (c == label ? 1 : 0))
                                    for k in 0..<d { g[c * width + k] += residual * x[k] }
                                    g[c * width + d] += residual
                                }
                            }
                        }
                        for k in theta.indices {
                            g[k] += penalty * theta[k]
                            squaredNorm += theta[k] * theta[k]
                        }
                    }
                }
            }
            return (loss + penalty / 2 * squaredNorm, gradient)
        }

        /// L-BFGS from `start` on pairs `0..<count`: Mesa's one L-BFGS, ``BoxConstrainedMinimizer``,
        /// with no bounds, stopping once every gradient entry is at most `tolerance` in size, when a
        /// step no longer lowers the objective, or after `iterations` iterations.
        func minimize(from start: [Double], count: Int, iterations: Int, tolerance: Double) -> [Double] {
            let minimizer = BoxConstrainedMinimizer(memory: 10, maximumIterations: iterations, gradientTolerance: tolerance, relativeTolerance: 0)
            let unbounded = [Double](repeating: .infinity, count: start.count)
            return minimizer.minimize(from: start, lower: unbounded.map { -$0 }, upper: unbounded) { evaluate($0, count: count) }.point
        }
    }
}
