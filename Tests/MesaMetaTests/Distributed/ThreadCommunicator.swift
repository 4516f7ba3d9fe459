import Foundation
@testable import MesaMeta

/// A test double: `size` ranks that are threads of this process, exchanging buffers through
/// shared memory, so data-parallel code runs on several ranks without MPI (and under the
/// sanitizers). The all-reduce adds the ranks' buffers in rank order.
final class ThreadGroup: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var slots: [Any?]
    private var result: Any?
    private var arrived = 0, generation = 0

    init(size: Int) {
        self.size = size
        slots = Array(repeating: nil, count: size)
    }

    /// Every rank deposits `value`; the last to arrive combines them (in rank order) and all
    /// receive the combination.
    func exchange<Value>(rank: Int, _ value: Value, combine: ([Value]) -> Value) -> Value {
        condition.lock()
        defer { condition.unlock() }
        let round = generation
        slots[rank] = value
        arrived += 1
        if arrived == size {
            result = combine(slots.map { $0 as! Value })
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == round { condition.wait() }
        }
        return result as! Value
    }

    /// Runs `body(rank)` on `size` threads and returns each rank's result (or error), in rank order.
    func run<Result>(_ body: @escaping @Sendable (any Communicator) throws -> Result) -> [Swift.Result<Result, Error>] {
        let results = Results<Result>(count: size)
        let threads = (0..<size).map { rank in
            Thread { results.set(rank, Swift.Result { try body(ThreadCommunicator(group: self, rank: rank)) }) }
        }
        for thread in threads {
            thread.stackSize = 8 << 20
            thread.start()
        }
        return results.wait()
    }

    private final class Results<Value>: @unchecked Sendable {
        private let condition = NSCondition()
        private var values: [Swift.Result<Value, Error>?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Swift.Result<Value, Error>) {
            condition.lock()
            values[index] = value
            condition.broadcast()
            condition.unlock()
        }
        func wait() -> [Swift.Result<Value, Error>] {
            condition.lock()
            defer { condition.unlock() }
            while values.contains(where: { $0 == nil }) { condition.wait() }
            return values.map { $0! }
        }
    }
}

/// One rank of a ``ThreadGroup``.
final class ThreadCommunicator: Communicator {
    let group: ThreadGroup
    let rank: Int
    var size: Int { group.size }

    init(group: ThreadGroup, rank: Int) {
        self.group = group
        self.rank = rank
    }

    func allReduceSum(_ buffer: inout [Float]) {
        buffer = group.exchange(rank: rank, buffer) { buffers in
            precondition(Set(buffers.map(\.count)).count == 1, "ranks passed buffers of different lengths")
            var sum = buffers[0]
            for other in buffers.dropFirst() { for index in sum.indices { sum[index] += other[index] } }
            return sum
        }
    }

    func broadcast(_ buffer: inout [Float]) { buffer = group.exchange(rank: rank, buffer) { $0[0] } }
    func broadcast(_ bytes: inout [UInt8]) { bytes = group.exchange(rank: rank, bytes) { $0[0] } }
    func barrier() { _ = group.exchange(rank: rank, 0) { _ in 0 } }
}
