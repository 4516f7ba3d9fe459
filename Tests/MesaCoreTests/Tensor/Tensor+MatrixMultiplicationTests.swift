import MesaCore
import MesaTestSupport
import XCTest

final class TensorMatrixMultiplicationTests: XCTestCase {
    /// A naive triple loop over batches as the reference product.
    func naiveMatmul(_ a: Tensor, _ b: Tensor) -> [Float] {
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
        let batch = a.scalarCount / (m * k)
        let x = a.scalars, y = b.scalars
        var result = [Float](repeating: 0, count: batch * m * n)
        for t in 0..<batch { for i in 0..<m { for j in 0..<n {
            var total: Float = 0
            for p in 0..<k { total += x[t * m * k + i * k + p] * y[(b.rank == 2 ? 0 : t * k * n) + p * n + j] }
            result[t * m * n + i * n + j] = total
        } } }
        return result
    }

    func testAgainstNaiveLoops() {
        var generator = RandomGenerator(seed: 60)
        for (shapeA, shapeB) in [([3, 4], [4, 5]), ([2, 3, 4], [2, 4, 5]), ([2, 3, 4], [4, 2]), ([1, 7], [7, 1])] {
            let a = Tensor.randomNormal(shapeA, using: &generator), b = Tensor.randomNormal(shapeB, using: &generator)
            let c = a.matmul(b)
            let expected = naiveMatmul(a, b)
            XCTAssertEqual(c.shape, Array(shapeA.dropLast()) + [shapeB.last!])
            XCTAssertEqual(c.scalars.count, expected.count, "paired lengths")
            for (x, y) in zip(c.scalars, expected) { XCTAssertEqual(x, y, accuracy: 1e-4) }
        }
    }

    func testTransposeFlagsAndBatchBroadcasting() {
        var generator = RandomGenerator(seed: 61)
        let a = Tensor.randomNormal([2, 1, 3, 4], using: &generator), b = Tensor.randomNormal([5, 4, 6], using: &generator)
        let c = a.matmul(b)
        XCTAssertEqual(c.shape, [2, 5, 3, 6])
        let expected = a.broadcast(to: [2, 5, 3, 4]).matmul(b.broadcast(to: [2, 5, 4, 6]))
        XCTAssertTrue(c.isApproximatelyEqual(to: expected, tolerance: 1e-5))
        let t = Tensor.matmul(a.transposed(), b.transposed(), transposeA: true, transposeB: true)
        XCTAssertTrue(t.isApproximatelyEqual(to: c, tolerance: 1e-5))
        XCTAssertEqual(Tensor([1, 2]).matmul(Tensor([[1, 0], [0, 1]]).matmul(Tensor([3, 4]))).scalars, [11])
    }

    func testGradientsIncludingBroadcastBatchesAndTransposes() {
        let cases: [([Int], [Int], Bool, Bool)] = [
            ([3, 4], [4, 2], false, false), ([2, 3, 4], [4, 2], false, false), ([3, 4], [2, 4, 5], false, false),
            ([2, 1, 3, 4], [3, 4, 2], false, false), ([4, 3], [4, 2], true, false), ([2, 3, 4], [2, 5, 4], false, true),
            ([2, 4, 3], [5, 4], true, true),
        ]
        for (index, (a, b, ta, tb)) in cases.enumerated() {
            let inputs = GradientCheck.randomInputs([a, b], seed: 62 + UInt64(index))
            GradientCheck.assertMatches({ Tensor.matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }, at: inputs, "\(a) \(b) \(ta) \(tb)")
        }
        // Second order: the Hessian of Σ (X W)² in W along V is 2 Xᵀ X V.
        var generator = RandomGenerator(seed: 70)
        let x = Tensor.randomNormal([5, 3], using: &generator), w = Tensor.randomNormal([3, 2], using: &generator)
        let v = Tensor.randomNormal([3, 2], using: &generator)
        let leaf = w.requiringGradient()
        let product = x.matmul(leaf)
        let g = gradients(of: (product * product).sum(), withRespectTo: [leaf], createGraph: true)[0]
        let hv = gradients(of: (g * v).sum(), withRespectTo: [leaf])[0]
        let expected = Tensor.matmul(x, x.matmul(v), transposeA: true) * 2
        XCTAssertTrue(hv.isApproximatelyEqual(to: expected, tolerance: 1e-4))
    }

    func testMismatchedInnerDimensionsNameTheShapes() {
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5])) }) { error in
            XCTAssertEqual((error as? TensorError)?.kind, .shapeMismatch)
            XCTAssertTrue("\(error)".contains("[2, 3]") && "\(error)".contains("[4, 5]"), "\(error)")
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3, 4]).matmul(Tensor.zeros([3, 4, 5])) })
    }

    func testEmptyDimensions() {
        XCTAssertEqual(Tensor.zeros([0, 3]).matmul(Tensor.ones([3, 2])).shape, [0, 2])
        XCTAssertEqual(Tensor.zeros([2, 0]).matmul(Tensor.ones([0, 2])).scalars, [0, 0, 0, 0])
    }
}
