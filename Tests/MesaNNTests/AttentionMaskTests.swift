import MesaCore
import MesaNN
import XCTest

final class AttentionMaskTests: XCTestCase {
    func testNoneHasNoTensor() {
        XCTAssertNil(AttentionMask.none.tensor(queryCount: 3, keyCount: 3))
    }

    func testCausalIsLowerTriangular() {
        XCTAssertEqual(AttentionMask.causal.tensor(queryCount: 3, keyCount: 3)?.scalars, Tensor.causalMask(size: 3).scalars)
        // Top-left aligned when the counts differ: key j visible to query i when j ≤ i.
        XCTAssertEqual(AttentionMask.causal.tensor(queryCount: 2, keyCount: 4)?.scalars, [1, 0, 0, 0, 1, 1, 0, 0])
        XCTAssertEqual(AttentionMask.causal.tensor(queryCount: 3, keyCount: 2)?.scalars, [1, 0, 1, 1, 1, 1])
    }

    func testCustomIsPassedThrough() {
        let mask = Tensor([[1, 0], [0, 1]])
        XCTAssertEqual(AttentionMask.custom(mask).tensor(queryCount: 2, keyCount: 2)?.scalars, mask.scalars)
    }
}
