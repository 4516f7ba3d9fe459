/// One parameter's value in the user's units: what a suggestion holds, what fills a command's
/// placeholder and what a history row records.
public enum ParameterValue: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A continuous parameter's value.
    case real(Double)
    /// An integer parameter's value.
    case integer(Int)
    /// A categorical parameter's value (one of its listed values).
    case category(String)

    /// The value as text: the shortest decimal that reads back as the same `Double` (`0.001`,
    /// `1e-05`), the integer's digits, or the category as written.
    public var description: String {
        switch self {
        case .real(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .category(let value): value
        }
    }

    /// The value as a number (a category has none).
    public var numericValue: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        case .category: nil
        }
    }
}
