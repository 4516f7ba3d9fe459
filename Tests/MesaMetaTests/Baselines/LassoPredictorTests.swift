import MesaCore
@testable import MesaMeta
import XCTest

final class LassoPredictorTests: XCTestCase {
    /// The prompt of `task` in `Double`.
    func prompt(_ batch: TaskBatch, task: Int) -> PromptValues {
        PromptValues(inputs: batch.inputs.slice(alongAxis: 0, from: task, to: task + 1).scalars.map(Double.init),
                     targets: batch.targets.slice(alongAxis: 0, from: task, to: task + 1).scalars.map(Double.init),
                     pointCount: batch.pointCount, dimension: batch.inputDimension)
    }

    /// Checks the KKT conditions of (1/2i)‖y − Xw‖² + α‖w‖₁ at every prefix's solution, with
    /// g = (1/i) Xᵀ(y − Xw): g_j = α sign(w_j) where w_j ≠ 0, |g_j| ≤ α where w_j = 0, to
    /// `accuracy`; and that prediction i is xᵢᵀw. Returns the counts of (zero, non-zero) coordinates.
    @discardableResult
    func checkOptimality(_ lasso: LassoPredictor, on batch: TaskBatch, accuracy: Double) -> (zero: Int, active: Int) {
        let alpha = Double(lasso.penalty), d = batch.inputDimension
        let predictions = lasso.predictions(for: batch)
        var counts = (zero: 0, active: 0)
        for task in 0..<batch.batchSize {
            let prompt = prompt(batch, task: task)
            let weights = lasso.weightsForEveryPrefix(of: prompt)
            XCTAssertEqual(weights.count, batch.pointCount)
            XCTAssertEqual(weights[0], [Double](repeating: 0, count: d))
            for i in 1..<batch.pointCount {
                let w = weights[i]
                let residuals = (0..<i).map { prompt.targets[$0] - prompt.dot($0, w) }
                for j in 0..<d {
                    let g = (0..<i).reduce(0.0) { $0 + residuals[$1] * prompt.inputs[$1 * d + j] } / Double(i)
                    if w[j] != 0 {
                        XCTAssertEqual(g, alpha * (w[j] > 0 ? 1 : -1), accuracy: accuracy, "task \(task), prefix \(i), coordinate \(j)")
                        counts.active += 1
                    } else {
                        XCTAssertLessThanOrEqual(abs(g), alpha + accuracy, "task \(task), prefix \(i), coordinate \(j)")
                        counts.zero += 1
                    }
                }
                XCTAssertEqual(Double(predictions[task, i]), prompt.dot(i, w), accuracy: 1e-5 * max(1, abs(prompt.dot(i, w))))
            }
        }
        return counts
    }

    /// Tolerance 1e-7: every prefix ends certified optimal (to 1e-9 relative, see the solver).
    func testSolutionsSatisfyTheKKTConditions() throws {
        let batch = try TaskBatch.sparse(tasks: 2, points: 16, dimension: 6, nonZeroCount: 2, seed: 6)
        let counts = checkOptimality(try LassoPredictor(penalty: 0.1), on: batch, accuracy: 1e-7)
        XCTAssertGreaterThan(counts.zero, 0, "the test should exercise both conditions")
        XCTAssertGreaterThan(counts.active, 0)
    }

    /// A small α with fewer pairs than dimensions, where plain coordinate descent stalls: the
    /// solutions are still optimal (to 1e-7), with at most i non-zeros.
    func testSmallPenaltyBelowTheDimensionIsSolved() throws {
        let batch = try TaskBatch.sparse(tasks: 2, points: 10, dimension: 12, nonZeroCount: 3, seed: 8)
        let lasso = try LassoPredictor(penalty: 1e-3)
        checkOptimality(lasso, on: batch, accuracy: 1e-7)
        for task in 0..<2 {
            for (i, w) in lasso.weightsForEveryPrefix(of: prompt(batch, task: task)).enumerated() {
                XCTAssertLessThanOrEqual(w.filter { $0 != 0 }.count, i, "prefix \(i)")
            }
        }
    }

    /// α ≥ max_j |(1/i) Xᵀy|_j makes w = 0: the prediction is 0.
    func testALargePenaltyPredictsZero() throws {
        let batch = try TaskBatch.linear(tasks: 2, points: 6, dimension: 3, seed: 7)
        XCTAssertEqual(try LassoPredictor(penalty: 1e4).predictions(for: batch).scalars, [Float](repeating: 0, count: 12))
    }
}
