import MesaCore
import MesaNN

/// Errors of the in-context learning layer: bad configurations and batches that do not fit a learner.
public enum InContextError: Error, CustomStringConvertible, Equatable {
    /// A configuration value is missing, out of range or inconsistent.
    case invalidConfiguration(String)
    /// A batch does not fit the learner.
    case incompatibleBatch(String)
    /// A checkpoint or run directory cannot be used.
    case invalidCheckpoint(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message): return "invalid configuration: \(message)"
        case .incompatibleBatch(let message): return "incompatible batch: \(message)"
        case .invalidCheckpoint(let message): return "invalid checkpoint: \(message)"
        }
    }
}
