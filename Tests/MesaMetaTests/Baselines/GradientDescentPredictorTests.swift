import MesaCore
@testable import MesaMeta
import XCTest

final class GradientDescentPredictorTests: XCTestCase {
    /// One step from 0: w₁ = (η/i) Σ y_j x_j, η times the averaging estimator. Tolerance 1e-5.
    func testOneStepEqualsItsFormula() throws {
        let batch = try TaskBatch.linear(tasks: 3, points: 10, dimension: 4, noise: 0.1, seed: 8)
        let gd = try GradientDescentPredictor(steps: 1, learningRate: 0.3).predictions(for: batch)
        let averaging = AveragingPredictor().predictions(for: batch)
        XCTAssertEqual(gd.scalars.count, averaging.scalars.count, "paired lengths")
        for (a, b) in zip(gd.scalars, averaging.scalars) { XCTAssertEqual(a, 0.3 * b, accuracy: 1e-5 * max(1, abs(b))) }
    }

    /// Two steps on a hand example: x₀ = (1, 0), y₀ = 2; x₁ = (0, 2), y₁ = 2; query (1, 1); η = 0.5, i = 2.
    /// ∇L(w) = (1/2)(XᵀX w − Xᵀy), XᵀX = diag(1, 4), Xᵀy = (2, 4).
    /// w₁ = 0.5 · (1/2)(2, 4) = (0.5, 1); ∇L(w₁) = (1/2)((0.5, 4) − (2, 4)) = (−0.75, 0);
    /// w₂ = (0.875, 1); ŷ = 1.875.
    func testTwoStepsOnAHandExample() throws {
        let batch = TaskBatch.fixture(inputs: [[[1, 0], [0, 2], [1, 1]]], targets: [[2, 2, 0]])
        XCTAssertEqual(try GradientDescentPredictor(steps: 2, learningRate: 0.5).predictions(for: batch)[0, 2], 1.875, accuracy: 1e-6)
    }

    /// The tuned learning rate is the candidate with the least mean squared error over the
    /// batches; a candidate whose predictions overflow is skipped.
    func testTunedPicksTheBestCandidate() throws {
        let batches = try (0..<2).map { try TaskBatch.linear(tasks: 8, points: 12, dimension: 5, noise: 0.1, seed: 10 + UInt64($0)) }
        let candidates: [Float] = [0.01, 0.1, 0.4, 1, 1e6]
        let errors = try candidates.map { eta -> Double in
            let predictor = try GradientDescentPredictor(steps: 20, learningRate: eta)
            let pairs = batches.flatMap { zip(predictor.predictions(for: $0).scalars, $0.targets.scalars) }
            return pairs.reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(pairs.count)
        }
        XCTAssertFalse(errors.last!.isFinite, "η = 10⁶ should overflow in this test")
        let best = errors.indices.filter { errors[$0].isFinite }.min { errors[$0] < errors[$1] }!
        let tuned = try GradientDescentPredictor.tuned(steps: 20, on: batches, candidates: candidates)
        XCTAssertEqual(tuned.learningRate, candidates[best])
        XCTAssertEqual(tuned.steps, 20)
        XCTAssertThrowsError(try GradientDescentPredictor.tuned(steps: 3, on: batches, candidates: []))
        XCTAssertThrowsError(try GradientDescentPredictor.tuned(steps: 3, on: [], candidates: [0.1]))
        XCTAssertThrowsError(try GradientDescentPredictor.tuned(steps: 20, on: batches, candidates: [1e6]))
    }
}
