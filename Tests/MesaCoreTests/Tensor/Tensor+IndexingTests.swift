import MesaCore
import MesaTestSupport
import XCTest

final class TensorIndexingTests: XCTestCase {
    func testValues() {
        let x = Tensor.arange(to: 12).reshaped(to: [3, 4])
        XCTAssertEqual(x.slice(alongAxis: 1, from: 1, to: 4, by: 2).scalars, [1, 3, 5, 7, 9, 11])
        XCTAssertEqual(x.slice(alongAxis: 0, from: -1).scalars, [8, 9, 10, 11])
        XCTAssertEqual(Tensor.concatenate([x, x.slice(alongAxis: 1, from: 0, to: 1)], alongAxis: 1).shape, [3, 5])
        XCTAssertEqual(Tensor.stack([Tensor([1, 2]), Tensor([3, 4])], alongAxis: 1).scalars, [1, 3, 2, 4])
        let parts = x.split(sizes: [1, 3], alongAxis: 1)
        XCTAssertEqual(parts.map(\.shape), [[3, 1], [3, 3]])
        XCTAssertEqual(x.split(into: 3).map(\.shape), [[1, 4], [1, 4], [1, 4]])
        XCTAssertEqual(x.indexSelect(alongAxis: 0, indices: [2, 0, 2]).scalars, [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11])
        XCTAssertEqual(x.gather(alongAxis: 1, indices: Tensor(shape: [3, 1], scalars: [3, 0, 1])).scalars, [3, 4, 9])
        XCTAssertEqual(Tensor.oneHot([2, 0], classCount: 3).scalars, [0, 0, 1, 1, 0, 0])
        XCTAssertEqual(Tensor.causalMask(size: 3).scalars, [1, 0, 0, 1, 1, 0, 1, 1, 1])
    }

    func testGradients() {
        let x = GradientCheck.randomInputs([[3, 5, 2]], seed: 50)
        GradientCheck.assertMatches({ $0[0].slice(alongAxis: 1, from: 1, to: 5, by: 2) }, at: x)
        GradientCheck.assertMatches({ $0[0].slice(alongAxis: -1, from: 1) }, at: x)
        GradientCheck.assertMatches({ Tensor.concatenate([$0[0], $0[0] * 2], alongAxis: 1) }, at: x)
        GradientCheck.assertMatches({ Tensor.stack([$0[0], $0[0].exp()], alongAxis: 0) }, at: x)
        GradientCheck.assertMatches({ $0[0].split(sizes: [2, 3], alongAxis: 1)[1] }, at: x)
        GradientCheck.assertMatches({ $0[0].indexSelect(alongAxis: 1, indices: [4, 0, 4]) }, at: x)
        let picks = Tensor(shape: [3, 2, 2], scalars: [0, 4, 1, 1, 3, 3, 2, 0, 4, 4, 0, 1])
        GradientCheck.assertMatches({ $0[0].gather(alongAxis: 1, indices: picks) }, at: x)
        // Second order through slice/concatenate/gather (their adjoints are differentiable too).
        let error = GradientCheck.hessianVectorError(
            of: { Tensor.concatenate([$0.slice(alongAxis: 1, from: 0, to: 2), $0.gather(alongAxis: 1, indices: picks)], alongAxis: 1).pow(3).sum() },
            at: x[0], direction: x[0] * 0.5)
        XCTAssertLessThan(error, 1e-2)
    }

    func testBadIndices() {
        let x = Tensor.zeros([3, 4])
        XCTAssertThrowsError(try withTensorErrors { x.slice(alongAxis: 0, from: 2, to: 5) })
        XCTAssertThrowsError(try withTensorErrors { x.slice(alongAxis: 0, from: 0, to: 2, by: 0) })
        XCTAssertThrowsError(try withTensorErrors { x.indexSelect(alongAxis: 1, indices: [4]) })
        XCTAssertThrowsError(try withTensorErrors { x.gather(alongAxis: 1, indices: Tensor(shape: [3, 1], scalars: [0, 9, 1])) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.concatenate([x, Tensor.zeros([2, 3])], alongAxis: 0) }) {
            XCTAssertTrue("\($0)".contains("[3, 4]") && "\($0)".contains("[2, 3]"))
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor.concatenate([]) })
        XCTAssertThrowsError(try withTensorErrors { x.split(sizes: [1, 1], alongAxis: 0) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.oneHot([3], classCount: 3) })
    }
}
