import Foundation

/// A CSV file as a header and compactly stored columns (``CSVColumn``), read from its bytes in
/// one pass (``CSVReader``: RFC 4180 quoting with embedded delimiters, doubled quotes and
/// newlines; CRLF, LF or CR line ends; a UTF-8 byte-order mark skipped; blank lines skipped).
///
/// The delimiter (comma, semicolon, tab or pipe) is detected from the header line and the first
/// rows unless given (``CSVDelimiter/detect(in:)``). Unquoted fields lose their surrounding
/// spaces; quoted ones are kept as written.
///
/// Errors name the file, the line and the fix: a ragged row (with its field count and the
/// header's), a quoted field never closed, bytes that are not UTF-8, an empty header name. A
/// header name that is empty in a column whose every cell is empty too (trailing delimiters on
/// every line) drops the column, with a note in ``notes``.
public struct CSVTable: Sendable {
    /// The column names from the first line.
    public var header: [String]
    /// The columns, one per header name.
    public var columns: [CSVColumn]
    /// The number of data rows.
    public var rowCount: Int
    /// The field separator used.
    public var delimiter: CSVDelimiter
    /// What the reader decided that the user should know (a delimiter other than the comma, a
    /// dropped unnamed empty column), one sentence each.
    public var notes: [String] = []
    /// Where each data row starts in the file.
    var lines = LineMap()

    /// The data rows as strings, `rows[i][j]` for row `i`, column `j` (convenient for small
    /// tables; large ones are better read by column).
    public var rows: [[String]] { (0..<rowCount).map { row in columns.map { $0.text(at: row) } } }

    /// The file line on which data row `row` (0-based) starts.
    public func line(ofRow row: Int) -> Int { lines.line(ofRow: row) }

    /// Parses `text`; every row must have as many fields as the header.
    public init(text: String, source: String = "CSV", delimiter: CSVDelimiter? = nil) throws {
        var text = text
        self = try text.withUTF8 { try CSVTable(bytes: $0, source: source, delimiter: delimiter) }
    }

    /// Reads and parses a file: its bytes are mapped into memory and parsed in place, and the
    /// pages already parsed are released as the reader moves on, so the file never needs to fit
    /// in memory beside its columns.
    public init(contentsOf url: URL, delimiter: CSVDelimiter? = nil) throws {
        if let file = MappedFile(path: url.path) {
            self = try CSVTable(bytes: file.bytes, source: url.lastPathComponent, delimiter: delimiter, parsed: file.release(before:))
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MetaLearningError.invalidData("cannot read \(url.path)")
        }
        self = try data.withUnsafeBytes { raw in
            try CSVTable(bytes: raw.bindMemory(to: UInt8.self), source: url.lastPathComponent, delimiter: delimiter)
        }
    }

    /// Parses UTF-8 `bytes`.
    public init(bytes: UnsafeBufferPointer<UInt8>, source: String = "CSV", delimiter: CSVDelimiter? = nil) throws {
        try self.init(bytes: bytes, source: source, delimiter: delimiter, parsed: nil)
    }

