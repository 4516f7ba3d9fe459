import Foundation
import XCTest
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Two `mesa pretrain` processes on one run folder: the second stops at once, naming the first;
/// once the first is killed, its lock is taken over and the temporary files it left are removed.
final class RunFolderLockCommandTests: XCTestCase {
    func testASecondRunOnTheSameFolderIsRefusedAndADeadOnesLockTakenOver() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-lock-cli-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("tiny.json").path
        try #"{"name": "tiny", "model": {"modelSize": 16, "layerCount": 1, "headCount": 2, "feedForwardSize": 32}, "steps": 1000000, "batchSize": 2, "maximumRows": 30, "checkpointInterval": 1}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        let run = directory.appendingPathComponent("run")

        let first = Process()
        first.executableURL = try MesaProcess.executable
        first.arguments = ["pretrain", "--config", config, "--output", run.path, "--threads", "1"]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() } }
        // Wait until it trains: its first checkpoint is written.
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoint.safetensors").path) && Date() < deadline {
            usleep(20_000)
        }
        XCTAssertTrue(first.isRunning)

        for arguments in [["pretrain", "--config", config, "--output", run.path], ["pretrain", "--resume", "--output", run.path]] {
            let second = try MesaProcess.run(arguments + ["--time-limit", "0.01"])   // were it not refused, it would stop soon
            XCTAssertNotEqual(second.status, 0, "\(arguments) must be refused")
            XCTAssertTrue(second.error.hasPrefix("Error: run folder \(run.path) is in use by process \(first.processIdentifier) (mesa pretrain --config \(config) --output \(run.path) --threads 1, started "),
                          second.error)
            XCTAssertTrue(second.error.hasSuffix("; wait for it to finish or choose another --output\n"), second.error)
        }
        XCTAssertTrue(first.isRunning, "the first run goes on")

        kill(first.processIdentifier, SIGKILL)   // dies holding the lock, perhaps mid-checkpoint
        first.waitUntilExit()
        let stale = run.appendingPathComponent(".checkpoint.safetensors.DEAD.partial")
        try Data(repeating: 1, count: 4096).write(to: stale)
        let resumed = try MesaProcess.run(["pretrain", "--resume", "--output", run.path, "--time-limit", "0.0001"])
        XCTAssertEqual(resumed.status, 0, resumed.error)
        XCTAssertTrue(resumed.output.contains("resuming \(run.path)"), resumed.output)
        let left = try FileManager.default.contentsOfDirectory(atPath: run.path)
        XCTAssertFalse(left.contains { $0.hasSuffix(".partial") }, "stale temporary files are removed: \(left)")
    }
}
