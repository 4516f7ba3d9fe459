/// A group of cooperating processes (ranks `0..<size`) exchanging flat buffers, as data-parallel
/// training needs them: the sum of a buffer over all ranks (all-reduce), a buffer sent from rank 0
/// to every rank (broadcast), and a barrier.
///
/// ``SingleProcessCommunicator`` is the default (one rank: every operation is the identity);
/// `MPICommunicator` (module MesaMPI, package trait `MPI`) is a group of MPI processes started by
/// `mpirun`. Every rank must call the same operations in the same order with buffers of the same
/// length, or the group deadlocks (the MPI rule for collective operations).
public protocol Communicator: AnyObject {
    /// This process's index in the group, `0..<size`; rank 0 leads (it alone writes files).
    var rank: Int { get }
    /// The number of processes in the group.
    var size: Int { get }
    /// Replaces `buffer` on every rank by the element-wise sum of every rank's `buffer`:
    /// `buffer[i] ← Σ_r buffer_r[i]`. The order of the floating-point additions is the
    /// implementation's (see docs/distributed.md); every rank receives the same bits.
    func allReduceSum(_ buffer: inout [Float]) throws
    /// Replaces `buffer` on every rank by rank 0's (all ranks pass buffers of the same length).
    func broadcast(_ buffer: inout [Float]) throws
    /// Replaces `bytes` on every rank by rank 0's (all ranks pass buffers of the same length).
    func broadcast(_ bytes: inout [UInt8]) throws
    /// Returns once every rank has called it.
    func barrier() throws
}

extension Communicator {
    /// Whether this rank leads the group (rank 0).
    public var isLeader: Bool { rank == 0 }

    /// Replaces `buffer` on every rank by the element-wise mean over the ranks:
    /// `buffer[i] ← (1/size) Σ_r buffer_r[i]` (``allReduceSum(_:)``, then one multiplication).
    public func allReduceMean(_ buffer: inout [Float]) throws {
        try allReduceSum(&buffer)
        guard size > 1 else { return }
        let scale = 1 / Float(size)
        for index in buffer.indices { buffer[index] *= scale }
    }

    /// Sends rank 0's `data` to every rank, whose argument is ignored, and returns it: first its
    /// length (8 bytes), then its bytes. `nil` on rank 0 arrives as `nil` on every rank (rank 0
    /// has nothing to send: it failed, or there is nothing to do).
    public func broadcast(data: [UInt8]?) throws -> [UInt8]? {
        var length = [UInt8](repeating: 0, count: 8)
        if isLeader {
            let value = UInt64(bitPattern: Int64(data.map(\.count) ?? -1))
            for index in 0..<8 { length[index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        }
        try broadcast(&length)
        let count = Int64(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(length[$1]) << (8 * UInt64($1)) })
        guard count >= 0 else { return nil }
        var bytes = isLeader ? data! : [UInt8](repeating: 0, count: Int(count))
        if count > 0 { try broadcast(&bytes) }
        return bytes
    }
}
