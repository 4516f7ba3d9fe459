import MesaCore
import MesaTestSupport
import XCTest

final class TensorShapeTests: XCTestCase {
    func testReshapePermuteBroadcast() {
        let x = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(x.reshaped(to: [3, -1]).shape, [3, 2])
        XCTAssertEqual(x.transposed().scalars, [0, 3, 1, 4, 2, 5])
        XCTAssertEqual(x.unsqueezed(at: 0).shape, [1, 2, 3])
        XCTAssertEqual(x.unsqueezed(at: -1).shape, [2, 3, 1])
        XCTAssertEqual(x.unsqueezed(at: 1).squeezed(at: 1).shape, [2, 3])
        XCTAssertEqual(Tensor([1, 2]).reshaped(to: [2, 1]).broadcast(to: [2, 3]).scalars, [1, 1, 1, 2, 2, 2])
        let y = Tensor.arange(to: 24).reshaped(to: [2, 3, 4])
        let p = y.permuted([2, 0, 1])
        XCTAssertEqual(p.shape, [4, 2, 3])
        XCTAssertEqual(p[3, 1, 2], y[1, 2, 3])
        XCTAssertEqual(p.permuted([1, 2, 0]).scalars, y.scalars)
    }

    func testGradients() {
        let x = GradientCheck.randomInputs([[2, 3, 4]], seed: 40)
        GradientCheck.assertMatches({ $0[0].reshaped(to: [6, 4]) * Tensor.arange(to: 4) }, at: x)
        GradientCheck.assertMatches({ $0[0].permuted([2, 0, 1]) * Tensor.arange(to: 3) }, at: x)
        GradientCheck.assertMatches({ $0[0].transposed(0, 2) }, at: x)
        GradientCheck.assertMatches({ $0[0].unsqueezed(at: 1).broadcast(to: [2, 5, 3, 4]) }, at: x)
        GradientCheck.assertMatches({ $0[0].sumToShape([3, 1]) }, at: x)
    }

    func testValueSemanticsAndCopyOnWrite() {
        var a = Tensor([1, 2, 3])
        let b = a
        a.withUnsafeMutableBufferPointer { $0[0] = 100 }
        XCTAssertEqual(a.scalars, [100, 2, 3])
        XCTAssertEqual(b.scalars, [1, 2, 3], "writing one copy must not change the other")
        var c = Tensor([4, 5, 6]).reshaped(to: [3, 1])
        let d = c.reshaped(to: [3])
        c.withUnsafeMutableBufferPointer { $0[2] = 0 }
        XCTAssertEqual(d.scalars, [4, 5, 6], "a reshape shares storage but stays a value")
    }

    func testBadShapes() {
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]).reshaped(to: [4, 2]) }) {
            XCTAssertTrue("\($0)".contains("[2, 3]") && "\($0)".contains("[4, 2]"))
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]).reshaped(to: [-1, -1]) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]).permuted([0, 0]) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]).broadcast(to: [3, 3]) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([2, 3]).squeezed(at: 0) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([3]).transposed() })
        XCTAssertThrowsError(try withTensorErrors { Tensor(shape: [2, 2], scalars: [1, 2, 3]) })
    }
}
