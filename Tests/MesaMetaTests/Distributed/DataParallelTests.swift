import Foundation
import MesaCore
import MesaNN
@testable import MesaMeta
import XCTest

final class DataParallelTests: XCTestCase {
    /// A rank of a group that never communicates, for what depends only on rank and size.
    final class Placed: Communicator {
        let rank: Int, size: Int
        init(rank: Int, size: Int) { (self.rank, self.size) = (rank, size) }
        func allReduceSum(_ buffer: inout [Float]) {}
        func broadcast(_ buffer: inout [Float]) {}
        func broadcast(_ bytes: inout [UInt8]) {}
        func barrier() {}
    }

    func testShardsSplitTheBatchIntoEqualContiguousSlices() throws {
        for ranks in [1, 2, 3, 4, 6, 12] {
            let shards = try (0..<ranks).map { try DataParallel(communicator: Placed(rank: $0, size: ranks)).shard(ofBatch: 12) }
            XCTAssertEqual(shards.flatMap { Array($0) }, Array(0..<12))
            XCTAssertEqual(Set(shards.map(\.count)), [12 / ranks])
        }
    }

    func testABatchTheRanksDoNotDivideIsAnError() {
        XCTAssertThrowsError(try DataParallel(communicator: Placed(rank: 0, size: 4)).shard(ofBatch: 10)) {
            XCTAssertEqual($0 as? DistributedTrainingError, .batchNotDivisible(batchSize: 10, ranks: 4))
            XCTAssertEqual("\($0)", "the batch of 10 does not split evenly over 4 ranks: use a batch size divisible by 4 (e.g. 8 or 12) or another number of ranks")
        }
        XCTAssertEqual("\(DistributedTrainingError.batchNotDivisible(batchSize: 3, ranks: 4))",
                       "the batch of 3 does not split evenly over 4 ranks: use a batch size divisible by 4 (e.g. 4) or another number of ranks")
    }

    func testExamplesDrawTheSameNumbersWhateverTheNumberOfRanks() {
        let whole = ExampleStreams(seed: 77, indices: 0..<8)
        for ranks in [2, 4, 8] {
            let share = 8 / ranks
            let pieces = (0..<ranks).map { ExampleStreams(seed: 77, indices: $0 * share ..< ($0 + 1) * share) }
            XCTAssertEqual(pieces.flatMap(\.examples), whole.examples)
            XCTAssertTrue(pieces.allSatisfy { $0.shared == whole.shared })
        }
        XCTAssertEqual(Set(whole.examples.map { var generator = $0; return generator.next() }).count, 8, "the examples' streams differ")
        XCTAssertNotEqual(ExampleStreams(seed: 78, indices: 0..<1).examples, whole.examples.prefix(1).map { $0 })
    }

    func testGradientsAreAveragedOverTheRanksWithTheLossAndTheStopRequest() throws {
        // Rank r's gradient of `a` is r+1; only rank 1 has a gradient for `b`; nobody for `c`.
        let results = ThreadGroup(size: 2).run { communicator -> ([Float], [Float]?, Bool, Float, Bool) in
            let a = Parameter(Tensor(shape: [2], scalars: [0, 0])), b = Parameter(Tensor(shape: [1], scalars: [0]))
            let c = Parameter(Tensor(shape: [1], scalars: [0]))
            a.setGradient(Tensor(shape: [2], scalars: [Float(communicator.rank + 1), 4]))
            if communicator.rank == 1 { b.setGradient(Tensor(shape: [1], scalars: [6])) }
            let (loss, stop) = try DataParallel(communicator: communicator)
                .averageGradients(of: [a, b, c], loss: Float(communicator.rank * 2), stopRequested: communicator.rank == 0)
            return (a.gradient!.scalars, b.gradient?.scalars, c.gradient == nil, loss, stop)
        }
        for result in results {
            let (a, b, cHasNone, loss, stop) = try result.get()
            XCTAssertEqual(a, [1.5, 4])
            XCTAssertEqual(b, [3])
            XCTAssertTrue(cHasNone)
            XCTAssertEqual(loss, 1)
            XCTAssertTrue(stop)
        }
    }
}
