import Foundation
@testable import MesaMeta
import XCTest

final class CommunicatorTests: XCTestCase {
    func testASingleProcessIsRankZeroOfOneAndLeavesBuffersAlone() throws {
        let communicator: any Communicator = SingleProcessCommunicator()
        XCTAssertEqual(communicator.rank, 0)
        XCTAssertEqual(communicator.size, 1)
        XCTAssertTrue(communicator.isLeader)
        var buffer: [Float] = [1.5, -2, .pi]
        try communicator.allReduceMean(&buffer)
        try communicator.broadcast(&buffer)
        XCTAssertEqual(buffer, [1.5, -2, .pi])
        XCTAssertEqual(try communicator.broadcast(data: [1, 2, 3]), [1, 2, 3])
        XCTAssertNil(try communicator.broadcast(data: nil))
        XCTAssertEqual(try communicator.broadcast(data: []), [])
    }

    func testAllReduceSumsAndAveragesOverThreeRanks() throws {
        let results = ThreadGroup(size: 3).run { communicator in
            var sum: [Float] = [Float(communicator.rank), 1]
            try communicator.allReduceSum(&sum)
            var mean: [Float] = [Float(communicator.rank) * 3]
            try communicator.allReduceMean(&mean)
            return sum + mean
        }
        for result in results { XCTAssertEqual(try result.get(), [3, 3, 3]) }
    }

    func testBroadcastDataSendsRankZerosBytesOrItsAbsence() throws {
        let message: [UInt8] = Array(0..<200).map { UInt8($0) }
        let results = ThreadGroup(size: 2).run { communicator in
            let sent = try communicator.broadcast(data: communicator.isLeader ? message : [9])
            let nothing = try communicator.broadcast(data: communicator.isLeader ? nil : [9])
            return (sent, nothing)
        }
        for result in results {
            let (sent, nothing) = try result.get()
            XCTAssertEqual(sent, message)
            XCTAssertNil(nothing)
        }
    }

    func testTheCheckPassesOnAWorkingGroupAndComputesTheRingTraffic() throws {
        let results = ThreadGroup(size: 4).run { try CommunicatorCheck.run(on: $0, floats: 1000, repeats: 2) }
        for result in results {
            let check = try result.get()
            XCTAssertEqual(check.ranks, 4)
            XCTAssertTrue(check.allReduceIsCorrect)
            XCTAssertTrue(check.broadcastIsCorrect)
            XCTAssertEqual(check.ringBytesPerRank, 2 * 3 / 4 * 4 * 1000)   // 2(N−1)/N · 4P
        }
    }

    func testTheCheckCatchesAWrongSum() throws {
        /// Adds one to every sum on rank 1.
        final class Faulty: Communicator {
            let inner: any Communicator
            init(_ inner: any Communicator) { self.inner = inner }
            var rank: Int { inner.rank }
            var size: Int { inner.size }
            func allReduceSum(_ buffer: inout [Float]) throws {
                try inner.allReduceSum(&buffer)
                if rank == 1, buffer.count == 1000 { buffer[0] += 1 }
            }
            func broadcast(_ buffer: inout [Float]) throws { try inner.broadcast(&buffer) }
            func broadcast(_ bytes: inout [UInt8]) throws { try inner.broadcast(&bytes) }
            func barrier() throws { try inner.barrier() }
        }
        let results = ThreadGroup(size: 2).run { try CommunicatorCheck.run(on: Faulty($0), floats: 10, repeats: 1) }
        for result in results {
            XCTAssertFalse(try result.get().allReduceIsCorrect, "every rank learns of rank 1's wrong sum")
            XCTAssertTrue(try result.get().broadcastIsCorrect)
        }
    }
}
