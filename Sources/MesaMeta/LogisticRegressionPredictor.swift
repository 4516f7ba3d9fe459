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
/// Solver: L-BFGS (Nocedal & Wright 2006, Algorithm 7.4; memory 10) with a backtracking Armijo line
/// search, in `Double`, stopping after ``iterations`` iterations or once every gradient entry is
/// below ``tolerance`` in size. Each prefix starts from the previous prefix's solution. Cost
/// `O(iterations · i · classCount · d)` per prefix; 64 prompts × 40 points with `d = 20` and
/// 5 classes take about 0.1–0.3 s in a release build, depending on `λ` (a smaller `λ` needs more
/// iterations).
///
/// Classification batches only; `[batch, points, classCount]` out, uniform at `i = 0`.
public struct LogisticRegressionPredictor: InContextPredictor {
    /// The L2 penalty `λ > 0`.
    public let penalty: Float
    /// The largest number of L-BFGS iterations per prefix.
    public let iterations: Int
    /// Stop once every entry of the gradient is at most this in absolute value.
    public let tolerance: Float

    public var name: String { "logistic regression (λ = \(penalty))" }

    /// Creates the predictor.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` unless `penalty` and `tolerance` are
    ///   positive and finite and `iterations ≥ 1`.
    public init(penalty: Float, iterations: Int = 100, tolerance: Float = 1e-6) throws {
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
    }

    public func predictions(for batch: TaskBatch) -> Tensor {
        let classCount = batch.requireClassification(by: "LogisticRegressionPredictor")
        return batch.predictionsPerPrompt(width: classCount) { prompt in
            let model = Model(prompt: prompt, classCount: classCount, penalty: Double(penalty))
            var parameters = [Double](repeating: 0, count: classCount * (prompt.dimension + 1))
            var result = [Double](repeating: 1 / Double(classCount), count: prompt.pointCount * classCount)
            for i in 1..<Swift.max(prompt.pointCount, 1) {
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
            let d = prompt.dimension
            var value = 0.0
            var gradient = parameters.map { penalty * $0 }
            var squaredNorm = 0.0
            for p in parameters { squaredNorm += p * p }
            let weight = 1 / Double(count)
            for j in 0..<count {
                let probabilities = self.probabilities(of: j, parameters)
                let label = prompt.label(j)
                value -= weight * log(Swift.max(probabilities[label], .leastNormalMagnitude))
                for c in 0..<classCount {
                    // ∂/∂z_jc = p_jc − [c = y_j], times x̃_j = (x_j, 1).
                    let residual = weight * (probabilities[c] - (c == label ? 1 : 0))
                    for k in 0..<d { gradient[c * (d + 1) + k] += residual * prompt.inputs[j * d + k] }
                    gradient[c * (d + 1) + d] += residual
                }
            }
            return (value + penalty / 2 * squaredNorm, gradient)
        }

        /// L-BFGS from `start` on pairs `0..<count`.
        func minimize(from start: [Double], count: Int, iterations: Int, tolerance: Double) -> [Double] {
            let memory = 10
            var x = start
            var (value, gradient) = evaluate(x, count: count)
            var steps: [[Double]] = [], changes: [[Double]] = [], curvatures: [Double] = []   // s, y, 1/(sᵀy)
            for _ in 0..<iterations {
                guard gradient.contains(where: { Swift.abs($0) > tolerance }) else { break }
                // Two-loop recursion: direction = −H g.
                var q = gradient
                var alphas = [Double](repeating: 0, count: steps.count)
                for m in stride(from: steps.count - 1, through: 0, by: -1) {
                    alphas[m] = curvatures[m] * dot(steps[m], q)
                    for k in q.indices { q[k] -= alphas[m] * changes[m][k] }
                }
                let scale = steps.isEmpty ? 1 / Swift.max(1, norm(gradient)) : dot(steps.last!, changes.last!) / dot(changes.last!, changes.last!)
                for k in q.indices { q[k] *= scale }
                for m in 0..<steps.count {
                    let beta = curvatures[m] * dot(changes[m], q)
                    for k in q.indices { q[k] += (alphas[m] - beta) * steps[m][k] }
                }
                var direction = q.map { -$0 }
                var slope = dot(gradient, direction)
                if !(slope < 0) {
                    // Not a descent direction (rounding): restart from steepest descent.
                    direction = gradient.map { -$0 / Swift.max(1, norm(gradient)) }
                    slope = dot(gradient, direction)
                    (steps, changes, curvatures) = ([], [], [])
                }
                // Backtracking until the Armijo condition f(x + t d) ≤ f(x) + 10⁻⁴ t gᵀd holds.
                var t = 1.0
                var candidate = x, next = (value: value, gradient: gradient)
                for _ in 0..<50 {
                    for k in x.indices { candidate[k] = x[k] + t * direction[k] }
                    next = evaluate(candidate, count: count)
                    if next.value <= value + 1e-4 * t * slope { break }
                    t /= 2
                }
                guard next.value <= value else { break }         // no progress possible at this precision
                let s = zip(candidate, x).map { $0 - $1 }, y = zip(next.gradient, gradient).map { $0 - $1 }
                let sy = dot(s, y)
                if sy > 1e-12 * dot(s, s) {                        // λ > 0 makes sᵀy ≥ λ‖s‖² in exact arithmetic
                    steps.append(s)
                    changes.append(y)
                    curvatures.append(1 / sy)
                    if steps.count > memory {
                        steps.removeFirst()
                        changes.removeFirst()
                        curvatures.removeFirst()
                    }
                }
                (x, value, gradient) = (candidate, next.value, next.gradient)
            }
            return x
        }

        private func dot(_ a: [Double], _ b: [Double]) -> Double {
            var sum = 0.0
            for k in a.indices { sum += a[k] * b[k] }
            return sum
        }

        private func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
    }
}
