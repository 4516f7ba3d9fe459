import XCTest
import MesaCore

final class SymmetricEigendecompositionTests: XCTestCase {
    func testReconstructsRandomSymmetricMatricesWithOrthonormalVectors() {
        var generator = RandomGenerator(seed: 3)
        for n in [1, 2, 5, 12] {
            var a = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for j in i..<n { let v = Double(generator.nextNormal()); a[i * n + j] = v; a[j * n + i] = v } }
            let e = SymmetricEigendecomposition(matrix: a, size: n)
            for i in 0..<n {
                for j in 0..<n {
                    var reconstructed = 0.0, gram = 0.0
                    for k in 0..<n {
                        reconstructed += e.vectors[i * n + k] * e.values[k] * e.vectors[j * n + k]
                        gram += e.vectors[k * n + i] * e.vectors[k * n + j]
                    }
                    XCTAssertEqual(reconstructed, a[i * n + j], accuracy: 1e-10)
                    XCTAssertEqual(gram, i == j ? 1 : 0, accuracy: 1e-10)
                }
            }
        }
    }

    func testKnownEigenvalues() {
        let e = SymmetricEigendecomposition(matrix: [2, 1, 1, 2], size: 2)
        XCTAssertEqual(e.values.sorted()[0], 1, accuracy: 1e-14)
        XCTAssertEqual(e.values.sorted()[1], 3, accuracy: 1e-14)
    }
}

extension SymmetricEigendecompositionTests {
    func testAWarmStartBasisGivesTheSameDecomposition() {
        var generator = RandomGenerator(seed: 8)
        let n = 9
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in i..<n { let v = Double(generator.nextNormal()); a[i * n + j] = v; a[j * n + i] = v } }
        let cold = SymmetricEigendecomposition(matrix: a, size: n)
        var perturbed = a
        for i in 0..<n { perturbed[i * n + i] += 0.01 * Double(i) }
        let warm = SymmetricEigendecomposition(matrix: perturbed, size: n, basis: cold.vectors)
        let reference = SymmetricEigendecomposition(matrix: perturbed, size: n)
        XCTAssertEqual(warm.values.sorted(), reference.values.sorted(), accuracy: 1e-10)
        for i in 0..<n { for j in 0..<n {
            var reconstructed = 0.0
            for k in 0..<n { reconstructed += warm.vectors[i * n + k] * warm.values[k] * warm.vectors[j * n + k] }
            XCTAssertEqual(reconstructed, perturbed[i * n + j], accuracy: 1e-10)
        } }
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
