import MesaCore
import XCTest

final class BufferPoolTests: XCTestCase {
    func testLargeBuffersAreReusedAndValuesStayCorrect() {
        let pool = BufferPool.shared
        pool.releaseAll()
        do { _ = Tensor.zeros([1 << 16]) }                       // 256 KiB, freed at once
        XCTAssertGreaterThanOrEqual(pool.cachedByteCount, 1 << 18, "a freed large buffer is kept")
        let reused = Tensor.full([1 << 16], value: 3)           // takes it back, fully written
        XCTAssertEqual(pool.cachedByteCount, 0)
        XCTAssertEqual(reused.scalars.allSatisfy { $0 == 3 }, true)
        do { _ = Tensor.zeros([10]) }
        XCTAssertEqual(pool.cachedByteCount, 0, "small buffers bypass the pool")
        pool.releaseAll()
    }

    func testCapacityBoundsTheCache() {
        let pool = BufferPool.shared
        let saved = pool.capacity
        defer { pool.capacity = saved; pool.releaseAll() }
        pool.capacity = 300_000
        do { _ = (Tensor.zeros([1 << 16]), Tensor.zeros([1 << 16])) }   // two 256 KiB buffers
        XCTAssertLessThanOrEqual(pool.cachedByteCount, 300_000)
    }
}
