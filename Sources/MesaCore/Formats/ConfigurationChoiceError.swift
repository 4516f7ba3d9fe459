/// A name that is not one of a ``ConfigurationChoice``'s values.
public struct ConfigurationChoiceError: Error, CustomStringConvertible, Equatable {
    /// The setting, e.g. `training.optimizer.algorithm`.
    public let field: String
    /// The name given.
    public let value: String
    /// The names accepted.
    public let validValues: [String]

    /// `unknown value "adamm" for training.optimizer.algorithm; valid values: adam, adamw, sgd, lion`.
    public var description: String {
        "unknown value \"\(value)\"\(field.isEmpty ? "" : " for \(field)"); valid values: \(validValues.joined(separator: ", "))"
    }
}
