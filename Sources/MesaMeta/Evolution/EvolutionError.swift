/// Why an evolutionary optimiser or the BBOB benchmark could not go on: a setting out of range or
/// a `tell` that does not answer the last `ask`, or an unusable checkpoint. Each message says what is wrong and what is valid.
public enum EvolutionError: Error, CustomStringConvertible, Equatable {
    /// A setting is out of its range.
    case invalidConfiguration(String)
    /// `tell` was given points or values that do not answer the last `ask`.
    case invalidTell(String)
    /// A learned evolution strategy's checkpoint is missing, unreadable or of another kind.
    case invalidCheckpoint(String)

    /// The message.
    public var description: String {
        switch self {
        case .invalidConfiguration(let message), .invalidTell(let message), .invalidCheckpoint(let message): message
        }
    }
}
