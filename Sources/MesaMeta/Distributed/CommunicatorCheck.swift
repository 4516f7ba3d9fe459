import Foundation

/// A check of a ``Communicator`` on every rank (`mesa distributed-check`): that the all-reduce
/// sums, that both broadcasts deliver rank 0's buffer, and how long an all-reduce of a given size
/// takes, with the bus bandwidth that implies for a ring all-reduce (each rank sends and receives
/// `2(N−1)/N · 4P` bytes for `P` floats; Patarasuk & Yuan 2009).
public struct CommunicatorCheck: Sendable, Equatable {
    /// The ranks in the group.
    public var ranks: Int
    /// Whether every rank received `Σ_r (r+1)·v` from the all-reduce of `(r+1)·v`.
    public var allReduceIsCorrect: Bool
    /// Whether every rank received rank 0's floats and bytes from the broadcasts.
    public var broadcastIsCorrect: Bool
    /// The floats of the timed all-reduce.
    public var floats: Int
    /// The mean wall time of one all-reduce of `floats` floats, in seconds (rank 0's clock).
    public var allReduceSeconds: Double

    /// The bytes each rank sends (and receives) in a ring all-reduce of `floats` floats:
    /// `2(N−1)/N · 4P`.
    public var ringBytesPerRank: Double { 2 * Double(ranks - 1) / Double(ranks) * 4 * Double(floats) }
    /// ``ringBytesPerRank`` over ``allReduceSeconds``, in bytes per second (0 for one rank).
    public var busBandwidth: Double { allReduceSeconds > 0 ? ringBytesPerRank / allReduceSeconds : 0 }

    /// Runs the check on every rank of `communicator` (each must call it with the same arguments):
    /// an all-reduce of `(r+1)·(i mod 7 + 1)` (exact in `Float`), a float and a byte broadcast,
    /// then `repeats` timed all-reduces of `floats` floats between barriers. Every rank returns the
    /// same verdicts (they are all-reduced too).
    public static func run(on communicator: any Communicator, floats: Int, repeats: Int) throws -> CommunicatorCheck {
        let ranks = communicator.size, rank = communicator.rank
        let pattern = (0..<1000).map { Float($0 % 7 + 1) }
        var sum = pattern.map { $0 * Float(rank + 1) }
        try communicator.allReduceSum(&sum)
        let rankSum = Float(ranks * (ranks + 1) / 2)
        let sumIsRight = zip(sum, pattern).allSatisfy { $0 == $1 * rankSum }

        var floatsSent = rank == 0 ? pattern : [Float](repeating: 0, count: pattern.count)
        try communicator.broadcast(&floatsSent)
        let message = rank == 0 ? Array("rank 0 says hello".utf8) : nil
        let bytes = try communicator.broadcast(data: message)
        let broadcastIsRight = floatsSent == pattern && bytes == Array("rank 0 says hello".utf8)

        var failures: [Float] = [sumIsRight ? 0 : 1, broadcastIsRight ? 0 : 1]
        try communicator.allReduceSum(&failures)

        var buffer = [Float](repeating: 1, count: floats)
        try communicator.barrier()
        let start = Date()
        for _ in 0..<repeats { try communicator.allReduceSum(&buffer) }
        try communicator.barrier()
        let seconds = Date().timeIntervalSince(start) / Double(Swift.max(repeats, 1))
        return CommunicatorCheck(ranks: ranks, allReduceIsCorrect: failures[0] == 0, broadcastIsCorrect: failures[1] == 0,
                                 floats: floats, allReduceSeconds: seconds)
    }
}
