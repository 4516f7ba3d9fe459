import Foundation
import MesaCore

/// Errors of the episodic meta-learning data and runs, each naming the problem and the fix.
public enum MetaLearningError: Error, CustomStringConvertible, Equatable {
    /// A data file is missing, unreadable or malformed.
    case invalidData(String)
    /// A configuration does not make sense.
    case invalidConfiguration(String)

    /// The message.
    public var description: String {
        switch self {
        case .invalidData(let message): "invalid data: \(message)"
        case .invalidConfiguration(let message): "invalid configuration: \(message)"
        }
    }
}
