import ArgumentParser
import Foundation
import Mesa
#if MPI
import MesaMPI
#endif

/// `--distributed`, the option of the commands that train (`pretrain`, `train`, `meta-train`):
/// data-parallel training over the ranks `mpirun` started (docs/distributed.md). Without
/// `mpirun`, one rank with the same sampling, so a run behaves alike however it is launched.
struct DistributedOption: ParsableArguments {
    @Flag(help: "Train data-parallel over the processes mpirun started (mpirun -np N mesa … --distributed; needs a mesa built with --traits MPI). Alone: one process, the same batches.")
    var distributed = false

    /// Whether this process was started by an MPI launcher (`mpirun`, `srun`): Open MPI's and
    /// PMI's rank variables.
    static var isLaunchedByMPI: Bool {
        let environment = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"].contains { environment[$0] != nil }
    }

    /// The group to train with: `nil` without `--distributed`; the MPI job under `mpirun`;
    /// otherwise one process.
    func communicator() throws -> (any Communicator)? {
        guard distributed else { return nil }
        guard Self.isLaunchedByMPI else { return SingleProcessCommunicator() }
        #if MPI
        return try MPICommunicator()
        #else
        throw ValidationErrorMessage("--distributed under mpirun needs a mesa built with MPI: install Open MPI (scripts/setup --mpi) and build with swift build -c release --traits MPI (docs/distributed.md)")
        #endif
    }

    /// Builds a run and trains it, data-parallel with `--distributed`: `makeLeader` on rank 0
    /// (`nil`: nothing to train) and replicas on the other ranks
    /// (``DataParallelTrainingRun/start(over:leader:)``), then `train` on every rank. Rank 0's
    /// failure to start the run is reported as usual (the other ranks stop quietly); any other
    /// error on one rank of several is printed with the rank and ends every rank (`MPI_Abort`),
    /// since the others may be waiting for it.
    func train<Run: DataParallelTrainingRun>(command: String, makeLeader: () throws -> Run?, train: (Run) throws -> Void) throws {
        guard let communicator = try communicator() else {
            if let trainer = try makeLeader() { try train(trainer) }
            return
        }
        defer { Self.finalize(communicator) }
        var started = false
        do {
            guard let trainer = try Run.start(over: communicator, leader: makeLeader) else { return }
            started = true
            try train(trainer)
        } catch DistributedTrainingError.leaderFailed {
            throw ExitCode.failure   // rank 0 says why
        } catch {
            guard communicator.size > 1, started || !communicator.isLeader else { throw error }
            FileHandle.standardError.write(Data("mesa \(command): rank \(communicator.rank) of \(communicator.size) failed: \(error); stopping every rank\n".utf8))
            Self.abort(communicator)
            throw error
        }
    }

    static func finalize(_ communicator: any Communicator) {
        #if MPI
        (communicator as? MPICommunicator)?.finalize()
        #endif
    }

    private static func abort(_ communicator: any Communicator) {
        #if MPI
        (communicator as? MPICommunicator)?.abort(code: 1)
        #endif
    }
}
