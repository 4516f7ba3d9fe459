import Foundation
import MesaMeta

// libFuzzer target: arbitrary bytes through the CSV reader, the tabular table and the
// preprocessor (`scripts/fuzz`). Beyond "no crash, no hang", a table that parses must be
// self-consistent (every column holds one cell per row, data rows start on increasing lines),
// read back the same when written out again with every field quoted, and encode to finite
// features within the preprocessor's bounds.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let table = try? CSVTable(bytes: bytes, source: "fuzz.csv") else { return 0 }
    checkShape(of: table)
    checkRoundTrip(of: table)
    checkPreprocessing(of: table)
    _ = try? LabelledDataset(table: table).standardized()
    return 0
}

/// Stops the fuzzer with `message` (libFuzzer reports the input that got here).
func fail(_ message: String) -> Never {
    fatalError("fuzz invariant: \(message)")
}

func checkShape(of table: CSVTable) {
    guard table.rowCount > 0, !table.header.isEmpty, table.header.count == table.columns.count else {
        fail("\(table.rowCount) rows, \(table.header.count) names for \(table.columns.count) columns")
    }
    for (index, column) in table.columns.enumerated() where column.count != table.rowCount {
        fail("column \(index) holds \(column.count) cells for \(table.rowCount) rows")
    }
    if table.header.contains(where: \.isEmpty) { fail("an empty column name was kept: \(table.header)") }
    var previous = 1
    for row in 0..<table.rowCount {
        let line = table.line(ofRow: row)
        guard line > previous else { fail("data row \(row) starts on line \(line), after line \(previous)") }
        previous = line
    }
}

/// `table` written with every field quoted, in its own delimiter.
func quotedCSV(_ table: CSVTable) -> [UInt8] {
    let delimiter = UInt8(ascii: Unicode.Scalar(table.delimiter.rawValue)!)
    var output: [UInt8] = []
    func append(_ text: String) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { output.append(byte) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
    }
    func appendRecord(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output.append(delimiter) }
            append(field)
        }
        output.append(UInt8(ascii: "\n"))
    }
    appendRecord(table.header)
    for row in 0..<table.rowCount { appendRecord(table.columns.map { $0.text(at: row) }) }
    return output
}

func checkRoundTrip(of table: CSVTable) {
    let written = quotedCSV(table)
    let reread: CSVTable
    do {
        reread = try written.withUnsafeBufferPointer { try CSVTable(bytes: $0, source: "rewritten.csv", delimiter: table.delimiter) }
    } catch {
        fail("the table does not read back once written with quoted fields: \(error)")
    }
    guard reread.header == table.header, reread.rowCount == table.rowCount else {
        fail("read back as \(reread.rowCount) rows of \(reread.header), not \(table.rowCount) of \(table.header)")
    }
    for (index, (column, copy)) in zip(table.columns, reread.columns).enumerated() {
        for row in 0..<table.rowCount {
            let (text, copyText) = (column.text(at: row), copy.text(at: row))
            guard text == copyText, column.kind(at: row) == copy.kind(at: row) else {
                fail("cell (\(row), \(index)) reads back as '\(copyText)' (\(copy.kind(at: row))), not '\(text)' (\(column.kind(at: row)))")
            }
            let (number, copyNumber) = (column.number(at: row, thousandsSeparators: true), copy.number(at: row, thousandsSeparators: true))
            guard number == copyNumber else {  // -0 is spelt 0 once its text is not kept
                fail("cell (\(row), \(index)) '\(text)' reads back as the number \(String(describing: copyNumber)), not \(String(describing: number))")
            }
        }
    }
}

func checkPreprocessing(of table: CSVTable) {
    guard let tabular = try? TabularTable(table, source: "fuzz.csv"),
          let preprocessor = try? TabularPreprocessor(fitting: tabular, test: tabular) else { return }
    _ = preprocessor.readingNote(for: tabular)
    _ = preprocessor.oddCellsNote(for: tabular)
    let features: [Float]
    do { features = try preprocessor.transform(tabular) } catch { fail("the fitted table does not transform: \(error)") }
    guard features.count == tabular.count * preprocessor.featureCount else {
        fail("\(features.count) features for \(tabular.count) rows of \(preprocessor.featureCount)")
    }
    let bound = Float(preprocessor.clip)
    if let bad = features.firstIndex(where: { !$0.isFinite || abs($0) > bound }) {
        fail("feature \(bad % preprocessor.featureCount) of row \(bad / preprocessor.featureCount) is \(features[bad]), outside ±\(bound)")
    }
}
