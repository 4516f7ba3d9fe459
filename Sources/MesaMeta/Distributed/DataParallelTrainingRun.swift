import Foundation
import MesaCore

/// A ``TrainingRun`` that can train data-parallel (``DataParallel``): its checkpoint can be taken
/// in memory and sent to the other ranks, which build replicas of the run from it.
/// ``TabularPretrainer``, ``InContextTrainer`` and ``EpisodicTrainer`` conform.
public protocol DataParallelTrainingRun: TrainingRun {
    /// The global batch: examples (tables, prompts, episodes) per optimizer step over all ranks.
    var globalBatchSize: Int { get }
    /// The checkpoint as ``TrainingRun/saveCheckpoint()`` writes it, in memory.
    func makeCheckpoint() throws -> SafeTensors
    /// A replica of the run whose checkpoint is `checkpoint`, for a rank other than 0: it reads
    /// and writes nothing in `directory` (rank 0's run folder).
    init(replicating checkpoint: SafeTensors, directory: URL) throws
}

extension DataParallelTrainingRun {
    /// Writes ``makeCheckpoint()`` atomically.
    public func saveCheckpoint() throws {
        try state.write(try makeCheckpoint())
    }

    /// Starts the run on every rank of `communicator`, data-parallel: rank 0 runs `leader` (a new
    /// run or a resumed one, in its run folder) and broadcasts the run's checkpoint (weights,
    /// optimizer state, generator, step, configuration); every other rank builds its replica from
    /// those bytes, so all ranks start from the same bits whether the run is new or resumed, and
    /// only rank 0 needs the run folder. Call it on every rank.
    ///
    /// - Returns: the run, ready for ``TrainingRun/run(stoppingAt:deadline:observer:)``, or `nil`
    ///   on every rank when `leader` returns `nil` (nothing to train, e.g. a finished run).
    /// - Throws: `leader`'s error on rank 0 and ``DistributedTrainingError/leaderFailed`` on the
    ///   others; ``DistributedTrainingError/batchNotDivisible(batchSize:ranks:)`` or
    ///   ``DistributedTrainingError/samplingMismatch(saved:)`` the same way; the communicator's errors.
    public static func start(over communicator: any Communicator, leader: () throws -> Self?) throws -> Self? {
        var status: [UInt8] = [0]
        if communicator.isLeader {
            let message: [UInt8]?
            let trainer: Self?
            do {
                trainer = try leader()
                if let trainer {
                    trainer.state.dataParallel = DataParallel(communicator: communicator)
                    try trainer.state.checkSampling()
                    _ = try trainer.state.dataParallel!.shard(ofBatch: trainer.globalBatchSize)
                    var checkpoint = try trainer.makeCheckpoint()
                    checkpoint.metadata["mesa.runFolder"] = trainer.directory.path
                    message = [UInt8](try checkpoint.serializedData())
                } else {
                    message = nil
                }
            } catch {
                status = [Self.failed]
                try? communicator.broadcast(&status)
                throw error
            }
            status = [trainer == nil ? Self.nothingToDo : Self.ready]
            try communicator.broadcast(&status)
            if trainer != nil { _ = try communicator.broadcast(data: message) }
            return trainer
        }
        try communicator.broadcast(&status)
        switch status[0] {
        case Self.nothingToDo: return nil
        case Self.failed: throw DistributedTrainingError.leaderFailed
        default: break
        }
        guard let bytes = try communicator.broadcast(data: nil) else { throw DistributedTrainingError.leaderFailed }
        let checkpoint = try SafeTensors(data: Data(bytes))
        let trainer = try Self(replicating: checkpoint, directory: URL(fileURLWithPath: checkpoint.metadata["mesa.runFolder"] ?? "."))
        trainer.state.dataParallel = DataParallel(communicator: communicator)
        return trainer
    }

    private static var ready: UInt8 { 0 }
    private static var nothingToDo: UInt8 { 1 }
    private static var failed: UInt8 { 2 }
}
