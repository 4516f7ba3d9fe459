import Foundation
import Mesa
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `--distributed` under `mpirun -np 2` on the loopback interface: the collective operations, the
/// equivalence of 2 ranks × B/2 with 1 process × B, one MPI rank against the single-process path,
/// a killed rank, resuming. Built without the package trait MPI (`swift test --traits MPI`), the
/// tests that need MPI are skipped.
final class DistributedCommandTests: ScratchFolderTestCase {
    /// Whether the package was built with the trait MPI (and so `mesa` with `MPICommunicator`).
    static var isBuiltWithMPI: Bool {
        #if MPI
        true
        #else
        false
        #endif
    }

    override func setUpWithError() throws {
        guard Self.isBuiltWithMPI else {
            throw XCTSkip("mesa was built without MPI: run swift test --traits MPI (after scripts/setup --mpi) to test data-parallel training")
        }
        try super.setUpWithError()
    }

    /// `mpirun` for this machine: root allowed, oversubscription allowed, TCP on the loopback.
    private func mpirunArguments(ranks: Int, _ arguments: [String]) throws -> [String] {
        Self.mpirunOptions + ["-np", String(ranks), try MesaProcess.executable.path] + arguments
    }

    private static let mpirunOptions = ["--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,tcp", "--mca", "btl_tcp_if_include", "lo",
                                        "--mca", "oob_tcp_if_include", "lo"]

    private var mpirun: URL {
        get throws {
            let found = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
                .map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
                .first { FileManager.default.isExecutableFile(atPath: $0.path) }
            // Built with MPI, Open MPI is installed (the build needs it), so mpirun must be there.
            return try XCTUnwrap(found, "mpirun is not on PATH (Debian: openmpi-bin)")
        }
    }

