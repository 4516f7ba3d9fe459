/// A JSON document as a tree, parsed strictly: the reader behind safetensors headers.
///
/// Foundation's parsers are not used for headers because they accept duplicate keys silently
/// (the last one wins), keep no key order, and turn numbers into `NSNumber`s whose conversions
/// differ between platforms (`true` bridges to `1` on Darwin). This parser follows RFC 8259,
/// rejects duplicate keys, keeps numbers as their literal text (so `integerValue` can refuse
/// fractions and out-of-range values instead of rounding or trapping), and limits nesting depth
/// so hostile input cannot overflow the stack. Configuration files that must reject duplicate
/// keys (the search spaces of `mesa optimize`) read through it too.
public enum JSONValue: Sendable {
    /// An object's members in document order; keys are unique.
    case object([(key: String, value: JSONValue)])
    /// An array's elements in order.
    case array([JSONValue])
    /// A string, unescaped.
    case string(String)
    /// A number's literal text, already checked against JSON's number grammar.
    case number(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// The deepest nesting of arrays and objects accepted.
    static let maximumDepth = 64

    /// Why a document failed to parse, and where.
    public struct ParseError: Error, Sendable {
        /// What was wrong, e.g. `duplicate key "weight"`.
        public let reason: String
        /// The byte offset into the document.
        public let offset: Int
    }

    /// Parses a complete document; whitespace may surround the value, nothing else may.
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONValue {
        var parser = Parser(bytes: bytes)
        try parser.validateUTF8()
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    /// The value as an `Int` if it is a JSON literal of digits only (no sign, fraction or
    /// exponent) that fits; `nil` otherwise, never a trap.
    var naturalNumberValue: Int? {
        guard case .number(let text) = self, text.utf8.allSatisfy(Parser.isDigit) else { return nil }
        return Int(text)  // nil on overflow
    }

    /// A short name of the value's type for error messages.
    public var typeName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number(let text): "the number \(text)"
        case .bool(let value): "\(value)"
        case .null: "null"
        }
    }

    /// Appends the value's compact JSON text as UTF-8 to `output`.
    func write(to output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.string(member.key).write(to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text):
            output.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    output += [UInt8(ascii: "\\"), byte]
                case ..<0x20:  // control characters must be escaped
                    let hex = Array("0123456789abcdef".utf8)
                    output += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                default:
                    output.append(byte)  // including the bytes of non-ASCII UTF-8 sequences
                }
            }
            output.append(UInt8(ascii: "\""))
        case .number(let text):
            output += Array(text.utf8)
        case .bool(let value):
            output += Array((value ? "true" : "false").utf8)
        case .null:
            output += Array("null".utf8)
        }
    }
}

extension JSONValue {
    /// A recursive-descent parser over UTF-8 bytes.
    struct Parser {
        let bytes: [UInt8]
        var position = 0

        static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        func error(_ reason: String) -> ParseError { ParseError(reason: reason, offset: position) }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        /// Rejects invalid UTF-8 up front, so string contents can later be decoded without repair.
        mutating func validateUTF8() throws(ParseError) {
            var decoder = UTF8()
            var iterator = bytes.makeIterator()
            var offset = 0
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): offset += UTF8.width(scalar)
                case .emptyInput: return
                case .error:
                    position = offset
                    throw error("invalid UTF-8")
                }
            }
        }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
        }

        mutating func expect(_ literal: String) throws(ParseError) {
            for byte in literal.utf8 {
                guard current == byte else { throw error("expected '\(literal)'") }
                position += 1
            }
        }

        mutating func parseValue(depth: Int) throws(ParseError) -> JSONValue {
            guard let byte = current else { throw error("unexpected end of the JSON text") }
            switch byte {
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw error("unexpected character '\(Unicode.Scalar(byte))'")
            }
        }

        mutating func parseObject(depth: Int) throws(ParseError) -> JSONValue {
            guard depth <= JSONValue.maximumDepth else { throw error("nesting deeper than \(JSONValue.maximumDepth) levels") }
            position += 1  // {
            var members: [(key: String, value: JSONValue)] = []
            var keys: Set<String> = []
            skipWhitespace()
            if current == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                skipWhitespace()
                let keyOffset = position
                guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try parseString()
                guard keys.insert(key).inserted else {
                    throw ParseError(reason: "duplicate key \"\(key)\"", offset: keyOffset)
                }
                skipWhitespace()
                try expect(":")
                skipWhitespace()
                members.append((key, try parseValue(depth: depth)))
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                try expect("}")
                return .object(members)
            }
        }

        mutating func parseArray(depth: Int) throws(ParseError) -> JSONValue {
            guard depth <= JSONValue.maximumDepth else { throw error("nesting deeper than \(JSONValue.maximumDepth) levels") }
            position += 1  // [
            var elements: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth))
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                try expect("]")
                return .array(elements)
            }
        }

        mutating func parseString() throws(ParseError) -> String {
            position += 1  // opening quote
            var utf8: [UInt8] = []
            while true {
                guard let byte = current else { throw error("unterminated string") }
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    // Valid: the document passed validateUTF8 and we only split at ASCII bytes.
                    return String(decoding: utf8, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escaped = current else { throw error("unterminated escape") }
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"): utf8 += Array(String(try parseUnicodeEscape()).utf8)
                    default:
                        position -= 1
                        throw error("invalid escape '\\\(Unicode.Scalar(escaped))'")
                    }
                case ..<0x20:
                    position -= 1
                    throw error("unescaped control character in a string")
                default:
                    utf8.append(byte)
                }
            }
        }

        /// Reads the digits after `\u`, combining a surrogate pair into one scalar.
        mutating func parseUnicodeEscape() throws(ParseError) -> Unicode.Scalar {
            let first = try parseHexQuad()
            if (0xD800..<0xDC00).contains(first) {
                guard bytes[position...].starts(with: Array("\\u".utf8)) else { throw error("unpaired surrogate \\u\(String(first, radix: 16))") }
                position += 2
                let second = try parseHexQuad()
                guard (0xDC00..<0xE000).contains(second) else { throw error("invalid low surrogate") }
                // Cannot fail: the pair encodes a scalar in U+10000...U+10FFFF.
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)) ?? "\u{FFFD}"
            }
            guard let scalar = Unicode.Scalar(first) else { throw error("unpaired surrogate") }
            return scalar
        }

        mutating func parseHexQuad() throws(ParseError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = current, let digit = Self.hexDigitValue(byte) else { throw error("expected 4 hex digits after \\u") }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        static func hexDigitValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func parseNumber() throws(ParseError) -> JSONValue {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            if current == UInt8(ascii: "0") {
                position += 1
            } else {
                try digits()
            }
            if current == UInt8(ascii: ".") {
                position += 1
                try digits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                try digits()
            }
            return .number(String(decoding: bytes[start..<position], as: UTF8.self))
        }

        mutating func digits() throws(ParseError) {
            guard let byte = current, Self.isDigit(byte) else { throw error("expected a digit") }
            while let byte = current, Self.isDigit(byte) { position += 1 }
        }
    }
}
