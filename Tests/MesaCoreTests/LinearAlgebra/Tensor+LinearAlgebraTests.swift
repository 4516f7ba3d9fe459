import MesaCore
import XCTest

final class TensorLinearAlgebraTests: XCTestCase {
    func testCholeskySolveAndLeastSquares() {
        var generator = RandomGenerator(seed: 130)
        let m = Tensor.randomNormal([5, 5], using: &generator)
        let spd = m.matmul(m.transposed()) + Tensor.eye(5)
        let l = spd.cholesky()
        XCTAssertTrue(l.matmul(l.transposed()).isApproximatelyEqual(to: spd, tolerance: 1e-5))
        XCTAssertEqual(l[0, 1], 0)
        let b = Tensor.randomNormal([5, 2], using: &generator)
        let x = Tensor.solve(m, b)
        XCTAssertTrue(m.matmul(x).isApproximatelyEqual(to: b, tolerance: 1e-4))
        // Overdetermined: the residual is orthogonal to the columns (normal equations).
        let a = Tensor.randomNormal([12, 3], using: &generator), y = Tensor.randomNormal([12], using: &generator)
        let w = Tensor.leastSquares(a, y)
        let residual = a.matmul(w) - y
        XCTAssertTrue(a.transposed().matmul(residual).isApproximatelyEqual(to: Tensor.zeros([3]), tolerance: 1e-4))
        // Underdetermined: an exact fit with the minimum norm (it lies in the row space).
        let wide = Tensor.randomNormal([2, 6], using: &generator), target = Tensor([1, -2])
        let solution = Tensor.leastSquares(wide, target)
        XCTAssertTrue(wide.matmul(solution).isApproximatelyEqual(to: target, tolerance: 1e-3))
        let rowSpace = wide.transposed().matmul(Tensor.solve(wide.matmul(wide.transposed()), target))
        XCTAssertTrue(solution.isApproximatelyEqual(to: rowSpace, tolerance: 1e-3))
    }

    func testSingularAndBadShapes() {
        XCTAssertThrowsError(try withTensorErrors { Tensor([[1, 2], [2, 4]]).cholesky() }) {
            XCTAssertEqual(($0 as? TensorError)?.kind, .singularMatrix)
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor.solve(Tensor([[1, 2], [2, 4]]), Tensor([1, 1])) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.solve(Tensor.zeros([2, 3]), Tensor([1, 1])) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]).cholesky() })
    }
}
