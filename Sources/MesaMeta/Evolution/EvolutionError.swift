/// Why an evolutionary optimiser or the BBOB benchmark could not go on: a setting out of range or
/// a `tell` that does not answer the last `ask`. Each message says what is wrong and what is valid.
public enum EvolutionError: Error, CustomStringConvertible, Equatable {
    /// A setting is out of its range.
    case invalidConfiguration(String)
    /// `tell` was given points or values that do not answer the last `ask`.
    case invalidTell(String)

    /// The message.
    public var description: String {
        switch self {
        case .invalidConfiguration(let message), .invalidTell(let message): message
        }
    }
}
