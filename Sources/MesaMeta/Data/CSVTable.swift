import Foundation

/// A CSV file as a header and rows of strings (RFC 4180: commas, double-quoted fields with
/// embedded commas, quotes `""` and newlines; a UTF-8 byte-order mark is skipped; CRLF or LF).
public struct CSVTable: Sendable {
    /// The column names from the first line.
    public var header: [String]
    /// The data rows, each with one field per column.
    public var rows: [[String]]

    /// Parses `text`; every row must have as many fields as the header.
    public init(text: String, source: String = "CSV") throws {
        var records: [[String]] = [], startLines: [Int] = []
        var record: [String] = [], field = "", inQuotes = false, fieldWasQuoted = false
        var line = 1, recordStart = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        if pending == "\u{FEFF}" { pending = iterator.next() }
        func endField() { record.append(fieldWasQuoted ? field : field.trimmingSpaces()); field = ""; fieldWasQuoted = false }
        func endRecord() {
            endField()
            if !(record.count == 1 && record[0].isEmpty) {
                records.append(record)
                startLines.append(recordStart)
            }
            record = []
            recordStart = line
        }
        while let scalar = pending {
            pending = iterator.next()
            if scalar == "\n" { line += 1 }
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" { field.unicodeScalars.append("\""); pending = iterator.next() } else { inQuotes = false }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.trimmingSpaces().isEmpty: inQuotes = true; fieldWasQuoted = true; field = ""
            case ",": endField()
            case "\r":
                if pending == "\n" { pending = iterator.next() }
                line += 1
                endRecord()
            case "\n": endRecord()
            default: field.unicodeScalars.append(scalar)
            }
        }
        guard !inQuotes else { throw MetaLearningError.invalidData("\(source): a quoted field is never closed") }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        guard let header = records.first else { throw MetaLearningError.invalidData("\(source) is empty: expected a header row and data rows") }
        guard records.count > 1 else { throw MetaLearningError.invalidData("\(source) has a header but no data rows") }
        for (index, row) in records.enumerated().dropFirst() where row.count != header.count {
            throw MetaLearningError.invalidData("\(source), line \(startLines[index]): \(row.count) field\(row.count == 1 ? "" : "s"), but the header has \(header.count); every row needs one field per column (quote fields that contain commas)")
        }
        self.header = header
        self.rows = Array(records.dropFirst())
    }

    /// Reads and parses a file.
    public init(contentsOf url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MetaLearningError.invalidData("cannot read \(url.path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw MetaLearningError.invalidData("\(url.path) is not UTF-8 text: is it a CSV file?")
        }
        try self.init(text: text, source: url.lastPathComponent)
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
        let classNames = Array(Set(table.rows.map { $0[targetIndex] })).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        var features: [Float] = []
        features.reserveCapacity(table.rows.count * (table.header.count - 1))
        for (rowIndex, row) in table.rows.enumerated() {
            for (column, field) in row.enumerated() where column != targetIndex {
                guard let value = Float(field), value.isFinite else {
                    throw MetaLearningError.invalidData("\(source): row \(rowIndex + 2), column '\(table.header[column])' holds '\(field)', not a finite number (few-shot episodes need numeric features)")
                }
                features.append(value)
            }
        }
        try self.init(features: features, labels: table.rows.map { classIndex[$0[targetIndex]]! },
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
