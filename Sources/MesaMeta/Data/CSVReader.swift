import Foundation

/// Splits CSV bytes into records and fields in one pass (RFC 4180): fields separated by the
/// delimiter; a field whose first non-space byte is `"` is quoted, may hold the delimiter,
/// newlines and doubled quotes `""`; records end with LF, CRLF or CR; blank lines are skipped.
///
/// Fields are handed out as byte ranges of the input (no copy), except quoted fields with
/// doubled quotes, which are unescaped into a scratch buffer.
struct CSVReader {
    /// The input, without a byte-order mark.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The field separator.
    let delimiter: UInt8
    /// The file's name, for errors.
    let source: String
    /// The next byte to read.
    private(set) var position = 0
    /// The line of `position` (1-based; a quoted field's newlines count).
    private(set) var line = 1
    private var scratch: [UInt8] = []

    private static let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, source: String) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.source = source
    }

    /// Whether `byte` is a space a field may start with before its opening quote (a tab only when
    /// it does not separate fields).
    @inline(__always)
    private func isLeadingSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte == 0x09 && delimiter != 0x09)
    }

    /// Reads the next record, handing each field to `field(index, bytes, quoted)`; returns the
    /// number of fields and the line the record starts on, or `nil` at the end of the input.
    mutating func readRecord(_ field: (Int, UnsafeBufferPointer<UInt8>, Bool) throws -> Void) throws -> (fields: Int, line: Int)? {
        let n = bytes.count
        // Blank lines (nothing but spaces) hold no record.
        while true {
            var p = position
            while p < n, isLeadingSpace(bytes[p]) { p += 1 }
            if p == n { position = n; return nil }
            if bytes[p] == Self.newline { position = p + 1; line += 1; continue }
            if bytes[p] == Self.carriageReturn {
                position = p + 1
                if position < n, bytes[position] == Self.newline { position += 1 }
                line += 1
                continue
            }
            break
        }
        let startLine = line
        var index = 0
        while true {
            var q = position
            while q < n, isLeadingSpace(bytes[q]) { q += 1 }
            if q < n, bytes[q] == Self.quote {
                try readQuoted(from: q + 1, index: index, field)
            } else {
                var p = position
                while p < n {
                    let byte = bytes[p]
                    if byte == delimiter || byte == Self.newline || byte == Self.carriageReturn { break }
                    p += 1
                }
                try field(index, UnsafeBufferPointer(rebasing: bytes[position..<p]), false)
                position = p
            }
            index += 1
            if position == n { return (index, startLine) }
            let byte = bytes[position]
            position += 1
            if byte == delimiter { continue }
            if byte == Self.carriageReturn, position < n, bytes[position] == Self.newline { position += 1 }
            line += 1
            return (index, startLine)
        }
    }

    /// Reads a quoted field whose content starts at `start`, leaving `position` at the byte after
    /// it (a delimiter, a line end or the end of the input).
    private mutating func readQuoted(from start: Int, index: Int, _ field: (Int, UnsafeBufferPointer<UInt8>, Bool) throws -> Void) throws {
        let n = bytes.count, openingLine = line
        var q = start, escaped = false
        while true {
            while q < n, bytes[q] != Self.quote {
                if bytes[q] == Self.newline { line += 1 }
                q += 1
            }
            guard q < n else {
                throw MetaLearningError.invalidData("\(source): the quoted field that starts on line \(openingLine) is never closed (a stray \" ?)")
            }
            if q + 1 < n, bytes[q + 1] == Self.quote { escaped = true; q += 2; continue }
            break
        }
        let content = UnsafeBufferPointer(rebasing: bytes[start..<q])
        var after = q + 1
        while after < n, isLeadingSpace(bytes[after]) { after += 1 }
        let clean = after == n || bytes[after] == delimiter || bytes[after] == Self.newline || bytes[after] == Self.carriageReturn
        if clean && !escaped {
            try field(index, content, true)
            position = after
            return
        }
        // Doubled quotes to undo, or text after the closing quote (kept, as spreadsheets do).
        scratch.removeAll(keepingCapacity: true)
        var i = start
        while i < q {
            scratch.append(bytes[i])
            i += bytes[i] == Self.quote ? 2 : 1
        }
        var end = q + 1
        if !clean {
            while end < n, bytes[end] != delimiter, bytes[end] != Self.newline, bytes[end] != Self.carriageReturn { end += 1 }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(q + 1)..<end]))
        } else {
            end = after
        }
        try scratch.withUnsafeBufferPointer { try field(index, $0, true) }
        position = end
    }
}
