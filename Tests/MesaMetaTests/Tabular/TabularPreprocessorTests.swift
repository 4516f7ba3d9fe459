import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularPreprocessorTests: XCTestCase {
    func testRobustScalingCategoricalCodesAndMissingIndicators() throws {
        let train = try TabularFixtures.table("""
        x,c,y
        1,red,a
        2,blue,b
        3,red,a
        4,,b
        NA,red,a
        """)
        let preprocessor = try TabularPreprocessor(fitting: train)
        XCTAssertEqual(preprocessor.columns.map(\.kind), [.numeric, .categorical])
        XCTAssertEqual(preprocessor.columns[1].levels, ["red", "blue"])   // by frequency
        XCTAssertEqual(preprocessor.featureCount, 4)                         // two columns, two indicators
        let features = try preprocessor.transform(train)
        // x: median 2.5, IQR (1.75 … 3.25) = 1.5 → scale 1.5 / 1.349.
        let scale: Float = 1.5 / 1.349
        XCTAssertEqual(features[0], (1 - 2.5) / scale, accuracy: 1e-5)
        XCTAssertEqual(features[1], -1)                                      // red → −1
        XCTAssertEqual(features[4 + 1], 1)                                   // blue → +1
        XCTAssertEqual(features[12], (4 - 2.5) / scale, accuracy: 1e-5)      // row 4: colour missing
        XCTAssertEqual(Array(features[13..<16]), [0, 0, 1])
        XCTAssertEqual(Array(features[16..<20]), [0, -1, 1, 0])              // row 5: x missing
    }

    func testInfinitiesClipAndMissingSpellingsAreMissing() throws {
        let train = try TabularFixtures.table("x,y\n1,a\n2,b\ninf,a\n-Infinity,b\nNaN,a\nnull,b\n N/A ,a\n?,b\nNone,a\n")
        let preprocessor = try TabularPreprocessor(fitting: train)
        let features = try preprocessor.transform(train)
        XCTAssertEqual(features[2 * 2], Float(preprocessor.clip))
        XCTAssertEqual(features[3 * 2], -Float(preprocessor.clip))
        for row in 4..<9 { XCTAssertEqual(Array(features[(row * 2)..<(row * 2 + 2)]), [0, 1], "row \(row)") }
    }

    func testTestColumnsAreAlignedByNameAndMissingOnesReported() throws {
        let train = try TabularFixtures.table("a,b,y\n1,10,p\n2,20,q\n3,30,p\n")
        let reordered = try TabularTable(CSVTable(text: "b,extra,a\n10,0,1\n30,0,3\n"), target: "y", requireTarget: false)
        let preprocessor = try TabularPreprocessor(fitting: train)
        let features = try preprocessor.transform(reordered)
        let expected = try preprocessor.transform(train.selecting([0, 2]))
        XCTAssertEqual(features, expected)
        let lacking = try TabularTable(CSVTable(text: "b\n10\n"), target: "y", requireTarget: false)
        XCTAssertThrowsError(try preprocessor.transform(lacking)) { XCTAssertTrue("\($0)".contains("lacks the training column 'a'"), "\($0)") }
    }

    func testAllMissingColumnAndBadOverridesAreClearErrors() throws {
        let train = try TabularFixtures.table("a,empty,y\n1,,p\n2,NA,q\n")
        XCTAssertThrowsError(try TabularPreprocessor(fitting: train)) { XCTAssertTrue("\($0)".contains("column 'empty' has no values") && "\($0)".contains("--ignore empty"), "\($0)") }
        let words = try TabularFixtures.table("a,y\nfoo,p\nbar,q\n")
        XCTAssertThrowsError(try TabularPreprocessor(fitting: words, kinds: ["a": .numeric])) { XCTAssertTrue("\($0)".contains("declared numeric")) }
        XCTAssertThrowsError(try TabularPreprocessor(fitting: words, kinds: ["zz": .numeric])) { XCTAssertTrue("\($0)".contains("'zz'")) }
    }

    /// The prior's numeric encoding and the preprocessor's string-based one agree.
    func testThePriorEncodesExactlyAsThePreprocessor() throws {
        let columns: [[Double]] = [[0.5, -2, 3, .nan, 7, 1], [2, 0, 2, 1, .nan, 2]]
        let (features, width) = TabularPrior.encode(columns, categorical: [false, true], trainCount: 4, clip: 6)
        func text(_ value: Double, categorical: Bool) -> String { value.isNaN ? "" : categorical ? String(Int(value)) : String(value) }
        var csv = "n,c,y\n"
        for i in 0..<6 { csv += "\(text(columns[0][i], categorical: false)),\(text(columns[1][i], categorical: true)),t\n" }
        let table = try TabularFixtures.table(csv)
        let preprocessor = try TabularPreprocessor(fitting: table.selecting(Array(0..<4)), test: table.selecting([4, 5]), kinds: ["c": .categorical])
        XCTAssertEqual(width, preprocessor.featureCount)
        let expected = try preprocessor.transform(table)
        XCTAssertEqual(features.count, expected.count, "paired lengths")
        for (a, b) in zip(features, expected) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }
}
