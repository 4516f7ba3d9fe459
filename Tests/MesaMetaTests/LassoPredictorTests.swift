import MesaCore
@testable import MesaMeta
import XCTest

final class LassoPredictorTests: XCTestCase {
    /// The KKT conditions of (1/2i)‖y − Xw‖² + α‖w‖₁ at every prefix's solution, with
    /// g = (1/i) Xᵀ(y − Xw): g_j = α sign(w_j) where w_j ≠ 0, |g_j| ≤ α where w_j = 0.
    /// Tolerance 1e-5 (the solver stops when no coordinate moves by more than 1e-9).
    func testSolutionsSatisfyTheKKTConditions() throws {
        let d = 6, alpha = 0.1
        let batch = try TaskBatch.sparse(tasks: 2, points: 16, dimension: d, nonZeroCount: 2, seed: 6)
        let lasso = try LassoPredictor(penalty: Float(alpha), tolerance: 1e-9)
        let predictions = lasso.predictions(for: batch)
        var zeroCoordinates = 0, activeCoordinates = 0
        for task in 0..<2 {
            let prompt = PromptValues(inputs: batch.inputs.slice(alongAxis: 0, from: task, to: task + 1).scalars.map(Double.init),
                                      targets: batch.targets.slice(alongAxis: 0, from: task, to: task + 1).scalars.map(Double.init),
                                      pointCount: 16, dimension: d)
            let weights = lasso.weightsForEveryPrefix(of: prompt)
            XCTAssertEqual(weights.count, 16)
            XCTAssertEqual(weights[0], [Double](repeating: 0, count: d))
            for i in 1..<16 {
                let w = weights[i]
                let residuals = (0..<i).map { prompt.targets[$0] - prompt.dot($0, w) }
                for j in 0..<d {
                    let g = (0..<i).reduce(0.0) { $0 + residuals[$1] * prompt.inputs[$1 * d + j] } / Double(i)
                    if w[j] != 0 {
                        XCTAssertEqual(g, alpha * (w[j] > 0 ? 1 : -1), accuracy: 1e-5, "task \(task), prefix \(i), coordinate \(j)")
                        activeCoordinates += 1
                    } else {
                        XCTAssertLessThanOrEqual(abs(g), alpha + 1e-5, "task \(task), prefix \(i), coordinate \(j)")
                        zeroCoordinates += 1
                    }
                }
                XCTAssertEqual(Double(predictions[task, i]), prompt.dot(i, w), accuracy: 1e-5)
            }
        }
        XCTAssertGreaterThan(zeroCoordinates, 0, "the test should exercise both conditions")
        XCTAssertGreaterThan(activeCoordinates, 0)
    }

    /// α ≥ max_j |(1/i) Xᵀy|_j makes w = 0: the prediction is 0.
    func testALargePenaltyPredictsZero() throws {
        let batch = try TaskBatch.linear(tasks: 2, points: 6, dimension: 3, seed: 7)
        XCTAssertEqual(try LassoPredictor(penalty: 1e4).predictions(for: batch).scalars, [Float](repeating: 0, count: 12))
    }
}
