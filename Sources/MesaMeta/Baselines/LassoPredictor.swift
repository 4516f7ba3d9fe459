import MesaCore

/// The lasso refitted on every prefix by cyclic coordinate descent, predicting `ŷᵢ = xᵢᵀ ŵ` with
///
/// ```
/// ŵ = argmin_w (1/2i) ‖y − X w‖² + α ‖w‖₁        (pairs 0..<i)
/// ```
///
/// scikit-learn's `Lasso` objective, Garg et al. 2022's baseline for sparse linear regression
/// (Tibshirani 1996; coordinate descent as in Friedman, Hastie & Tibshirani 2010). Each sweep
/// sets every coordinate in turn to its exact minimiser,
/// `w_j ← S(c_j − Σ_{k≠j} G_jk w_k, α) / G_jj` with `G = XᵀX/i`, `c = Xᵀy/i` and the soft
/// threshold `S(z, α) = sign(z) max(|z| − α, 0)`; a coordinate whose input column is zero stays 0.
///
/// Each prefix starts from the previous prefix's solution (a warm start, which uses only earlier
/// pairs). Plain coordinate descent stalls for a small `α` when `i < d` (at `α = 0.001`, `d = 20`,
/// 1000 sweeps left KKT violations of up to 96% of `α`), so it is helped along by feature-sign steps
/// (Lee, Battle, Raina & Ng 2007, "Efficient sparse coding algorithms"): whenever a sweep leaves the
/// signs of `w` unchanged, every 8 sweeps, and when the sweeps stall, `w` jumps towards the
/// minimiser with its current signs fixed. The fit stops as soon as `w` satisfies the optimality
/// (KKT) conditions to a relative `10⁻⁹`, otherwise after ``iterations`` sweeps or once no
/// coordinate moved by more than ``tolerance`` in a sweep.
///
/// Cost `O(d²)` per sweep plus `O(|A|³)` per feature-sign step (`|A|` non-zeros), in `Double`.
/// Measured on 64 prompts × 40 points with `d = 20` in a release build (2 busy cores): about
/// 30 ms at `α = 0.1`, 80 ms at `α = 0.01`, 100 ms at `α = 0.001`, every prefix certified optimal.
///
/// Regression batches only; `[batch, points]` out, 0 at `i = 0`.
public struct LassoPredictor: InContextPredictor {
    /// The penalty `α > 0` on `‖w‖₁`.
    public let penalty: Float
    /// The largest number of coordinate-descent sweeps per prefix.
    public let iterations: Int
    /// Stop when no coordinate changed by more than this in a sweep.
    public let tolerance: Float

    public var name: String { "lasso (α = \(penalty))" }

    /// Creates the predictor.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` unless `penalty` and `tolerance` are
    ///   positive and finite and `iterations ≥ 1`.
    public init(penalty: Float, iterations: Int = 1000, tolerance: Float = 1e-7) throws {
        guard penalty > 0, penalty.isFinite else {
            throw InContextError.invalidConfiguration("lasso: penalty must be positive and finite, got \(penalty)")
        }
        guard iterations >= 1, tolerance > 0, tolerance.isFinite else {
            throw InContextError.invalidConfiguration("lasso: needs iterations ≥ 1 and a positive tolerance, got \(iterations) and \(tolerance)")
        }
        self.penalty = penalty
        self.iterations = iterations
        self.tolerance = tolerance
    }

    public func predictions(for batch: TaskBatch) -> Tensor {
        batch.requireRegression(by: "LassoPredictor")
        return batch.predictionsPerPrompt(width: nil) { prompt in
            weightsForEveryPrefix(of: prompt).enumerated().map { i, w in i == 0 ? 0 : prompt.dot(i, w) }
        }
    }

    /// The lasso solution on pairs `0..<i` for every `i` in `0..<pointCount` (zeros for `i = 0`).
    func weightsForEveryPrefix(of prompt: PromptValues) -> [[Double]] {
        let d = prompt.dimension
        let (alpha, tolerance) = (Double(penalty), Double(tolerance))
        var gram = [Double](repeating: 0, count: d * d)      // XᵀX (unnormalised)
        var moment = [Double](repeating: 0, count: d)        // Xᵀy
        var w = [Double](repeating: 0, count: d)
        var product = w                                      // XᵀX w, kept in step with w
        var result = [w]
        for i in 1..<Swift.max(prompt.pointCount, 1) {
            let j = i - 1
            prompt.accumulate(pair: j, gram: &gram, moment: &moment)
            for r in 0..<d {
                var sum = 0.0
                for c in 0..<d { sum += gram[r * d + c] * w[c] }
                product[r] = sum
            }
            // Multiplying the objective by i: (1/2)‖y − Xw‖² + iα‖w‖₁ with the unnormalised statistics.
            let threshold = alpha * Double(i)
            for sweep in 0..<iterations {
                var largestChange = 0.0, signsChanged = false
                for c in 0..<d {
                    let curvature = gram[c * d + c]
                    let old = w[c]
                    var new = 0.0
                    if curvature > 0 {
                        let z = moment[c] - product[c] + curvature * old
                        new = z > threshold ? (z - threshold) / curvature : z < -threshold ? (z + threshold) / curvature : 0
                    }
                    let change = new - old
                    guard change != 0 else { continue }
                    w[c] = new
                    for r in 0..<d { product[r] += change * gram[r * d + c] }
                    largestChange = Swift.max(largestChange, Swift.abs(change))
                    signsChanged = signsChanged || (old > 0) != (new > 0) || (old < 0) != (new < 0)
                }
                // When the signs settle, every few sweeps, and when descent stalls, jump to the best
                // point with the current signs; stop once that point is certified optimal.
                let stalled = largestChange <= tolerance
                guard stalled || !signsChanged || sweep % 8 == 7 else { continue }
                if Self.featureSignStep(&w, gram: gram, moment: moment, threshold: threshold) || stalled { break }
                for r in 0..<d {
                    var sum = 0.0
                    for c in 0..<d where w[c] != 0 { sum += gram[r * d + c] * w[c] }
                    product[r] = sum
                }
            }
            result.append(w)
        }
        return Array(result.prefix(prompt.pointCount))
    }

