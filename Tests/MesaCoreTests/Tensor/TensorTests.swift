import MesaCore
import XCTest

final class TensorTests: XCTestCase {
    func testCreation() {
        XCTAssertEqual(Tensor.zeros([2, 2]).scalars, [0, 0, 0, 0])
        XCTAssertEqual(Tensor.full([3], value: 7).scalars, [7, 7, 7])
        XCTAssertEqual(Tensor.arange(from: 1, to: 2, by: 0.25).scalars, [1, 1.25, 1.5, 1.75])
        XCTAssertEqual(Tensor.linspace(from: 0, to: 1, count: 5).scalars, [0, 0.25, 0.5, 0.75, 1])
        XCTAssertEqual(Tensor.eye(2).scalars, [1, 0, 0, 1])
        XCTAssertEqual(Tensor(3).shape, [])
        XCTAssertEqual(Tensor(3).scalar, 3)
        XCTAssertEqual(Tensor([[1, 2], [3, 4]])[1, 0], 3)
        XCTAssertEqual(Tensor.zeros([2, 0, 3]).scalarCount, 0)
        XCTAssertTrue("\(Tensor([1, 2]))".contains("[2]"))
    }

    func testBadConstruction() {
        XCTAssertThrowsError(try withTensorErrors { Tensor(shape: [2, 3], scalars: [1, 2]) }) {
            XCTAssertTrue("\($0)".contains("[2, 3]"))
        }
        XCTAssertThrowsError(try withTensorErrors { Tensor([[1, 2], [3]]) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.zeros([-1]) })
        XCTAssertThrowsError(try withTensorErrors { Tensor.arange(to: 3, by: 0) })
        XCTAssertThrowsError(try withTensorErrors { Tensor([1, 2]).scalar })
        XCTAssertThrowsError(try withTensorErrors { Tensor([[1, 2]])[0, 2] })
    }

    func testFirstErrorIsReportedAndLaterOperationsAreSafe() {
        XCTAssertThrowsError(try withTensorErrors { () -> Tensor in
            let bad = Tensor.zeros([2, 3]).matmul(Tensor.zeros([2, 3]))   // fails: placeholder
            return (bad + Tensor.ones([5])).softmax().sum()                // runs on placeholders, no crash
        }) { XCTAssertTrue("\($0)".contains("matmul")) }
    }
}