    /// Runs `mesa arguments` on `ranks` MPI ranks to its end (`mpirun` with `arguments` as they
    /// are when `ranks` is nil).
    private func runMPI(ranks: Int?, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.arguments = try ranks.map { try mpirunArguments(ranks: $0, arguments) } ?? arguments
        process.executableURL = try mpirun
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile(), err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// A tiny pre-training configuration; SGD, so that the comparison of 1 and 2 ranks measures
    /// the all-reduce's rounding and not Adam's normalisation of gradients that are zero in exact
    /// arithmetic (docs/distributed.md).
    private func configuration(steps: Int, batchSize: Int = 4, extra: String = "") throws -> String {
        let url = directory.appendingPathComponent("tiny-\(steps)-\(batchSize).json")
        try """
        {"name": "tiny", "model": {"modelSize": 16, "layerCount": 1, "headCount": 2, "feedForwardSize": 32}, "steps": \(steps),
         "batchSize": \(batchSize), "maximumRows": 30, "optimizer": {"algorithm": "sgd", "learningRate": 0.05, "warmUpSteps": 0, "decay": "constant"}\(extra)}
        """.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func folder(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The trained tensors of a run's checkpoint (the optimizer's buffers left out).
    private func weights(_ run: String) throws -> [String: [Float]] {
        let checkpoint = try SafeTensors(contentsOf: URL(fileURLWithPath: run).appendingPathComponent("checkpoint.safetensors"))
        return Dictionary(uniqueKeysWithValues: checkpoint.names.filter { !$0.hasPrefix("optimizer.") }.map { ($0, checkpoint[$0]!.scalars) })
    }

    /// `‖a − b‖ / ‖b‖` over all tensors.
    private func relativeDifference(_ a: [String: [Float]], _ b: [String: [Float]]) -> Double {
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        var difference = 0.0, norm = 0.0
        for (name, values) in b {
            for (x, y) in zip(a[name]!, values) {
                difference += Double(x - y) * Double(x - y)
                norm += Double(y) * Double(y)
            }
        }
        return (difference / norm).squareRoot()
    }

    func testAllReduceAndBroadcastOnTwoRanks() throws {
        let result = try runMPI(ranks: 2, ["distributed-check", "--floats", "4096", "--repeats", "3"])
        XCTAssertEqual(result.status, 0, result.error)
        for expected in ["2 ranks (MPI)", "all-reduce sum: correct", "broadcast: correct", "all-reduce of 4096 floats: "] {
            XCTAssertTrue(result.output.contains(expected), "\(expected) missing from: \(result.output)")
        }
    }

    func testTwoRanksWithHalfBatchesMatchOneProcessWithTheWholeBatch() throws {
        let config = try configuration(steps: 5)
        let single = try MesaProcess.run(["pretrain", "--config", config, "--output", folder("one"), "--distributed", "--threads", "1"])
        XCTAssertEqual(single.status, 0, single.error)
        let pair = try runMPI(ranks: 2, ["pretrain", "--config", config, "--output", folder("two"), "--distributed", "--threads", "1"])
        XCTAssertEqual(pair.status, 0, pair.error)
        XCTAssertTrue(pair.output.contains("data-parallel over 2 ranks"), pair.output)
        XCTAssertEqual(pair.output.components(separatedBy: "finished at step 5").count, 2, "rank 0 alone reports: \(pair.output)")
        let (one, two) = (try weights(folder("one")), try weights(folder("two")))
        let difference = relativeDifference(two, one)
        XCTAssertLessThan(difference, 1e-5)
        XCTAssertGreaterThan(relativeDifference(one, try weights(folder("two")).mapValues { $0.map { $0 * 1.001 } }), 1e-5, "the measure sees a change")
        let metrics = try String(contentsOfFile: folder("two") + "/metrics.jsonl", encoding: .utf8)
        XCTAssertTrue(metrics.contains("allReduceShare"), metrics)
    }

    func testInContextAndEpisodicTrainingMatchOneProcessOnTwoRanks() throws {
        let inContext = directory.appendingPathComponent("in-context.json")
        try """
        {"name": "tiny", "task": {"family": "linear", "inputDimension": 3},
         "learner": {"modelSize": 16, "layerCount": 1, "headCount": 2, "maximumPointCount": 8},
         "training": {"steps": 4, "batchSize": 8, "pointCount": 8, "optimizer": {"algorithm": "sgd", "learningRate": 0.05, "warmUpSteps": 0, "decay": "constant"},
                      "evaluationInterval": 10, "evaluationPromptCount": 16, "checkpointInterval": 10, "logInterval": 5},
         "evaluation": {"baselines": ["leastSquares"], "promptCount": 64}}
        """.write(to: inContext, atomically: true, encoding: .utf8)
        let episodic = directory.appendingPathComponent("episodic.json")
        try """
        {"name": "tiny-maml", "algorithm": "maml", "source": "sinusoid", "hiddenSizes": [16, 16], "iterations": 4, "metaBatchSize": 4,
         "optimizer": {"algorithm": "sgd", "learningRate": 0.01}, "validationEpisodes": 8, "validationInterval": 100, "testEpisodes": 8}
        """.write(to: episodic, atomically: true, encoding: .utf8)
        for (command, config) in [("train", inContext.path), ("meta-train", episodic.path)] {
            let single = try MesaProcess.run([command, "--config", config, "--output", folder("\(command)-1"), "--distributed", "--threads", "1"])
            XCTAssertEqual(single.status, 0, single.error)
            let pair = try runMPI(ranks: 2, [command, "--config", config, "--output", folder("\(command)-2"), "--distributed", "--threads", "1"])
            XCTAssertEqual(pair.status, 0, pair.error)
            XCTAssertLessThan(relativeDifference(try weights(folder("\(command)-2")), try weights(folder("\(command)-1"))), 1e-5, command)
        }
    }

    func testOneMPIRankEqualsTheSingleProcessPathBitForBit() throws {
        let config = try configuration(steps: 4, extra: #", "checkpointInterval": 2"#)
        let single = try MesaProcess.run(["pretrain", "--config", config, "--output", folder("alone"), "--distributed", "--threads", "1"])
        XCTAssertEqual(single.status, 0, single.error)
        let mpi = try runMPI(ranks: 1, ["pretrain", "--config", config, "--output", folder("mpi"), "--distributed", "--threads", "1"])
        XCTAssertEqual(mpi.status, 0, mpi.error)
        XCTAssertEqual(try weights(folder("mpi")), try weights(folder("alone")))
    }

    func testResumingADistributedRunContinuesIt() throws {
        let config = try configuration(steps: 6)
        let whole = try runMPI(ranks: 2, ["pretrain", "--config", config, "--output", folder("whole"), "--distributed", "--threads", "1"])
        XCTAssertEqual(whole.status, 0, whole.error)
        // A time limit already passed stops after the first step, with a checkpoint.
        let first = try runMPI(ranks: 2, ["pretrain", "--config", config, "--output", folder("pieces"), "--distributed", "--threads", "1",
                                          "--time-limit", "0.00001"])
        XCTAssertEqual(first.status, 0, first.error)
        XCTAssertTrue(first.output.contains("stopped at step 1"), first.output)
        XCTAssertTrue(first.output.contains("continue with: mesa pretrain --resume --output \(folder("pieces")) --distributed"), first.output)
        let rest = try runMPI(ranks: 2, ["pretrain", "--resume", "--output", folder("pieces"), "--distributed", "--threads", "1"])
        XCTAssertEqual(rest.status, 0, rest.error)
        XCTAssertTrue(rest.output.contains("resuming \(folder("pieces")) at step 1 of 6"), rest.output)
        XCTAssertEqual(try weights(folder("pieces")), try weights(folder("whole")), "same ranks: bit for bit")
        let finished = try runMPI(ranks: 2, ["pretrain", "--resume", "--output", folder("pieces"), "--distributed"])
        XCTAssertEqual(finished.status, 0, finished.error)
        XCTAssertTrue(finished.output.contains("is finished (6 of 6 steps); nothing to resume"), finished.output)

        // Another number of ranks draws the same examples: equal up to the all-reduce's rounding.
        let other = try runMPI(ranks: 2, ["pretrain", "--config", config, "--output", folder("switch"), "--distributed", "--threads", "1",
                                          "--time-limit", "0.00001"])
        XCTAssertEqual(other.status, 0, other.error)
        let alone = try MesaProcess.run(["pretrain", "--resume", "--output", folder("switch"), "--distributed", "--threads", "1"])
        XCTAssertEqual(alone.status, 0, alone.error)
        XCTAssertLessThan(relativeDifference(try weights(folder("switch")), try weights(folder("whole"))), 1e-5)

        let plain = try MesaProcess.run(["pretrain", "--resume", "--output", folder("whole"), "--steps", "8"])
        XCTAssertNotEqual(plain.status, 0)
        XCTAssertTrue(plain.error.contains("this run was started with --distributed (data-parallel sampling): resume it with --distributed"), plain.error)
    }

    func testABatchTheRanksDoNotDivideIsRefused() throws {
        let config = try configuration(steps: 2, batchSize: 3)
        let result = try runMPI(ranks: 2, ["pretrain", "--config", config, "--output", folder("odd"), "--distributed", "--threads", "1"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.error.contains("the batch of 3 does not split evenly over 2 ranks: use a batch size divisible by 2 (e.g. 2 or 4)"), result.error)
    }

    func testARankThatFailsNamesItselfAndStopsEveryRank() throws {
        // Rank 1 runs another command (MPI's multiple-program form), so that it cannot build its
        // replica from the pre-training checkpoint rank 0 sends, while rank 0 waits to train.
        let mesa = try MesaProcess.executable.path
        let result = try runMPI(ranks: nil, Self.mpirunOptions + [
            "-np", "1", mesa, "pretrain", "--config", try configuration(steps: 100), "--output", folder("mixed"), "--distributed", ":",
            "-np", "1", mesa, "meta-train", "--preset", "maml-sine", "--distributed",
        ])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.error.contains("mesa meta-train: rank 1 of 2 failed: "), result.error)
        XCTAssertTrue(result.error.contains("; stopping every rank"), result.error)
        XCTAssertFalse(result.output.contains("finished"), result.output)
    }

    func testAKilledRankEndsTheJobNamingItAndTheRunResumes() throws {
        #if canImport(Glibc)
        let config = try configuration(steps: 1_000_000, extra: #", "checkpointInterval": 1"#)
        let run = folder("killed")
        let job = Process()
        job.executableURL = try mpirun
        job.arguments = try mpirunArguments(ranks: 2, ["pretrain", "--config", config, "--output", run, "--distributed", "--threads", "1"])
        let error = Pipe()
        job.standardOutput = FileHandle.nullDevice
        job.standardError = error
        try job.run()
        defer { if job.isRunning { job.terminate(); job.waitUntilExit() } }
        let checkpoint = run + "/checkpoint.safetensors"
        let deadline = Date().addingTimeInterval(60)
        while (try? SafeTensors(contentsOf: URL(fileURLWithPath: checkpoint)))?.metadata["mesa.step"].flatMap(Int.init) ?? 0 < 2 && Date() < deadline {
            usleep(50_000)
        }
        let rankOne = try XCTUnwrap(Self.children(of: job.processIdentifier).first { Self.environment(of: $0)["OMPI_COMM_WORLD_RANK"] == "1" },
                                    "rank 1's process")
        kill(rankOne, SIGKILL)
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        job.waitUntilExit()
        XCTAssertNotEqual(job.terminationStatus, 0)
        XCTAssertTrue(message.contains("process rank 1 with PID") && message.contains("exited on signal 9 (Killed)"), message)

        let saved = try SafeTensors(contentsOf: URL(fileURLWithPath: checkpoint))   // intact: written atomically
        let step = try XCTUnwrap(saved.metadata["mesa.step"].flatMap(Int.init))
        let resumed = try runMPI(ranks: 2, ["pretrain", "--resume", "--output", run, "--distributed", "--threads", "1", "--time-limit", "0.00001"])
        XCTAssertEqual(resumed.status, 0, resumed.error)
        XCTAssertTrue(resumed.output.contains("resuming \(run) at step \(step) of 1000000"), resumed.output)
        XCTAssertTrue(resumed.output.contains("stopped at step \(step + 1)"), resumed.output)
        #else
        throw XCTSkip("finding rank 1's process reads /proc (Linux)")
        #endif
    }

    /// The processes whose parent is `parent` (from /proc).
    private static func children(of parent: Int32) -> [Int32] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap(Int32.init) ?? []
        return pids.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent
        }
    }

    /// A process's environment (from /proc).
    private static func environment(of pid: Int32) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return [:] }
        return Dictionary(data.split(separator: 0).compactMap { entry -> (String, String)? in
            let text = String(decoding: entry, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { return nil }
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }, uniquingKeysWith: { first, _ in first })
    }
}
