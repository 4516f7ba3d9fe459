// Helpers for configuration files: every field may be omitted (it takes its default), and a
// field the type does not know is an error naming it, so a typo never goes unnoticed.


extension Decoder {
    /// Throws when the JSON object being decoded has keys outside `known`.
    func rejectUnknownKeys<Key: CodingKey & CaseIterable>(_ keys: Key.Type, in section: String) throws {
        try rejectUnknownKeys(known: Key.allCases.map(\.stringValue), in: section)
    }

    /// Throws when the JSON object being decoded has keys outside `known` (field names); the
    /// error lists `listing` (default: `known`), e.g. without the fields of older files that
    /// are still read but should not be written.
    func rejectUnknownKeys(known names: [String], listing: [String]? = nil, in section: String) throws {
        let present = try container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
        let known = Set(names), listed = Set(listing ?? names)
        let unknown = present.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw InContextError.invalidConfiguration(
                "\(section): unknown field\(unknown.count > 1 ? "s" : "") \(unknown.map { "'\($0)'" }.joined(separator: ", ")); known fields: \(listed.sorted().joined(separator: ", "))")
        }
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the key is absent.
    func value<T: Decodable>(_ key: Key, default fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}
