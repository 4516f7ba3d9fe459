import Foundation
import MesaCore

/// The central comparison of von Oswald et al. 2023 ("Transformers Learn In-Context by Gradient
/// Descent", Fig. 2): the loss of a trained linear self-attention model next to `k` steps of
/// gradient descent with a tuned learning rate, and the zero predictor.
///
/// Each task is a prompt of `N` context points `(x_i, y_i)` and queries after them (one query in
/// the evaluation set). `k` steps of gradient descent from `w₀ = 0` on the in-context loss
///
/// ```
/// L(w) = (1/2N) Σ_{i<N} (wᵀx_i − y_i)²,   w_{j+1} = w_j − η ∇L(w_j) = w_j + (η/N) Σ_i (y_i − w_jᵀx_i) x_i
/// ```
///
/// predict `ŷ = w_kᵀ x_q`. Every model is scored by half the mean squared error over the queries,
/// `½·mean (ŷ − y)²`, the paper's loss (zero prediction scores `½·E[y²] = ½·d·E[x²]`, `0.4167` for
/// `d = 10`, `x ~ U(−0.5, 0.5)`).
///
/// The learning rate is tuned on a separate, seeded tuning set (never the evaluation set): a
/// log-spaced grid `η = 10^{−2}, 10^{−1.9}, …, 10^{3}`, then a golden-section search for the
/// minimum of `log η ↦ ½·MSE` between the best grid point's neighbours. Gradient descent runs in
/// `Double`.
///
/// ```swift
/// let tasks = try LinearRegressionTasks(inputDimension: 10, inputs: .uniform(low: -0.5, high: 0.5))
/// let comparison = try GradientDescentComparison(tasks: tasks, contextCount: 10, stepCount: 1)
/// print(comparison.run(learner: trainedLearner))   // η, ½·MSE of zero, k GD steps, the learner
/// ```
public struct GradientDescentComparison: Sendable {
    /// The number `N` of context points per task.
    public let contextCount: Int
    /// The number `k` of gradient descent steps (the paper compares `k` steps with `k` layers).
    public let stepCount: Int
    /// The evaluation tasks: `N + 1` points each, the last one the query.
    public let evaluationSet: TaskBatch
    /// The tasks on which `η` is tuned, drawn like ``evaluationSet`` from an independent seed.
    public let tuningSet: TaskBatch

    /// The comparison's numbers.
    public struct Result: Sendable, Codable, Equatable, CustomStringConvertible {
        /// The tuned learning rate `η` of gradient descent.
        public var learningRate: Double
        /// `½·MSE` of predicting `0`.
        public var zeroPrediction: Double
        /// `½·MSE` of `k` gradient descent steps with the tuned `η`.
        public var gradientDescent: Double
        /// `½·MSE` of the learner, if one was given.
        public var learner: Double?

        /// One line: the three losses and the tuned `η`.
        public var description: String {
            let learnerText = learner.map { String(format: ", learner %.4f", $0) } ?? ""
            return String(format: "½·MSE: zero %.4f, gradient descent (η = %.4g) %.4f", zeroPrediction, learningRate, gradientDescent) + learnerText
        }
    }

    /// Draws the evaluation and tuning sets.
    ///
    /// - Parameters:
    ///   - tasks: a regression task distribution (the paper: ``LinearRegressionTasks`` with
    ///     `d = 10`, `x ~ U(−0.5, 0.5)`, no noise).
    ///   - contextCount: `N`; stepCount: `k`.
    ///   - evaluationTaskCount, tuningTaskCount: tasks in each set, one query per task.
    ///   - seed: seeds both sets (independently of each other).
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for classification tasks or non-positive counts.
    public init(tasks: any TaskDistribution, contextCount: Int, stepCount: Int, evaluationTaskCount: Int = 2000,
                tuningTaskCount: Int = 2000, seed: UInt64 = 0) throws {
        guard !tasks.kind.isClassification else {
            throw InContextError.invalidConfiguration("gradient descent comparison: needs regression tasks, got \(tasks.kind)")
        }
        guard contextCount > 0, stepCount > 0, evaluationTaskCount > 0, tuningTaskCount > 0 else {
            throw InContextError.invalidConfiguration("gradient descent comparison: counts must be positive (N \(contextCount), k \(stepCount), tasks \(evaluationTaskCount)/\(tuningTaskCount))")
        }
        self.contextCount = contextCount
        self.stepCount = stepCount
        var generator = RandomGenerator(seed: seed)
        var evaluationGenerator = generator.split(), tuningGenerator = generator.split()
        evaluationSet = tasks.sample(batchSize: evaluationTaskCount, pointCount: contextCount + 1, using: &evaluationGenerator)
        tuningSet = tasks.sample(batchSize: tuningTaskCount, pointCount: contextCount + 1, using: &tuningGenerator)
    }

