import Foundation
@testable import MesaMeta
import XCTest

final class TabularTableTests: XCTestCase {
    func testTargetByNameOrLastAndClearErrors() throws {
        let csv = try CSVTable(text: "a,label,b\n1,x,2\n")
        XCTAssertEqual(try TabularTable(csv).targetName, "b")
        let named = try TabularTable(csv, target: "label")
        XCTAssertEqual(named.featureNames, ["a", "b"])
        XCTAssertEqual(named.targets, ["x"])
        XCTAssertThrowsError(try TabularTable(csv, target: "nope")) { XCTAssertTrue("\($0)".contains("no column named 'nope'") && "\($0)".contains("--target")) }
        XCTAssertThrowsError(try TabularTable(CSVTable(text: "y\n1\n"))) { XCTAssertTrue("\($0)".contains("only the target column")) }
        XCTAssertThrowsError(try TabularTable(CSVTable(text: "a,a,y\n1,2,3\n"))) { XCTAssertTrue("\($0)".contains("appears twice")) }
    }

    func testMissingSpellings() {
        for spelling in ["", " ", "NA", "n/a", "NaN", "null", "None", "?", "nan"] { XCTAssertTrue(TabularTable.isMissing(spelling), spelling) }
        for value in ["0", "none of these", "inf"] { XCTAssertFalse(TabularTable.isMissing(value), value) }
    }

    /// A split taken apart column by column equals two selections, lines of rows included.
    func testPartitionedEqualsSelecting() throws {
        let table = try TabularTable(CSVTable(text: "a,b,y\n1,x,p\n\n2,\"y\nz\",q\n3,x,p\n4,w,q\n"))
        let (first, second) = table.partitioned([3, 0], [1, 2])
        for (part, rows) in [(first, [3, 0]), (second, [1, 2])] {
            let selected = table.selecting(rows)
            XCTAssertEqual(part.rows, selected.rows)
            XCTAssertEqual(part.targets, selected.targets)
            XCTAssertEqual(part.featureNames, ["a", "b"])
            XCTAssertEqual((0..<2).map(part.line(ofRow:)), rows.map(table.line(ofRow:)))
        }
        XCTAssertEqual((0..<4).map(table.line(ofRow:)), [2, 4, 6, 7])
    }
}
