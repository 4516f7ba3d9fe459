/// A coding key of any name, for listing the keys a JSON object holds
/// (``Swift/Decoder/rejectUnknownKeys(_:in:)``).
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