    /// Feature-sign steps (Lee, Battle, Raina & Ng 2007, "Efficient sparse coding algorithms",
    /// step 3), then an optimality check; returns whether `w` is now a lasso solution.
    ///
    /// On the raw-scale objective `F(w) = ½ wᵀGw − cᵀw + t‖w‖₁` (`G = XᵀX`, `c = Xᵀy`, `t = iα`),
    /// with `A` the non-zero coordinates of `w` and `s` their signs: solve
    /// `(G_AA + εI) v_A = c_A − t s_A` (the minimiser with those signs fixed; `ε = 10⁻¹² max G_jj`
    /// keeps a singular `G_AA`, with more non-zeros than pairs, solvable, and then `v` runs far along
    /// the null space), and move `w` to whichever of `v` and the points where the segment from `w`
    /// to `v` crosses zero in a coordinate has the lowest `F`, if that is lower than `F(w)`. A
    /// crossing zeroes that coordinate, and the step repeats on the smaller support until `v`
    /// itself is reached or nothing improves. Every move lowers `F`, so coordinate descent still
    /// converges, only faster.
    ///
    /// The check is the KKT conditions `c_j − (Gw)_j = t sign(w_j)` where `w_j ≠ 0` and
    /// `|c_j − (Gw)_j| ≤ t` where `w_j = 0`, to `10⁻⁹ (t + max|c|)` for rounding.
    static func featureSignStep(_ w: inout [Double], gram: [Double], moment: [Double], threshold: Double) -> Bool {
        let d = w.count
        for _ in 0...d {
            let active = (0..<d).filter { w[$0] != 0 }
            let a = active.count
            guard a > 0 else { break }
            var block = [Double](repeating: 0, count: a * a), right = [Double](repeating: 0, count: a)
            var largestDiagonal = 0.0
            for (row, r) in active.enumerated() {
                for (column, c) in active.enumerated() { block[row * a + column] = gram[r * d + c] }
                right[row] = moment[r] - threshold * (w[r] > 0 ? 1 : -1)
                largestDiagonal = Swift.max(largestDiagonal, gram[r * d + r])
            }
            let jitter = 1e-12 * largestDiagonal
            for row in 0..<a { block[row * a + row] += jitter }
            let target = CholeskyFactor(matrix: block, size: a, minimumPivot: jitter / 2).solve(right)
            let start = active.map { w[$0] }
            // F on the active coordinates (the others are 0 all along the segment).
            func objective(_ v: [Double]) -> Double {
                var value = 0.0
                for (row, r) in active.enumerated() where v[row] != 0 {
                    var gv = 0.0
                    for (column, c) in active.enumerated() { gv += gram[r * d + c] * v[column] }
                    value += v[row] * (0.5 * gv - moment[r]) + threshold * Swift.abs(v[row])
                }
                return value
            }
            var best = (point: start, value: objective(start), reachedTarget: false)
            var steps: [(t: Double, zeroed: Int?)] = [(1, nil)]
            for row in 0..<a where (start[row] > 0) != (target[row] > 0) || target[row] == 0 {
                steps.append((start[row] / (start[row] - target[row]), row))
            }
            for step in steps where step.t > 0 && step.t <= 1 {
                var point = zip(start, target).map { $0 + step.t * ($1 - $0) }
                if let zeroed = step.zeroed { point[zeroed] = 0 }
                let value = objective(point)
                if value < best.value { best = (point, value, step.zeroed == nil) }
            }
            guard best.point != start else { break }
            for (row, r) in active.enumerated() { w[r] = best.point[row] }
            if best.reachedTarget { break }
        }
        let slack = 1e-9 * (threshold + (moment.map(Swift.abs).max() ?? 0))
        for j in 0..<d {
            var gradient = moment[j]                          // c_j − (G w)_j
            for c in 0..<d where w[c] != 0 { gradient -= gram[j * d + c] * w[c] }
            let violation = w[j] == 0 ? Swift.abs(gradient) - threshold : Swift.abs(gradient - threshold * (w[j] > 0 ? 1 : -1))
            guard violation <= slack else { return false }
        }
        return true
    }
}