    /// Predictions of `steps` gradient descent steps (learning rate `η`, from `w₀ = 0`) on the
    /// first `contextCount` points of every task, for each later point: `[batch · (points − N)]`,
    /// task-major.
    public static func gradientDescentPredictions(on batch: TaskBatch, contextCount n: Int, learningRate η: Double, steps: Int) -> [Double] {
        precondition(n > 0 && n < batch.pointCount, "gradientDescentPredictions: contextCount \(n) must be in 1..<\(batch.pointCount)")
        let (d, points) = (batch.inputDimension, batch.pointCount)
        let x = batch.inputs.scalars.map(Double.init), y = batch.targets.scalars.map(Double.init)
        var predictions: [Double] = []
        predictions.reserveCapacity(batch.batchSize * (points - n))
        var w = [Double](repeating: 0, count: d), step = [Double](repeating: 0, count: d)
        for task in 0..<batch.batchSize {
            let xs = task * points * d, ys = task * points
            for j in 0..<d { w[j] = 0 }
            for _ in 0..<steps {
                for j in 0..<d { step[j] = 0 }
                for i in 0..<n {
                    var residual = y[ys + i]                                                  // r_i = y_i − wᵀx_i
                    for j in 0..<d { residual -= w[j] * x[xs + i * d + j] }
                    for j in 0..<d { step[j] += residual * x[xs + i * d + j] }
                }
                for j in 0..<d { w[j] += η / Double(n) * step[j] }
            }
            for query in n..<points {
                var prediction = 0.0
                for j in 0..<d { prediction += w[j] * x[xs + query * d + j] }
                predictions.append(prediction)
            }
        }
        return predictions
    }

    /// `½·mean (ŷ − y)²` of `predictions` against the targets after the first `contextCount` points of `batch`.
    public static func halfMeanSquaredError(_ predictions: [Double], on batch: TaskBatch, contextCount n: Int) -> Double {
        let points = batch.pointCount
        let targets = batch.targets.scalars
        precondition(predictions.count == batch.batchSize * (points - n), "halfMeanSquaredError: \(predictions.count) predictions for \(batch.batchSize * (points - n)) queries")
        var total = 0.0, index = 0
        for task in 0..<batch.batchSize {
            for query in n..<points {
                let error = predictions[index] - Double(targets[task * points + query])
                total += error * error
                index += 1
            }
        }
        return 0.5 * total / Double(max(predictions.count, 1))
    }

    /// `½·MSE` of `stepCount` gradient descent steps with learning rate `η` on `batch` (the evaluation set by default).
    public func gradientDescentLoss(learningRate η: Double, on batch: TaskBatch? = nil) -> Double {
        let batch = batch ?? evaluationSet
        let predictions = Self.gradientDescentPredictions(on: batch, contextCount: contextCount, learningRate: η, steps: stepCount)
        return Self.halfMeanSquaredError(predictions, on: batch, contextCount: contextCount)
    }

    /// The learning rate minimising ``gradientDescentLoss(learningRate:on:)`` on the tuning set
    /// (log-spaced grid over `[10⁻², 10³]`, then golden-section search in `log η`).
    public func tunedLearningRate() -> Double {
        func loss(_ logRate: Double) -> Double {
            let value = gradientDescentLoss(learningRate: Foundation.exp(logRate), on: tuningSet)
            return value.isFinite ? value : .infinity
        }
        let grid = (0...50).map { Foundation.log(10) * (-2 + Double($0) / 10) }
        let values = grid.map(loss)
        let best = values.indices.min { values[$0] < values[$1] } ?? 0
        var (low, high) = (grid[max(best - 1, 0)], grid[min(best + 1, grid.count - 1)])
        let ratio = (5.0.squareRoot() - 1) / 2
        var (a, b) = (high - ratio * (high - low), low + ratio * (high - low))
        var (lossA, lossB) = (loss(a), loss(b))
        for _ in 0..<40 {
            if lossA < lossB {
                (high, b, lossB) = (b, a, lossA)
                a = high - ratio * (high - low)
                lossA = loss(a)
            } else {
                (low, a, lossA) = (a, b, lossB)
                b = low + ratio * (high - low)
                lossB = loss(b)
            }
        }
        let refined = lossA < lossB ? a : b
        return Foundation.exp(min(lossA, lossB) <= values[best] ? refined : grid[best])
    }

    /// `½·MSE` of predicting `0` on the evaluation set (`½·mean y_q²`).
    public func zeroPredictionLoss() -> Double {
        Self.halfMeanSquaredError([Double](repeating: 0, count: evaluationSet.batchSize), on: evaluationSet, contextCount: contextCount)
    }

    /// `½·MSE` of `predictor` on the evaluation set, scoring its prediction for the last point
    /// (the query, predicted from the `N` points before it). A ``LinearSelfAttentionLearner``
    /// must use prefix scoring or a fixed context of exactly `N` points.
    public func loss(of predictor: some InContextPredictor) -> Double {
        if let learner = predictor as? LinearSelfAttentionLearner, let count = learner.contextCount {
            precondition(count == contextCount, "GradientDescentComparison: the learner's context has \(count) points, the comparison's \(contextCount)")
        }
        let predictions = predictor.predictions(for: evaluationSet)                               // [tasks, N + 1]
        let query = predictions.slice(alongAxis: 1, from: contextCount, to: contextCount + 1).scalars
        return Self.halfMeanSquaredError(query.map(Double.init), on: evaluationSet, contextCount: contextCount)
    }

    /// Tunes `η` and reports the `½·MSE` of the zero predictor, of `k` tuned gradient descent
    /// steps and, if given, of `learner`, all on the evaluation set.
    public func run(learner: (any InContextPredictor)? = nil) -> Result {
        let η = tunedLearningRate()
        return Result(learningRate: η, zeroPrediction: zeroPredictionLoss(), gradientDescent: gradientDescentLoss(learningRate: η),
                      learner: learner.map { loss(of: $0) })
    }
}
