/// Why Bayesian optimisation could not go on: a malformed search space or history, an objective
/// command that failed, or a method that is not available. Each message says what went wrong,
/// where, and what to do, in one sentence a command line can print as it is.
public enum OptimizationError: Error, CustomStringConvertible, Equatable {
    /// The search space (its JSON file or its values) is malformed.
    case invalidSpace(String)
    /// The evaluation history (its CSV file) does not fit the search space or is malformed.
    case invalidHistory(String)
    /// The objective command could not be run, failed, or printed no usable number.
    case evaluationFailed(String)
    /// A setting names a method or value that is not available (e.g. a surrogate not built yet).
    case unavailable(String)
    /// A training configuration (`mesa train-nap --config`) is malformed or out of range.
    case invalidConfiguration(String)

    /// The message.
    public var description: String {
        switch self {
        case .invalidSpace(let message), .invalidHistory(let message), .evaluationFailed(let message), .unavailable(let message),
             .invalidConfiguration(let message):
            message
        }
    }
}
