/// Why a data-parallel run cannot start or go on.
public enum DistributedTrainingError: Error, Equatable, CustomStringConvertible {
    /// The ranks do not divide the global batch.
    case batchNotDivisible(batchSize: Int, ranks: Int)
    /// Rank 0 failed to start the run (its own error says why); the other ranks stop.
    case leaderFailed
    /// A run started one way is resumed the other: `saved` is `true` when the checkpoint was
    /// written by a data-parallel run.
    case samplingMismatch(saved: Bool)

    /// A one-sentence explanation with the way out.
    public var description: String {
        switch self {
        case .batchNotDivisible(let batchSize, let ranks):
            let lower = batchSize / ranks * ranks, upper = lower + ranks
            return "the batch of \(batchSize) does not split evenly over \(ranks) ranks: use a batch size divisible by \(ranks) (e.g. \(lower > 0 ? "\(lower) or " : "")\(upper)) or another number of ranks"
        case .leaderFailed:
            return "rank 0 could not start the run (its message says why)"
        case .samplingMismatch(let saved):
            return saved
                ? "this run was started with --distributed (data-parallel sampling): resume it with --distributed (under mpirun or alone)"
                : "this run was started without --distributed: resume it without --distributed (data-parallel sampling draws other batches)"
        }
    }
}
