import Foundation
import XCTest

/// `--distributed` without `mpirun` (one rank, data-parallel sampling) and its checks; these need
/// no MPI. Under `mpirun`: DistributedCommandTests.
final class DistributedOptionTests: ScratchFolderTestCase {
    func testAloneItTrainsOneRankAndARunIsResumedTheWayItWasStarted() throws {
        let config = directory.appendingPathComponent("tiny.json").path
        try #"{"name": "tiny", "model": {"modelSize": 16, "layerCount": 1, "headCount": 2, "feedForwardSize": 32}, "steps": 4, "batchSize": 2, "maximumRows": 30}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        let run = directory.appendingPathComponent("run").path
        let first = try MesaProcess.run(["pretrain", "--config", config, "--output", run, "--distributed", "--steps", "2"])
        XCTAssertEqual(first.status, 0, first.error)
        XCTAssertTrue(first.output.contains("data-parallel over 1 rank → \(run)"), first.output)
        let plain = try MesaProcess.run(["pretrain", "--resume", "--output", run, "--steps", "4"])
        XCTAssertNotEqual(plain.status, 0)
        XCTAssertTrue(plain.error.contains("this run was started with --distributed (data-parallel sampling): resume it with --distributed (under mpirun or alone)"),
                      plain.error)
        let resumed = try MesaProcess.run(["pretrain", "--resume", "--output", run, "--steps", "4", "--distributed"])
        XCTAssertEqual(resumed.status, 0, resumed.error)
        XCTAssertTrue(resumed.output.contains("finished at step 4"), resumed.output)

        let sequential = directory.appendingPathComponent("sequential").path
        XCTAssertEqual(try MesaProcess.run(["pretrain", "--config", config, "--output", sequential, "--steps", "2"]).status, 0)
        let switched = try MesaProcess.run(["pretrain", "--resume", "--output", sequential, "--steps", "4", "--distributed"])
        XCTAssertNotEqual(switched.status, 0)
        XCTAssertTrue(switched.error.contains("this run was started without --distributed: resume it without --distributed"), switched.error)
    }

    func testExportWithDistributedIsRefused() throws {
        let result = try MesaProcess.run(["pretrain", "--output", directory.path, "--export", "model.safetensors", "--distributed"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.error.contains("--export reads a run folder: drop --distributed"), result.error)
    }

    func testTheCheckAloneReportsOneRankAndRefusesBadSizes() throws {
        let result = try MesaProcess.run(["distributed-check", "--floats", "1000", "--repeats", "2"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("1 rank (one process: launch with mpirun -np N to check MPI)"), result.output)
        XCTAssertTrue(result.output.contains("all-reduce sum: correct"), result.output)
        for (option, value) in [("--floats", "0"), ("--repeats", "0")] {
            let bad = try MesaProcess.run(["distributed-check", "\(option)=\(value)"])
            XCTAssertNotEqual(bad.status, 0)
            XCTAssertTrue(bad.error.contains("\(option) must be positive, got \(value)"), bad.error)
        }
    }
}
