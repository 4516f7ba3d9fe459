import MesaCore
import XCTest

final class CholeskyFactorTests: XCTestCase {
    /// A random symmetric positive-definite matrix `B Bᵀ + I`, row-major `[n, n]`.
    private func positiveDefinite(_ n: Int, seed: UInt64) -> [Double] {
        var generator = RandomGenerator(seed: seed)
        let b = (0..<n * n).map { _ in Double(generator.nextNormal()) }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var value = i == j ? 1.0 : 0.0
                for k in 0..<n { value += b[i * n + k] * b[j * n + k] }
                a[i * n + j] = value
            }
        }
        return a
    }

    func testInverseTimesTheMatrixIsTheIdentity() {
        for n in [1, 2, 5, 9] {
            let a = positiveDefinite(n, seed: UInt64(n))
            let inverse = CholeskyFactor(matrix: a, size: n, minimumPivot: 1e-12).inverse
            for i in 0..<n {
                for j in 0..<n {
                    var product = 0.0
                    for k in 0..<n { product += a[i * n + k] * inverse[k * n + j] }
                    XCTAssertEqual(product, i == j ? 1 : 0, accuracy: 1e-9, "n = \(n), entry (\(i), \(j))")
                    XCTAssertEqual(inverse[i * n + j], inverse[j * n + i], accuracy: 1e-12)
                }
            }
        }
    }

    func testInverseAgreesWithSolve() {
        let n = 6
        let a = positiveDefinite(n, seed: 7)
        let factor = CholeskyFactor(matrix: a, size: n, minimumPivot: 1e-12)
        let inverse = factor.inverse
        let b = (0..<n).map { Double($0) - 2.5 }
        let solved = factor.solve(b)
        for i in 0..<n {
            let viaInverse = (0..<n).reduce(0.0) { $0 + inverse[i * n + $1] * b[$1] }
            XCTAssertEqual(viaInverse, solved[i], accuracy: 1e-10)
        }
    }
}
