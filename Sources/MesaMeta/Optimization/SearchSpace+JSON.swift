import Foundation
import MesaCore

extension SearchSpace {
    /// The keys a parameter object may hold, per type.
    static let allowedKeys: [String: Set<String>] = [
        "continuous": ["name", "type", "low", "high", "log"],
        "integer": ["name", "type", "low", "high", "log"],
        "categorical": ["name", "type", "values"],
    ]

    /// Reads a space from the JSON file at `url` (see the type's discussion for the format).
    ///
    /// - Throws: ``OptimizationError/invalidSpace(_:)`` when the file is missing or malformed,
    ///   naming the file, the parameter and the field.
    public init(contentsOf url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw OptimizationError.invalidSpace("cannot read the search space \(url.path): no such file; pass --space with a JSON file like {\"parameters\": [{\"name\": \"x\", \"type\": \"continuous\", \"low\": 0, \"high\": 1}]}")
        }
        try self.init(json: data, source: url.lastPathComponent)
    }

    /// Reads a space from JSON text `data`; `source` names it in messages.
    ///
    /// Parsing is strict (RFC 8259, duplicate keys refused), and so is the schema: unknown keys
    /// are refused (a misspelt `"hgih"` would otherwise be silently ignored), `low`/`high` of an
    /// integer parameter must be whole numbers, and categories are strings or numbers (kept as
    /// written).
    public init(json data: Data, source: String = "search space") throws {
        let root: JSONValue
        do throws(JSONValue.ParseError) {
            root = try JSONValue.parse(Array(data))
        } catch {
            let (line, column) = Self.lineAndColumn(of: error.offset, in: Array(data))
            throw OptimizationError.invalidSpace("\(source) is not valid JSON: \(error.reason) at line \(line), column \(column)")
        }
        guard case .object(let members) = root else {
            throw OptimizationError.invalidSpace("\(source): expected a JSON object {\"parameters\": [...]}, found \(root.typeName)")
        }
        for member in members where member.key != "parameters" {
            throw OptimizationError.invalidSpace("\(source): unknown key \"\(member.key)\"; the file holds one key, \"parameters\"")
        }
        guard let list = members.first(where: { $0.key == "parameters" })?.value else {
            throw OptimizationError.invalidSpace("\(source): the key \"parameters\" is missing; expected {\"parameters\": [...]}")
        }
        guard case .array(let elements) = list else {
            throw OptimizationError.invalidSpace("\(source): \"parameters\" must be an array of parameter objects, found \(list.typeName)")
        }
        let parameters = try elements.enumerated().map { try Self.parameter($0.element, index: $0.offset, source: source) }
        try self.init(parameters: parameters, source: source)
    }

    private static func parameter(_ value: JSONValue, index: Int, source: String) throws -> SearchParameter {
        guard case .object(let members) = value else {
            throw OptimizationError.invalidSpace("\(source): parameter \(index + 1) must be an object with \"name\" and \"type\", found \(value.typeName)")
        }
        let fields = Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value) })
        guard case .string(let name)? = fields["name"] else {
            throw OptimizationError.invalidSpace("\(source): parameter \(index + 1) needs a \"name\" (a string)\(fields["name"].map { ", found \($0.typeName)" } ?? "")")
        }
        let place = "\(source): parameter \(index + 1) (\"\(name)\")"
        guard case .string(let type)? = fields["type"] else {
            throw OptimizationError.invalidSpace("\(place) needs a \"type\": \"continuous\", \"integer\" or \"categorical\"")
        }
        guard let allowed = allowedKeys[type] else {
            throw OptimizationError.invalidSpace("\(place): unknown type \"\(type)\"; valid types: continuous, integer, categorical")
        }
        for member in members where !allowed.contains(member.key) {
            throw OptimizationError.invalidSpace("\(place): unknown key \"\(member.key)\" for a \(type) parameter; allowed keys: \(allowed.sorted().joined(separator: ", "))")
        }
        func number(_ key: String) throws -> Double {
            guard let field = fields[key] else { throw OptimizationError.invalidSpace("\(place): \"\(key)\" is missing; a \(type) parameter needs \"low\" and \"high\"") }
            guard case .number(let text) = field, let value = Double(text), value.isFinite else {
                throw OptimizationError.invalidSpace("\(place): \"\(key)\" must be a finite number, found \(field.typeName)")
            }
            return value
        }
        func logarithmic() throws -> Bool {
            guard let field = fields["log"] else { return false }
            guard case .bool(let value) = field else { throw OptimizationError.invalidSpace("\(place): \"log\" must be true or false, found \(field.typeName)") }
            return value
        }
        switch type {
        case "continuous":
            return SearchParameter(name: name, domain: .continuous(low: try number("low"), high: try number("high"), logarithmic: try logarithmic()))
        case "integer":
            let low = try number("low"), high = try number("high")
            for (key, value) in [("low", low), ("high", high)] where value != value.rounded() || Swift.abs(value) > 1e15 {
                throw OptimizationError.invalidSpace("\(place): \"\(key)\" of an integer parameter must be a whole number, got \(value)")
            }
            return SearchParameter(name: name, domain: .integer(low: Int(low), high: Int(high), logarithmic: try logarithmic()))
        default:
            guard let field = fields["values"] else {
                throw OptimizationError.invalidSpace("\(place): \"values\" is missing; a categorical parameter lists its values, e.g. \"values\": [\"relu\", \"gelu\"]")
            }
            guard case .array(let elements) = field else {
                throw OptimizationError.invalidSpace("\(place): \"values\" must be an array of strings, found \(field.typeName)")
            }
            let values = try elements.map { element -> String in
                switch element {
                case .string(let text): return text
                case .number(let text): return text
                default: throw OptimizationError.invalidSpace("\(place): each of \"values\" must be a string or a number, found \(element.typeName)")
                }
            }
            return SearchParameter(name: name, domain: .categorical(values))
        }
    }

    /// The 1-based line and column of byte `offset` of `bytes`.
    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
