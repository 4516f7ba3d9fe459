#if MPI
import CMPI

/// An MPI call that did not return `MPI_SUCCESS`, with MPI's own explanation (`MPI_Error_string`).
public struct MPIError: Error, CustomStringConvertible {
    /// The MPI function, e.g. `MPI_Allreduce`.
    public let operation: String
    /// The rank that saw the error, when known.
    public let rank: Int?
    /// MPI's error code.
    public let code: Int32
    /// MPI's description of `code`.
    public let message: String

    /// The call, the rank and MPI's explanation, e.g. `MPI_Allreduce failed on rank 1: …`.
    public var description: String {
        "\(operation) failed\(rank.map { " on rank \($0)" } ?? ""): \(message) (MPI error \(code))"
    }

    /// Throws unless `status` is `MPI_SUCCESS`.
    static func check(_ status: Int32, operation: String, rank: Int?) throws {
        guard status != MPI_SUCCESS else { return }
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(status, &text, &length)
        let message = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw MPIError(operation: operation, rank: rank, code: status, message: message)
    }
}
#endif
