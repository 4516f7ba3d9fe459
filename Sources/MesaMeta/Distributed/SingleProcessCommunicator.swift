/// The group of one process: rank 0 of 1, where the all-reduce, the broadcasts and the barrier
/// leave their buffers as they are. The default ``Communicator`` (training without `mpirun`).
public final class SingleProcessCommunicator: Communicator {
    /// Always 0.
    public var rank: Int { 0 }
    /// Always 1.
    public var size: Int { 1 }

    /// The group of this process alone.
    public init() {}

    /// Leaves `buffer` as it is (the sum over one rank).
    public func allReduceSum(_ buffer: inout [Float]) {}
    /// Leaves `buffer` as it is (this rank is rank 0).
    public func broadcast(_ buffer: inout [Float]) {}
    /// Leaves `bytes` as they are (this rank is rank 0).
    public func broadcast(_ bytes: inout [UInt8]) {}
    /// Returns at once.
    public func barrier() {}
}
