import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

/// Data-parallel runs of the shared loop on ranks that are threads (``ThreadGroup``), so that
/// they are checked without MPI; the same under `mpirun`: Tests/MesaCLITests/DistributedCommandTests.
final class DataParallelTrainingRunTests: XCTestCase {
    private var directories: [URL] = []
    override func tearDown() { for url in directories { try? FileManager.default.removeItem(at: url) } }
    private func folder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-data-parallel-\(UUID())")
        directories.append(url)
        return url
    }

    /// A tiny pre-training run with SGD (see DistributedCommandTests for why not Adam).
    private func configuration(steps: Int = 4) -> TabularPretrainingConfiguration {
        var c = TabularPretrainingConfiguration()
        c.model.modelSize = 16
        c.model.layerCount = 1
        c.model.headCount = 2
        c.model.feedForwardSize = 32
        c.steps = steps
        c.batchSize = 4
        c.maximumRows = 30
        c.logInterval = 1
        c.evaluationInterval = 100
        c.optimizer.algorithm = .sgd
        c.optimizer.learningRate = 0.05
        c.optimizer.warmUpSteps = 0
        return c
    }

    private func relativeDifference(_ a: [[Float]], _ b: [[Float]]) -> Double {
        let pairs = zip(a.joined(), b.joined())
        let difference = pairs.reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        return (difference / b.joined().reduce(0.0) { $0 + Double($1) * Double($1) }).squareRoot()
    }

    func testTwoRanksWithHalfBatchesMatchOneProcessWithTheWholeBatch() throws {
        let c = configuration(), alone = folder(), shared = folder()
        let single = try XCTUnwrap(try TabularPretrainer.start(over: SingleProcessCommunicator()) { try TabularPretrainer(configuration: c, directory: alone) })
        try single.run()
        let ranks = ThreadGroup(size: 2).run { communicator in
            let trainer = try TabularPretrainer.start(over: communicator) { try TabularPretrainer(configuration: c, directory: shared) }!
            try trainer.run()
            return trainer.model.parameters.map { $0.value.scalars }
        }
        let (zero, one) = (try ranks[0].get(), try ranks[1].get())
        XCTAssertEqual(zero, one, "every rank applies the same step to the same weights")
        let difference = relativeDifference(zero, single.model.parameters.map { $0.value.scalars })
        XCTAssertLessThan(difference, 1e-5)
        XCTAssertGreaterThan(difference, 0, "the sums are ordered differently")
        let lines = try String(contentsOf: shared.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.contains("\"loss\"") }.count, 4, "rank 0 alone writes metrics")
        XCTAssertTrue(lines.allSatisfy { !$0.contains("\"loss\"") || $0.contains("allReduceShare") })
        let checkpoint = try SafeTensors(contentsOf: shared.appendingPathComponent("checkpoint.safetensors"))
        XCTAssertEqual(checkpoint.metadata["mesa.sampling"], "data-parallel")
        XCTAssertEqual(checkpoint.metadata["mesa.ranks"], "2")
    }

    func testADataParallelRunResumesExactly() throws {
        let c = configuration(), whole = folder(), pieces = folder()
        try TabularPretrainer.start(over: SingleProcessCommunicator()) { try TabularPretrainer(configuration: c, directory: whole) }!.run()
        try TabularPretrainer.start(over: SingleProcessCommunicator()) { try TabularPretrainer(configuration: c, directory: pieces) }!.run(stoppingAt: 2)
        let resumed = try TabularPretrainer.start(over: SingleProcessCommunicator()) { try TabularPretrainer(resumingFrom: pieces) }!
        XCTAssertEqual(resumed.step, 2)
        try resumed.run()
        XCTAssertEqual(try SafeTensors(contentsOf: pieces.appendingPathComponent("checkpoint.safetensors")).names.map { name in
            try SafeTensors(contentsOf: pieces.appendingPathComponent("checkpoint.safetensors"))[name]!.scalars
        }, try SafeTensors(contentsOf: whole.appendingPathComponent("checkpoint.safetensors")).names.map { name in
            try SafeTensors(contentsOf: whole.appendingPathComponent("checkpoint.safetensors"))[name]!.scalars
        })
    }

    func testDataParallelSamplingDrawsOtherBatchesThanSequentialSampling() throws {
        let c = configuration(steps: 1), sequential = folder(), parallel = folder()
        let a = try TabularPretrainer(configuration: c, directory: sequential)
        try a.run()
        let b = try TabularPretrainer.start(over: SingleProcessCommunicator()) { try TabularPretrainer(configuration: c, directory: parallel) }!
        try b.run()
        XCTAssertNotEqual(a.model.parameters.map { $0.value.scalars }, b.model.parameters.map { $0.value.scalars })
    }

    func testARunIsResumedTheWayItWasStarted() throws {
        let c = configuration(), parallel = folder(), sequential = folder()
        try TabularPretrainer.start(over: SingleProcessCommunicator()) { try TabularPretrainer(configuration: c, directory: parallel) }!.run(stoppingAt: 1)
        XCTAssertThrowsError(try TabularPretrainer(resumingFrom: parallel).run()) {
            XCTAssertEqual("\($0)", "this run was started with --distributed (data-parallel sampling): resume it with --distributed (under mpirun or alone)")
        }
        try TabularPretrainer(configuration: c, directory: sequential).run(stoppingAt: 1)
        XCTAssertThrowsError(try TabularPretrainer.start(over: SingleProcessCommunicator()) { try TabularPretrainer(resumingFrom: sequential) }) {
            XCTAssertEqual($0 as? DistributedTrainingError, .samplingMismatch(saved: false))
        }
    }

    func testRankZerosFailureStopsTheOthersAndNothingToTrainReturnsNilEverywhere() throws {
        struct Refused: Error {}
        let failed = ThreadGroup(size: 2).run { communicator in
            try TabularPretrainer.start(over: communicator) { throw Refused() }
        }
        XCTAssertThrowsError(try failed[0].get()) { XCTAssertTrue($0 is Refused) }
        XCTAssertThrowsError(try failed[1].get()) { XCTAssertEqual($0 as? DistributedTrainingError, .leaderFailed) }
        let idle = ThreadGroup(size: 2).run { communicator in try TabularPretrainer.start(over: communicator) { nil } == nil }
        for result in idle { XCTAssertTrue(try result.get()) }
    }

    func testRankZerosDeadlineStopsEveryRank() throws {
        let c = configuration(steps: 50), shared = folder()
        let ranks = ThreadGroup(size: 2).run { communicator in
            let trainer = try TabularPretrainer.start(over: communicator) { try TabularPretrainer(configuration: c, directory: shared) }!
            try trainer.run(deadline: communicator.isLeader ? Date.distantPast : nil)
            return trainer.step
        }
        XCTAssertEqual(try ranks.map { try $0.get() }, [1, 1])
        XCTAssertEqual(try SafeTensors(contentsOf: shared.appendingPathComponent("checkpoint.safetensors")).metadata["mesa.step"], "1")
    }
}
