import Foundation

/// What a CSV cell's text spells, judged once per distinct text (surrounding spaces ignored).
public enum CSVCellKind: UInt8, Sendable {
    /// Blank: nothing but spaces.
    case empty
    /// A usual spelling of a missing value: `NA`, `N/A`, `NaN`, `-nan`, `null`, `None`, `<NA>`,
    /// `?` (any case). In a class-label column these are classes (see
    /// ``TabularTable/isMissingLabel(_:)``).
    case missingSpelling
    /// A plain decimal number or an infinity (``CSVNumber``).
    case number
    /// A number with thousands separators, `1,234` or `1,234,567.5`.
    case groupedNumber
    /// A number-like text with commas that is not grouped by thousands (`1,5`, `12,34`): a
    /// decimal comma or a list; its presence makes a column's grouped numbers ambiguous.
    case commaNumber
    /// Anything else.
    case text

    /// Whether the cell holds a value in a feature column (neither blank nor a missing spelling).
    public var isPresent: Bool { self != .empty && self != .missingSpelling }

    /// The kind of the cell `bytes`, and its number for ``number`` and ``groupedNumber`` (`nil`
    /// otherwise).
    static func classify(_ bytes: UnsafeBufferPointer<UInt8>) -> (kind: CSVCellKind, number: Double?) {
        let trimmed = CSVCell.trimmed(bytes)
        if trimmed.isEmpty { return (.empty, nil) }
        if let value = CSVNumber.plain(trimmed) { return (.number, value) }
        if CSVCell.isMissingSpelling(trimmed) { return (.missingSpelling, nil) }
        if let value = CSVNumber.grouped(trimmed) { return (.groupedNumber, value) }
        if CSVCell.isCommaNumber(trimmed) { return (.commaNumber, nil) }
        return (.text, nil)
    }
}

/// Byte-level helpers for CSV fields: trimming and the missing-value spellings.
enum CSVCell {
    /// `bytes` without leading and trailing horizontal space: exactly what
    /// `trimmingCharacters(in: .whitespaces)` removes (tab and the Unicode space separators,
    /// category Zs), read from UTF-8.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = bytes.count
        while start < end, let length = spaceLength(bytes, at: start, end: end) { start += length }
        while end > start, let length = spaceLengthBefore(bytes, end: end, start: start) { end -= length }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// The UTF-8 length of the space character starting at `i`, or `nil` if there is none.
    @inline(__always)
    static func spaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
        let byte = bytes[i]
        if byte == 0x20 || byte == 0x09 { return 1 }
        if byte < 0xC2 { return nil }
        for space in unicodeSpaces where space.count <= end - i {
            if (0..<space.count).allSatisfy({ bytes[i + $0] == space[$0] }) { return space.count }
        }
        return nil
    }

    /// The UTF-8 length of the space character ending just before `end`, or `nil`.
    @inline(__always)
    static func spaceLengthBefore(_ bytes: UnsafeBufferPointer<UInt8>, end: Int, start: Int) -> Int? {
        let byte = bytes[end - 1]
        if byte == 0x20 || byte == 0x09 { return 1 }
        if byte < 0x80 { return nil }
        for space in unicodeSpaces where space.count <= end - start {
            if (0..<space.count).allSatisfy({ bytes[end - space.count + $0] == space[$0] }) { return space.count }
        }
        return nil
    }

    /// The space separators (Unicode category Zs) beyond ASCII, in UTF-8: U+00A0, U+1680,
    /// U+2000 … U+200A, U+202F, U+205F, U+3000.
    static let unicodeSpaces: [[UInt8]] = ([0x00A0, 0x1680] + Array(0x2000...0x200A) + [0x202F, 0x205F, 0x3000]).map { value in
        Array(String(Character(Unicode.Scalar(UInt32(value))!)).utf8)
    }

    /// Whether the trimmed `bytes` spell a missing value (``CSVCellKind/missingSpelling``).
    static func isMissingSpelling(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= 5 else { return false }
        return missingSpellings.contains(key(bytes))
    }

    /// Up to 8 bytes, ASCII letters lowered, packed into an integer (no allocation).
    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for byte in bytes.prefix(8) { key = key << 8 | UInt64(byte >= 65 && byte <= 90 ? byte + 32 : byte) }
        return key
    }

    /// The missing-value spellings, lower case.
    private static let missingSpellings: Set<UInt64> = Set(["na", "n/a", "nan", "null", "none", "?", "-nan", "<na>"].map { spelling in
        Array(spelling.utf8).withUnsafeBufferPointer { key($0) }
    })

    /// Whether the trimmed `bytes` are digits with commas (and at most a sign and one point), but
    /// not grouped by thousands: `1,5`, `12,34`, `1,2,3`.
    static func isCommaNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var commas = 0, points = 0, digits = 0
        for (i, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: ","): commas += 1
            case UInt8(ascii: "."): points += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"): if i != 0 { return false }
            default: return false
            }
        }
        return commas > 0 && points <= 1 && digits > 0
    }
}
