import Foundation
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
        XCTAssertTrue(message("a,b\n1,2\n3\n").contains("line 3: 1 field, but the header has 2"))
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
}
