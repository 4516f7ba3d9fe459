/// A closed set of named values in a configuration file (an optimizer, a task family, an
/// architecture…), decoded from its name so that a misspelt name is an error that lists the
/// valid ones instead of Foundation's "cannot initialize from invalid String value".
///
/// ```swift
/// enum Shape: String, ConfigurationChoice { case circle, square }
/// // decoding "sqare" throws: `unknown value "sqare" at shape; valid values: circle, square`
/// ```
public protocol ConfigurationChoice: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension ConfigurationChoice {
    /// The valid names, in declaration order.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// The value named `name`, or an error listing the valid names (`field` names the setting).
    public init(named name: String, field: String) throws {
        guard let value = Self(rawValue: name) else {
            throw ConfigurationChoiceError(field: field, value: name, validValues: Self.names)
        }
        self = value
    }

    /// Decodes the value from its name; an unknown name is a `DecodingError.dataCorrupted` whose
    /// description lists the valid names.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let value = Self(rawValue: name) else {
            let field = decoder.codingPath.map(\.stringValue).joined(separator: ".")
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: ConfigurationChoiceError(field: field, value: name, validValues: Self.names).description))
        }
        self = value
    }
}
