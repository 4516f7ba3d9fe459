import Foundation

/// Errors of `mesa predict` and the tabular predictor: each names the problem and the fix.
public enum TabularError: Error, CustomStringConvertible, Equatable {
    /// The table cannot be used as given.
    case invalidTable(String)
    /// The request exceeds what the model handles without an option.
    case unsupported(String)
    /// A model file is missing or does not fit.
    case invalidModel(String)
    /// An output cannot be written where asked without overwriting something.
    case invalidOutput(String)

    /// The message.
    public var description: String {
        switch self {
        case .invalidTable(let message), .unsupported(let message), .invalidModel(let message), .invalidOutput(let message): message
        }
    }
}
