import MesaNN

/// The error thrown by ``Optimizer/load(_:)`` when a snapshot does not fit the optimizer: another
/// algorithm, other fixed hyperparameters, another number or shape of parameters, missing
/// buffers, or values out of range.
public struct OptimizerStateMismatch: Error, CustomStringConvertible, Equatable, Sendable {
    /// What does not fit, naming the values on both sides.
    public let message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    public var description: String { "OptimizerStateMismatch: \(message)" }
}
