import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class CSVTableTests: XCTestCase {
    func testQuotedFieldsBOMAndLineEndings() throws {
        let table = try CSVTable(text: "\u{FEFF}a,b,label\r\n1,\"2,5\",\"say \"\"hi\"\"\nthere\"\r\n3,4,x\n")
        XCTAssertEqual(table.header, ["a", "b", "label"])
        XCTAssertEqual(table.rows, [["1", "2,5", "say \"hi\"\nthere"], ["3", "4", "x"]])
    }

    func testBadTablesAreClearErrors() {
        func message(_ text: String) -> String {
            do { _ = try CSVTable(text: text, source: "t.csv"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("").contains("empty"))
        XCTAssertTrue(message("a,b\n").contains("no data rows"))
        XCTAssertTrue(message("a,b\n1,2\n3\n").contains("line 3: 1 field, but the header has 2 (data row 2)"))
        XCTAssertTrue(message("a,b\n1,\"2\n").contains("never closed"))
        // Line numbers count the lines of quoted fields too.
        XCTAssertTrue(message("a,b\n1,\"x\ny\"\n3\n").contains("line 4"), message("a,b\n1,\"x\ny\"\n3\n"))
    }

    func testLabelledDatasetFromATable() throws {
        let table = try CSVTable(text: "x,y,class\n1,2,cat\n3,4,dog\n5,6,cat\n")
        let dataset = try LabelledDataset(table: table)
        XCTAssertEqual(dataset.classNames, ["cat", "dog"])
        XCTAssertEqual(dataset.labels, [0, 1, 0])
        XCTAssertEqual(dataset.features, [1, 2, 3, 4, 5, 6])
        let standardized = dataset.standardized()
        XCTAssertEqual(standardized.features[0], -1.2247449, accuracy: 1e-5)
        XCTAssertThrowsError(try LabelledDataset(table: table, target: "missing")) { XCTAssertTrue("\($0)".contains("no column 'missing'")) }
        XCTAssertThrowsError(try LabelledDataset(table: try CSVTable(text: "x,c\nfoo,a\n"))) { XCTAssertTrue("\($0)".contains("not a finite number")) }
    }

    /// A seeded sweep: random tables (numbers, words, blanks, fields with delimiters, quotes,
    /// newlines and spaces, one column of more distinct numbers than a column keeps as text),
    /// written with random quoting and line ends, read back cell for cell.
    func testRandomTablesReadBackExactly() throws {
        var generator = RandomGenerator(seed: 5)
        let words = ["red", "NA", "", "None", "é", "日本", "a,b", "say \"hi\"", "two\nlines", " padded ", "1,234", "12..5", "-0.5", "1e-30", "x7"]
        for delimiter in CSVDelimiter.allCases {
            let rowCount = delimiter == .comma ? 5000 : 300
            let expected: [[String]] = (0..<rowCount).map { row in
                [String(row), words[generator.nextIndex(below: words.count)],
                 generator.nextIndex(below: 50) == 0 ? words[generator.nextIndex(below: words.count)] : String(Double(generator.nextNormal()) * 1000 + 0.5)]
            }
            var text = "id\(delimiter.rawValue)word\(delimiter.rawValue)value\n"
            for row in expected {
                let fields = row.map { field -> String in
                    let special = field.contains(delimiter.rawValue) || field.contains("\"") || field.contains("\n") || field != field.trimmingSpaces()
                    return special || generator.nextIndex(below: 10) == 0 ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
                }
                text += fields.joined(separator: delimiter.rawValue) + ["\n", "\r\n"][generator.nextIndex(below: 2)]
            }
            let table = try CSVTable(text: text)
            XCTAssertEqual(table.delimiter, delimiter)
            XCTAssertEqual(table.header, ["id", "word", "value"])
            XCTAssertEqual(table.rowCount, rowCount)
            let rows = table.rows
            for (index, row) in expected.enumerated() where rows[index] != row {
                XCTFail("\(delimiter.name), row \(index): \(rows[index]) instead of \(row)")
                break
            }
            if delimiter == .comma, case .codes = table.columns[2].storage { XCTFail("5,000 distinct numbers should be stored as numbers") }
        }
    }

    /// Numeric columns cost 8 bytes a cell and categorical ones 4, not a `String` per cell.
    func testColumnsAreStoredCompactly() throws {
        var text = "x,colour\n"
        for row in 0..<10_000 { text += "\(Double(row) / 7),\(["red", "green", "blue"][row % 3])\n" }
        let table = try CSVTable(text: text)
        guard case .values(let values) = table.columns[0].storage, case .codes(let codes) = table.columns[1].storage else {
            return XCTFail("expected numbers for x and level codes for colour")
        }
        XCTAssertEqual(values.count, 10_000)
        XCTAssertEqual(values[700], 100)
        XCTAssertEqual(codes.count, 10_000)
        XCTAssertEqual(table.columns[1].levels, ["", "red", "green", "blue"])
        XCTAssertEqual(table.columns[0].number(at: 14), 2)
        XCTAssertEqual(table.columns[0].selecting([7, 14]).texts, ["1", "2"])
    }

    func testDelimiterIsDetectedOrGiven() throws {
        let semicolons = try CSVTable(text: "a;b;label\n1,5;2;x\n3;4,25;y\n", source: "s.csv")
        XCTAssertEqual(semicolons.delimiter, .semicolon)
        XCTAssertEqual(semicolons.rows, [["1,5", "2", "x"], ["3", "4,25", "y"]])
        XCTAssertTrue(semicolons.notes.contains { $0.contains("s.csv: read as semicolon-separated") }, "\(semicolons.notes)")
        XCTAssertEqual(try CSVTable(text: "a\tb\n1\t2\n").rows, [["1", "2"]])
        XCTAssertEqual(try CSVTable(text: "a|b\n1|2\n").rows, [["1", "2"]])
        XCTAssertEqual(try CSVTable(text: "a,b\n1;2,3\n").rows, [["1;2", "3"]])
        XCTAssertTrue(try CSVTable(text: "a,b\n1,2\n").notes.isEmpty)
        XCTAssertEqual(try CSVTable(text: "a;b\n1;2\n", delimiter: .comma).header, ["a;b"])
        XCTAssertEqual(CSVDelimiter(argument: "tab"), .tab)
        XCTAssertEqual(CSVDelimiter(argument: "\\t"), .tab)
        XCTAssertEqual(CSVDelimiter(argument: ";"), .semicolon)
        XCTAssertNil(CSVDelimiter(argument: ":"))
    }

    func testUnnamedColumns() throws {
        func message(_ text: String) -> String {
            do { _ = try CSVTable(text: text, source: "t.csv"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("a,b,c,\n1,2,3\n").contains("t.csv: column 4 of the header has no name (a trailing comma?)"), message("a,b,c,\n1,2,3\n"))
        XCTAssertTrue(message("a,,c\n1,2,3\n").contains("column 2 of the header has no name;"), message("a,,c\n1,2,3\n"))
        XCTAssertTrue(message("a;b;\n1;2;3\n").contains("column 3 of the header has no name (a trailing semicolon?)"), message("a;b;\n1;2;3\n"))
        // Trailing delimiters on every line: the empty unnamed column is left out, with a note.
        let trailing = try CSVTable(text: "a,b,\n1,2,\n3,4,\n", source: "t.csv")
        XCTAssertEqual(trailing.header, ["a", "b"])
        XCTAssertEqual(trailing.rows, [["1", "2"], ["3", "4"]])
        XCTAssertTrue(trailing.notes.contains { $0.contains("column 3 has no name and no values") }, "\(trailing.notes)")
        // Found by fuzzing: when every column is unnamed and empty, none is left, which is an
        // error (it was a table of rows without columns).
        XCTAssertTrue(message("\n,\n,").contains("t.csv: no column has a name or a value"), message("\n,\n,"))
        XCTAssertTrue(message(";\n;\n").contains("the lines hold only semicolons"), message(";\n;\n"))
    }

    func testLinesOfRows() throws {
        let table = try CSVTable(text: "a,b\n1,\"x\ny\"\n\n2,z\n3,w\n")
        XCTAssertEqual((0..<3).map(table.line(ofRow:)), [2, 5, 6])
        XCTAssertEqual(table.rows, [["1", "x\ny"], ["2", "z"], ["3", "w"]])
    }

    /// A file is read through its memory mapping (releasing pages as it goes) exactly as its text.
    func testFilesReadAsTheirText() throws {
        var text = "\u{FEFF}n,word,x\r\n"
        for row in 0..<20_000 { text += "\(row),\(row % 7 == 0 ? "\"a,\nb\"" : "w\(row % 5)"),\(Double(row) * 0.37)\r\n" }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-csv-\(UUID()).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try CSVTable(contentsOf: url), memory = try CSVTable(text: text)
        XCTAssertEqual(file.header, ["n", "word", "x"])
        XCTAssertEqual(file.rowCount, 20_000)
        XCTAssertEqual(file.rows, memory.rows)
        XCTAssertEqual(file.line(ofRow: 19_999), memory.line(ofRow: 19_999))
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-csv-\(UUID()).csv")
        try Data().write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        XCTAssertThrowsError(try CSVTable(contentsOf: empty)) { XCTAssertTrue("\($0)".contains("is empty"), "\($0)") }
    }
}
