import MesaCore
@testable import MesaMeta
import XCTest

final class LeastSquaresPredictorTests: XCTestCase {
    /// Noise-free data: once i ≥ d the fit recovers w, so prediction i equals target i.
    /// Tolerance: 1e-4 relative to the target's scale (Float inputs and outputs).
    func testRecoversNoiseFreeWeightsOnceThereAreDPoints() throws {
        let batch = try TaskBatch.linear(tasks: 3, points: 14, dimension: 6, seed: 1)
        let predictions = LeastSquaresPredictor().predictions(for: batch)
        XCTAssertEqual(predictions.shape, [3, 14])
        for task in 0..<3 {
            XCTAssertEqual(predictions[task, 0], 0, "no pairs: the prior guess 0")
            for i in 6..<14 {
                XCTAssertEqual(predictions[task, i], batch.targets[task, i], accuracy: 1e-4 * max(1, abs(batch.targets[task, i])))
            }
        }
    }

    /// With i < d the prediction is xᵢᵀ X⁺ y with the minimum-norm solution computed another way:
    /// Gram–Schmidt on the rows of X (Xᵀ = Q R, so X⁺ y = Q R⁻ᵀ y). Tolerance 1e-4.
    func testEqualsMinimumNormSolutionBelowTheDimension() throws {
        let d = 8
        let batch = try TaskBatch.linear(tasks: 2, points: d, dimension: d, noise: 0.3, seed: 2)
        let predictions = LeastSquaresPredictor().predictions(for: batch)
        for task in 0..<2 {
            for i in 1..<d {
                let rows = (0..<i).map { batch.input(task, $0) }
                let y = (0..<i).map { Double(batch.targets[task, $0]) }
                // Q: orthonormal basis of the row space (modified Gram–Schmidt); R[a][b] = q_aᵀ x_b.
                var q: [[Double]] = [], r = [[Double]](repeating: [Double](repeating: 0, count: i), count: i)
                for b in 0..<i {
                    var v = rows[b]
                    for a in 0..<b {
                        r[a][b] = zip(q[a], v).reduce(0) { $0 + $1.0 * $1.1 }
                        for k in 0..<d { v[k] -= r[a][b] * q[a][k] }
                    }
                    r[b][b] = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    q.append(v.map { $0 / r[b][b] })
                }
                // Solve Rᵀ u = y (Rᵀ lower triangular), then w = Q u.
                var u = [Double](repeating: 0, count: i)
                for b in 0..<i { u[b] = (y[b] - (0..<b).reduce(0) { $0 + r[$1][b] * u[$1] }) / r[b][b] }
                let w = (0..<d).map { k in (0..<i).reduce(0) { $0 + q[$1][k] * u[$1] } }
                let expected = zip(w, batch.input(task, i)).reduce(0) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(Double(predictions[task, i]), expected, accuracy: 1e-4 * max(1, abs(expected)), "task \(task), prefix \(i)")
                // The minimum-norm solution interpolates the pairs it saw.
                for b in 0..<i {
                    XCTAssertEqual(zip(w, rows[b]).reduce(0) { $0 + $1.0 * $1.1 }, y[b], accuracy: 1e-9)
                }
            }
        }
    }

    /// A curriculum zeroes input columns: XᵀX is singular, yet once i ≥ the active dimension the
    /// noise-free targets are recovered (the zero columns get zero weight). Tolerance 1e-4.
    func testZeroInputColumnsAreHandled() throws {
        let batch = try TaskBatch.linear(tasks: 2, points: 10, dimension: 6, options: SamplingOptions(activeDimensions: 3), seed: 3)
        let predictions = LeastSquaresPredictor().predictions(for: batch)
        XCTAssertTrue(predictions.isFinite)
        for task in 0..<2 {
            for i in 3..<10 { XCTAssertEqual(predictions[task, i], batch.targets[task, i], accuracy: 1e-4 * max(1, abs(batch.targets[task, i]))) }
        }
    }
}
