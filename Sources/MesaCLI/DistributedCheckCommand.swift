import ArgumentParser
import Foundation
import Mesa

/// `mesa distributed-check`: checks the MPI set-up that `--distributed` training uses.
struct DistributedCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distributed-check",
        abstract: "Check data-parallel communication: run it as mpirun -np N mesa distributed-check (docs/distributed.md).",
        discussion: "Every rank all-reduces and broadcasts known buffers and checks what arrives; rank 0 reports the verdicts and the time of an all-reduce of --floats floats (e.g. a model's parameter count) with the bus bandwidth it implies."
    )

    @Option(help: "Floats in the timed all-reduce (e.g. the model's parameter count).") var floats = 1_000_000
    @Option(help: "Timed all-reduces to average over.") var repeats = 20

    func validate() throws {
        guard floats > 0 else { throw ValidationError("--floats must be positive, got \(floats)") }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive, got \(repeats)") }
    }

    func run() throws {
        var option = DistributedOption()
        option.distributed = true
        let communicator = try option.communicator()!
        defer { DistributedOption.finalize(communicator) }
        let check = try CommunicatorCheck.run(on: communicator, floats: floats, repeats: repeats)
        guard communicator.isLeader else { return }
        print("mesa distributed-check: \(check.ranks) rank\(check.ranks == 1 ? "" : "s")\(DistributedOption.isLaunchedByMPI ? " (MPI)" : " (one process: launch with mpirun -np N to check MPI)")")
        print("all-reduce sum: \(check.allReduceIsCorrect ? "correct" : "WRONG")")
        print("broadcast: \(check.broadcastIsCorrect ? "correct" : "WRONG")")
        print(String(format: "all-reduce of %d floats: %.3f ms (mean of %d); ring traffic %.3f MB per rank, bus bandwidth %.2f GB/s",
                     floats, check.allReduceSeconds * 1000, repeats, check.ringBytesPerRank / 1e6, check.busBandwidth / 1e9))
        if !check.allReduceIsCorrect || !check.broadcastIsCorrect { throw ExitCode.failure }
    }
}
