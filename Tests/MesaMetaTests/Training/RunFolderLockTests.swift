import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

/// One run per folder: a second run (in another thread or process) is refused with the first
/// one's process named, a lock left by a dead process is taken over, and the temporary files of
/// interrupted checkpoint writes are removed once the folder is locked.
final class RunFolderLockTests: XCTestCase {
    private func folder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-lock-\(UUID())")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func configuration(steps: Int = 4) -> TabularPretrainingConfiguration {
        var c = TabularPretrainingConfiguration()
        c.model.modelSize = 16
        c.model.layerCount = 1
        c.model.headCount = 2
        c.model.feedForwardSize = 32
        c.steps = steps
        c.batchSize = 2
        c.maximumRows = 30
        c.checkpointInterval = 2
        return c
    }

    func testASecondRunOnTheSameFolderIsRefusedWhileTheFirstLives() throws {
        let directory = folder()
        var first: TabularPretrainer? = try TabularPretrainer(configuration: configuration(), directory: directory)
        try first?.run(stoppingAt: 2)
        let holder = try XCTUnwrap(RunFolderLock.holder(of: directory))
        XCTAssertEqual(holder.processIdentifier, getpid())
        XCTAssertEqual(holder.command, RunFolderLock.Holder.recordedCommand([URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent] + CommandLine.arguments.dropFirst()))

        // From another thread, as a new run and as a resume: refused at once, naming the holder.
        let attempts: [@Sendable () throws -> Void] = [
            { [configuration = configuration()] in _ = try TabularPretrainer(configuration: configuration, directory: directory) },
            { _ = try TabularPretrainer(resumingFrom: directory) },
        ]
        for attempt in attempts {
            let refusal = SharedBox<String?>(nil)
            let done = DispatchSemaphore(value: 0)
            Thread {
                defer { done.signal() }
                do { try attempt() } catch { refusal.value = "\(error)" }
            }.start()
            done.wait()
            let message = try XCTUnwrap(refusal.value, "the second run must be refused")
            XCTAssertTrue(message.hasPrefix("run folder \(directory.path) is in use by process \(getpid()) ("), message)
            XCTAssertTrue(message.hasSuffix("; wait for it to finish or choose another --output"), message)
        }
        XCTAssertEqual(first?.step, 2, "the first run is untouched")
        try first?.run()
        XCTAssertEqual(first?.step, 4)

        first = nil   // its session ends: the lock is released
        XCTAssertThrowsError(try TabularPretrainer(resumingFrom: directory, extendingTo: 4)) { XCTAssertTrue("\($0)".contains("do not extend"), "\($0)") }
        XCTAssertEqual(try TabularPretrainer(resumingFrom: directory).step, 4)
    }

    func testALockLeftByADeadProcessIsTakenOver() throws {
        let directory = folder()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A process that died (killed while training) left its record; the kernel released its lock.
        let dead = #"{"command":"mesa pretrain --output x","host":"elsewhere","processIdentifier":999999999,"started":"2026-01-01T00:00:00Z"}"# + "\n"
        try dead.write(to: directory.appendingPathComponent("lock"), atomically: false, encoding: .utf8)
        let trainer = try TabularPretrainer(configuration: configuration(), directory: directory)
        XCTAssertEqual(RunFolderLock.holder(of: directory)?.processIdentifier, getpid())
        XCTAssertEqual(RunFolderLock.holder(of: directory)?.host, RunFolderLock.Holder.current.host)
        try trainer.run()
        XCTAssertEqual(trainer.step, 4)
    }

    /// Found by running the suite under the sanitizers with `--filter`: the test runner's command
    /// line then lists every test, its record outgrew the 4 KB the reader read, and the holder
    /// of a lock could no longer be named.
    func testALongCommandLineIsRecordedShortAndReadsBack() throws {
        let long = ["mesa", "predict"] + (0..<2000).map { "--ignore column\($0)" }
        let command = RunFolderLock.Holder.recordedCommand(long)
        XCTAssertEqual(command.unicodeScalars.count, RunFolderLock.Holder.maximumCommandLength)
        XCTAssertTrue(command.hasPrefix("mesa predict --ignore column0 --ignore column1 ") && command.hasSuffix("…"), command)
        XCTAssertEqual(RunFolderLock.Holder.recordedCommand(["mesa", "pretrain"]), "mesa pretrain")

        // A record of the longest command, in characters of six escaped bytes each, reads back.
        let directory = folder()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let holder = RunFolderLock.Holder(processIdentifier: 42, host: "h", command: String(repeating: "\u{1}", count: RunFolderLock.Holder.maximumCommandLength),
                                          started: Date(timeIntervalSince1970: 1_796_000_000))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(holder).write(to: directory.appendingPathComponent(RunFolderLock.fileName))
        XCTAssertEqual(RunFolderLock.holder(of: directory), holder)
    }

    func testTheMessageNamesAHolderOnAnotherHost() {
        let holder = RunFolderLock.Holder(processIdentifier: 1234, host: "gpu-7", command: "mesa pretrain --output runs/p",
                                          started: Date(timeIntervalSince1970: 1_796_000_000))
        XCTAssertEqual(RunFolderInUse(directory: URL(fileURLWithPath: "/runs/p"), holder: holder).description,
                       "run folder /runs/p is in use by process 1234 on gpu-7 (mesa pretrain --output runs/p, started 2026-11-30 00:53:20Z); wait for it to finish or choose another --output")
        XCTAssertEqual(RunFolderInUse(directory: URL(fileURLWithPath: "/runs/p"), holder: nil).description,
                       "run folder /runs/p is in use by another process; wait for it to finish or choose another --output")
    }

    func testStalePartialFilesAreRemovedOnStartAndOnResume() throws {
        let directory = folder()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stale = [".checkpoint.safetensors.0F3A.partial", ".metrics.jsonl.1B2C.partial"]
        for name in stale { try Data(repeating: 7, count: 1000).write(to: directory.appendingPathComponent(name)) }
        do {
            let trainer = try TabularPretrainer(configuration: configuration(), directory: directory)
            XCTAssertTrue(Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)).isDisjoint(with: stale), "removed on start")
            try trainer.run(stoppingAt: 2)
        }
        // Killed while writing its next checkpoint (SIGKILL): the temporary files stay behind.
        for name in stale { try Data(repeating: 7, count: 1000).write(to: directory.appendingPathComponent(name)) }
        let resumed = try TabularPretrainer(resumingFrom: directory)
        XCTAssertEqual(resumed.step, 2)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)),
                       ["checkpoint.safetensors", "config.json", "metrics.jsonl", "lock"], "removed on resume")
    }

    func testReadingARunForTestingNeitherLocksNorRemovesFiles() throws {
        let directory = folder()
        let trainer = try TabularPretrainer(configuration: configuration(), directory: directory)
        try trainer.run(stoppingAt: 2)
        let live = directory.appendingPathComponent(".checkpoint.safetensors.LIVE.partial")
        try Data().write(to: live)
        let point: ResumePoint<TabularPretrainingConfiguration> = try RunFolder.resumePoint(in: directory, extendingTo: nil, locking: false)
        XCTAssertEqual(point.step, 2)
        XCTAssertNil(point.lock)
        XCTAssertTrue(FileManager.default.fileExists(atPath: live.path), "a live writer's file is never removed")
    }
}

/// A value shared with a thread of a test.
private final class SharedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
