#if MPI
import CMPI
import MesaMeta

/// The processes of an MPI job (`MPI_COMM_WORLD`) as a ``Communicator``: the ranks `mpirun`
/// started, exchanging buffers through Open MPI (MPI-3.1 standard, §5 "Collective
/// Communication": `MPI_Allreduce` with `MPI_SUM`, `MPI_Bcast`, `MPI_Barrier`).
///
/// Only the main thread calls MPI (`MPI_THREAD_FUNNELED`). MPI's errors come back as
/// ``MPIError`` (the communicator's error handler is `MPI_ERRORS_RETURN`) naming the operation
/// and this rank; a rank that dies makes `mpirun` end the job and name it.
///
/// ```swift
/// let world = try MPICommunicator()          // in a process started by mpirun -np N
/// defer { world.finalize() }
/// var gradient: [Float] = …
/// try world.allReduceMean(&gradient)         // every rank now holds the mean
/// ```
public final class MPICommunicator: Communicator {
    /// This process's rank in `MPI_COMM_WORLD` (`MPI_Comm_rank`).
    public let rank: Int
    /// The number of processes in the job (`MPI_Comm_size`).
    public let size: Int
    private let world: MPI_Comm

    /// Joins the MPI job this process belongs to (initialising MPI once per process); a process
    /// not started by `mpirun` becomes a job of one rank.
    public init() throws {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 {
            var provided: Int32 = 0
            try MPIError.check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided), operation: "MPI_Init_thread", rank: nil)
        }
        world = mesa_mpi_comm_world()
        MPI_Comm_set_errhandler(world, mesa_mpi_errors_return())
        var rank: Int32 = 0, size: Int32 = 0
        try MPIError.check(MPI_Comm_rank(world, &rank), operation: "MPI_Comm_rank", rank: nil)
        try MPIError.check(MPI_Comm_size(world, &size), operation: "MPI_Comm_size", rank: Int(rank))
        self.rank = Int(rank)
        self.size = Int(size)
    }

    /// `MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD)`, in
    /// pieces of at most 2³⁰ floats (MPI counts are 32-bit).
    public func allReduceSum(_ buffer: inout [Float]) throws {
        try inPieces(of: &buffer) { pointer, count in
            (MPI_Allreduce(mesa_mpi_in_place(), pointer, count, mesa_mpi_float(), mesa_mpi_sum(), world), "MPI_Allreduce")
        }
    }

    /// `MPI_Bcast(buffer, count, MPI_FLOAT, 0, MPI_COMM_WORLD)`.
    public func broadcast(_ buffer: inout [Float]) throws {
        try inPieces(of: &buffer) { pointer, count in (MPI_Bcast(pointer, count, mesa_mpi_float(), 0, world), "MPI_Bcast") }
    }

    /// `MPI_Bcast(bytes, count, MPI_BYTE, 0, MPI_COMM_WORLD)`.
    public func broadcast(_ bytes: inout [UInt8]) throws {
        try inPieces(of: &bytes) { pointer, count in (MPI_Bcast(pointer, count, mesa_mpi_byte(), 0, world), "MPI_Bcast") }
    }

    /// `MPI_Barrier(MPI_COMM_WORLD)`.
    public func barrier() throws {
        try MPIError.check(MPI_Barrier(world), operation: "MPI_Barrier", rank: rank)
    }

    /// Ends this process's part in the job (`MPI_Finalize`); call it once, after the last
    /// operation, on every rank.
    public func finalize() {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if finalized == 0 { MPI_Finalize() }
    }

    /// Ends every rank of the job with `code` (`MPI_Abort`): for an error on one rank while the
    /// others may wait for it in a collective operation.
    public func abort(code: Int32) -> Never {
        MPI_Abort(world, code)
        fatalError("MPI_Abort returned")
    }

    /// Runs `operation` on consecutive pieces of `buffer` of at most 2³⁰ elements.
    private func inPieces<Element>(of buffer: inout [Element],
                                   _ operation: (UnsafeMutableRawPointer, Int32) -> (status: Int32, name: String)) throws {
        let piece = 1 << 30
        try buffer.withUnsafeMutableBufferPointer { elements in
            var start = 0
            while start < elements.count {
                let count = Swift.min(piece, elements.count - start)
                let (status, name) = operation(UnsafeMutableRawPointer(elements.baseAddress! + start), Int32(count))
                try MPIError.check(status, operation: name, rank: rank)
                start += count
            }
        }
    }
}
#endif
