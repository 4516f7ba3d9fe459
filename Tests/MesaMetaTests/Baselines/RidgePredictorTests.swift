import MesaCore
@testable import MesaMeta
import XCTest

final class RidgePredictorTests: XCTestCase {
    /// x₀ = (1, 0), y₀ = 1; x₁ = (1, 1), y₁ = 2; x₂ = (0, 1); λ = 1.
    /// Prefix 1: w = (x₀x₀ᵀ + I)⁻¹ x₀y₀ = (1/2, 0), ŷ₁ = 1/2.
    /// Prefix 2: XᵀX + I = [[3, 1], [1, 2]], Xᵀy = (3, 2), w = (0.8, 0.6), ŷ₂ = 0.6.
    func testMatchesTheClosedFormOnAHandExample() throws {
        let batch = TaskBatch.fixture(inputs: [[[1, 0], [1, 1], [0, 1]]], targets: [[1, 2, 7]])
        let predictions = try RidgePredictor(penalty: 1).predictions(for: batch)
        XCTAssertEqual(predictions.shape, [1, 3])
        XCTAssertEqual(predictions[0, 0], 0)
        XCTAssertEqual(predictions[0, 1], 0.5, accuracy: 1e-6)
        XCTAssertEqual(predictions[0, 2], 0.6, accuracy: 1e-6)
    }

    /// Both forms (kernel for i < d, primal for i ≥ d) agree with Tensor.solve on random data.
    /// Tolerance 1e-3 relative (Tensor.solve works in Float at the edges).
    func testMatchesTensorSolveOnRandomData() throws {
        let d = 4
        let batch = try TaskBatch.linear(tasks: 1, points: 9, dimension: d, noise: 0.5, seed: 4)
        let predictions = try RidgePredictor(penalty: 0.3).predictions(for: batch)
        for i in 1..<9 {
            let x = batch.inputs.slice(alongAxis: 1, from: 0, to: i).reshaped(to: [i, d])
            let y = batch.targets.slice(alongAxis: 1, from: 0, to: i).reshaped(to: [i])
            let w = Tensor.solve(x.transposed().matmul(x) + Tensor.eye(d) * 0.3, x.transposed().matmul(y))
            let expected = batch.inputs.slice(alongAxis: 1, from: i, to: i + 1).reshaped(to: [d]).matmul(w).scalar
            XCTAssertEqual(predictions[0, i], expected, accuracy: 1e-3 * max(1, abs(expected)), "prefix \(i)")
        }
    }

    func testBayesOptimalPenaltyIsNoiseOverPriorVariance() throws {
        XCTAssertEqual(try RidgePredictor.bayesOptimal(noise: 0.5, weightScale: 2).penalty, 0.0625, accuracy: 1e-9)
        XCTAssertEqual(try RidgePredictor.bayesOptimal(noise: 0).penalty, 0)
        XCTAssertThrowsError(try RidgePredictor.bayesOptimal(noise: -1))
        XCTAssertThrowsError(try RidgePredictor.bayesOptimal(noise: 1, weightScale: 0))
    }

    /// λ = 0 is minimum-norm least squares.
    func testZeroPenaltyIsLeastSquares() throws {
        let batch = try TaskBatch.linear(tasks: 2, points: 8, dimension: 5, noise: 0.1, seed: 5)
        let ridge = try RidgePredictor(penalty: 0).predictions(for: batch), leastSquares = LeastSquaresPredictor().predictions(for: batch)
        XCTAssertEqual(ridge.scalars, leastSquares.scalars)
    }
}