    /// Parses UTF-8 `bytes`, telling `parsed` (every few thousand rows) that the bytes before a
    /// position are no longer needed.
    init(bytes: UnsafeBufferPointer<UInt8>, source: String, delimiter: CSVDelimiter?, parsed: ((UnsafePointer<UInt8>) -> Void)?) throws {
        var body = bytes
        if body.count >= 3, body[0] == 0xEF, body[1] == 0xBB, body[2] == 0xBF { body = UnsafeBufferPointer(rebasing: body[3...]) }
        let delimiter = delimiter ?? CSVDelimiter.detect(in: body)
        self.delimiter = delimiter
        var reader = CSVReader(bytes: body, delimiter: delimiter.byte, source: source)
        var header: [String] = [], notUTF8 = false
        guard try reader.readRecord({ _, field, quoted in
            let name = String(validating: field, as: UTF8.self)
            if name == nil { notUTF8 = true }
            header.append(quoted ? name ?? "" : (name ?? "").trimmingSpaces())
        }) != nil else {
            throw MetaLearningError.invalidData("\(source) is empty: expected a header row and data rows")
        }
        guard !notUTF8 else { throw MetaLearningError.invalidData("\(source), line 1: not UTF-8 text; is it a CSV file (saved as UTF-8)?") }
        let width = header.count
        // Room for every line: the columns never grow by doubling.
        let capacity = Self.lineCount(UnsafeBufferPointer(rebasing: body[reader.position...]), parsed: parsed) + 1
        var builders = (0..<width).map { _ in CSVColumn.Builder(capacity: capacity) }
        var rowCount = 0
        while let record = try reader.readRecord({ index, field, quoted in
            if index < width, !builders[index].append(field, quoted: quoted) { notUTF8 = true }
        }) {
            guard !notUTF8 else {
                throw MetaLearningError.invalidData("\(source), line \(record.line): not UTF-8 text; is it a CSV file (saved as UTF-8)?")
            }
            if record.fields != width {
                if let unnamed = header.firstIndex(where: \.isEmpty) { throw Self.unnamedColumnError(unnamed, width: width, delimiter: delimiter, source: source) }
                let s = record.fields == 1 ? "" : "s"
                throw MetaLearningError.invalidData("\(source), line \(record.line): \(record.fields) field\(s), but the header has \(width) (data row \(rowCount + 1)); every row needs one field per column (quote fields that contain \(delimiter.name)s)")
            }
            lines.record(row: rowCount, line: record.line)
            rowCount += 1
            if let parsed, rowCount % 4096 == 0, let base = body.baseAddress { parsed(base + reader.position) }
        }
        guard rowCount > 0 else { throw MetaLearningError.invalidData("\(source) has a header but no data rows") }
        var columns = builders.map { $0.column() }
        // Unnamed columns: dropped when empty in every row (trailing delimiters), an error otherwise.
        for index in header.indices.reversed() where header[index].isEmpty {
            guard (0..<rowCount).allSatisfy({ columns[index].kind(at: $0) == .empty }) else {
                throw Self.unnamedColumnError(index, width: width, delimiter: delimiter, source: source)
            }
            header.remove(at: index)
            columns.remove(at: index)
            notes.insert("\(source): column \(index + 1) has no name and no values (a \(delimiter.name) at the end of every line?); it is left out", at: 0)
        }
        guard !header.isEmpty else {
            throw MetaLearningError.invalidData("\(source): no column has a name or a value (the lines hold only \(delimiter.name)s); the first line must name the columns")
        }
        if delimiter != .comma {
            notes.insert("\(source): read as \(delimiter.name)-separated (detected from the header line; --delimiter sets it)", at: 0)
        }
        self.header = header
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The error for header name `index` being empty.
    static func unnamedColumnError(_ index: Int, width: Int, delimiter: CSVDelimiter, source: String) -> MetaLearningError {
        let hint = index == width - 1 ? " (a trailing \(delimiter.name)?)" : ""
        return .invalidData("\(source): column \(index + 1) of the header has no name\(hint); name it, or remove the column from the header and the rows")
    }

    /// The number of line feeds and carriage returns in `bytes` (at least the number of lines),
    /// counted 8 MB at a time, each chunk reported to `parsed` when done.
    static func lineCount(_ bytes: UnsafeBufferPointer<UInt8>, parsed: ((UnsafePointer<UInt8>) -> Void)?) -> Int {
        var count = 0, start = 0
        while start < bytes.count {
            let end = Swift.min(start + 1 << 23, bytes.count)
            for byte in bytes[start..<end] where byte == 0x0A || byte == 0x0D { count += 1 }
            if let parsed, let base = bytes.baseAddress { parsed(base + end) }
            start = end
        }
        return count
    }

    /// The line on which each data row starts, stored as the rows where it departs from "one
    /// line per row" (blank lines, quoted newlines).
    struct LineMap: Sendable {
        private var rows: [Int] = []
        private var starts: [Int] = []

        /// Records that data row `row` starts on `line`.
        mutating func record(row: Int, line: Int) {
            if line != self.line(ofRow: row) {
                rows.append(row)
                starts.append(line)
            }
        }

        /// The line of data row `row` (0-based; the header is line 1).
        func line(ofRow row: Int) -> Int {
            var low = 0, high = rows.count
            while low < high {
                let middle = (low + high) / 2
                if rows[middle] <= row { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? row + 2 : starts[low - 1] + (row - rows[low - 1])
        }
    }
}

extension LabelledDataset {
    /// A classification dataset from a CSV table: the `target` column (default: the last) holds
    /// the class labels (any strings; classes sorted by name), every other column must be numeric.
    public init(table: CSVTable, target: String? = nil, source: String = "table") throws {
        let targetIndex: Int
        if let target {
            guard let index = table.header.firstIndex(of: target) else {
                throw MetaLearningError.invalidData("\(source) has no column '\(target)' (columns: \(table.header.joined(separator: ", ")))")
            }
            targetIndex = index
        } else {
            targetIndex = table.header.count - 1
        }
        guard table.header.count >= 2 else { throw MetaLearningError.invalidData("\(source) needs a feature column besides the target") }
        let labels = table.columns[targetIndex].texts
        let classNames = Array(Set(labels)).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        var features: [Float] = []
        features.reserveCapacity(table.rowCount * (table.header.count - 1))
        for row in 0..<table.rowCount {
            for (index, column) in table.columns.enumerated() where index != targetIndex {
                guard let value = column.number(at: row).map(Float.init), value.isFinite else {
                    throw MetaLearningError.invalidData("\(source): line \(table.line(ofRow: row)), column '\(table.header[index])' holds '\(column.text(at: row))', not a finite number (few-shot episodes need numeric features)")
                }
                features.append(value)
            }
        }
        try self.init(features: features, labels: labels.map { classIndex[$0]! },
                      featureCount: table.header.count - 1, classNames: classNames)
    }

    /// Each feature shifted and scaled to mean 0 and standard deviation 1 (constant ones to 0).
    public func standardized() -> LabelledDataset {
        var copy = self
        let n = Float(count)
        for column in 0..<featureCount {
            var mean: Float = 0, square: Float = 0
            for row in 0..<count { mean += features[row * featureCount + column] }
            mean /= n
            for row in 0..<count { let d = features[row * featureCount + column] - mean; square += d * d }
            let deviation = (square / n).squareRoot()
            for row in 0..<count {
                copy.features[row * featureCount + column] = deviation > 0 ? (features[row * featureCount + column] - mean) / deviation : 0
            }
        }
        return copy
    }
}
