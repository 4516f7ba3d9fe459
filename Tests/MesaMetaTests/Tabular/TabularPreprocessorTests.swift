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
        XCTAssertThrowsError(try TabularPreprocessor(fitting: words, kinds: ["a": .numeric])) { XCTAssertTrue("\($0)".contains("declared numeric but none of its values is a number (e.g. 'foo')"), "\($0)") }
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

    /// A numeric column with a typo (1 of 40 cells) stays numeric; the typo counts as missing
    /// and the note names it with its line.
    func testATypoDoesNotTurnANumericColumnCategorical() throws {
        var csv = "x,c,y\n"
        for i in 0..<40 { csv += "\(i == 16 ? "12..5" : String(i)),\(i % 2 == 0 ? "u" : "v"),\(i % 2)\n" }
        let table = try TabularFixtures.table(csv)
        let preprocessor = try TabularPreprocessor(fitting: table)
        XCTAssertEqual(preprocessor.columns.map(\.kind), [.numeric, .categorical])
        XCTAssertTrue(preprocessor.columns[0].hasIndicator)
        let features = try preprocessor.transform(table)
        let width = preprocessor.featureCount
        XCTAssertEqual(features[16 * width], 0)
        XCTAssertEqual(features[16 * width + 2], 1, "the typo is missing")
        XCTAssertEqual(preprocessor.readingNote(for: table),
                       "read 1 numeric and 1 categorical columns; column 'x': 1 cell that is not a number treated as missing (line 18 '12..5')")
        // A second table (rows to predict) gets its own note.
        let test = try TabularTable(CSVTable(text: "x,c\n1,u\nabc,v\n?,u\n"), target: "y", requireTarget: false)
        XCTAssertEqual(preprocessor.oddCellsNote(for: test), "column 'x': 1 cell that is not a number treated as missing (line 3 'abc')")
        XCTAssertNil(preprocessor.oddCellsNote(for: table.selecting([0, 1])))
    }

    /// Where numbers are a minority, or under 95 %, the column stays categorical, and the note
    /// points at --numeric when most values are numbers; the overrides win.
    func testMostlyTextStaysCategoricalAndOverridesWin() throws {
        var csv = "code,word,y\n"
        for i in 0..<20 { csv += "\(i % 5 == 0 ? "x\(i)" : String(i)),\(i < 2 ? String(i) : "w\(i % 3)"),\(i % 2)\n" }
        let table = try TabularFixtures.table(csv)
        let detected = try TabularPreprocessor(fitting: table)
        XCTAssertEqual(detected.columns.map(\.kind), [.categorical, .categorical])
        let note = detected.readingNote(for: table)
        XCTAssertTrue(note.hasPrefix("read 0 numeric and 2 categorical columns; column 'code' read as categorical: 4 of its 20 values are not numbers (line 2 'x0', line 7 'x5', line 12 'x10', …); --numeric code reads it"), note)
        XCTAssertFalse(note.contains("'word'"), note)
        let declared = try TabularPreprocessor(fitting: table, kinds: ["code": .numeric, "word": .numeric])
        XCTAssertEqual(declared.columns.map(\.kind), [.numeric, .numeric])
        XCTAssertTrue(declared.readingNote(for: table, declared: ["code": .numeric]).contains("column 'word': 18 cells that are not numbers treated as missing"))
        let categorical = try TabularPreprocessor(fitting: TabularFixtures.table("n,y\n1,a\n2,b\n1,a\n"), kinds: ["n": .categorical])
        XCTAssertEqual(categorical.columns[0].levels, ["1", "2"])
    }

    /// Quoted numbers with thousands separators are numbers when the column uses commas only that
    /// way; a decimal-comma-looking value makes them ambiguous, and the column categorical.
    func testThousandsSeparators() throws {
        let table = try TabularFixtures.table("price,y\n\"1,234\",a\n\"1,234,567.5\",b\n999,a\n\"12,000\",b\n")
        let preprocessor = try TabularPreprocessor(fitting: table)
        XCTAssertEqual(preprocessor.columns[0].kind, .numeric)
        XCTAssertTrue(preprocessor.columns[0].thousandsSeparators)
        XCTAssertEqual(preprocessor.columns[0].center, (1234 + 12000) / 2)
        XCTAssertFalse(preprocessor.columns[0].hasIndicator)
        XCTAssertEqual(preprocessor.readingNote(for: table), "read 1 numeric and 0 categorical columns; column 'price': numbers with thousands separators ('1,234')")
        let plain = try TabularFixtures.table("price,y\n1234,a\n1234567.5,b\n999,a\n12000,b\n")
        XCTAssertEqual(try preprocessor.transform(table), try TabularPreprocessor(fitting: plain).transform(plain))
        let ambiguous = try TabularFixtures.table("price,y\n\"1,234\",a\n\"1,5\",b\n\"2,25\",a\n")
        XCTAssertEqual(try TabularPreprocessor(fitting: ambiguous).columns[0].kind, .categorical)
    }

    /// A feature of scale 10⁻³⁰ is scaled like the same feature of scale 1, not taken as constant;
    /// a constant column stays constant.
    func testTinyScalesAreScaledAndConstantsAreConstant() throws {
        var tiny = "x,y\n", unit = "x,y\n"
        for i in 0..<12 { tiny += "\(Double(i * i) * 1e-30),\(i % 2)\n"; unit += "\(i * i),\(i % 2)\n" }
        let a = try TabularFixtures.table(tiny), b = try TabularFixtures.table(unit)
        let scaledTiny = try TabularPreprocessor(fitting: a).transform(a), scaledUnit = try TabularPreprocessor(fitting: b).transform(b)
        for (x, y) in zip(scaledTiny, scaledUnit) { XCTAssertEqual(x, y, accuracy: 1e-5) }
        XCTAssertEqual(TabularPreprocessor.robustCenterAndScale([0.1, 0.1, 0.1]).1, 1)
        XCTAssertEqual(TabularPreprocessor.robustCenterAndScale([1e10, 1e10, 1e10 + 1e-3]).1, 1, "spread 10⁻¹³ of the magnitude")
    }

    /// The quickselect quartiles equal those of a sorted copy, on random columns with ties.
    func testSelectionMatchesSorting() {
        var generator = RandomGenerator(seed: 3)
        for trial in 0..<300 {
            let count = 1 + generator.nextIndex(below: trial < 100 ? 8 : 400)
            let values = (0..<count).map { _ in Double(generator.nextIndex(below: trial % 2 == 0 ? 5 : 1000)) * 0.25 }
            let sorted = values.sorted()
            func quantile(_ q: Double) -> Double {
                let position = q * Double(sorted.count - 1)
                let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
                return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
            }
            var copy = values
            let (center, scale) = TabularPreprocessor.robustCenterAndScale(selectingIn: &copy)
            XCTAssertEqual(center, quantile(0.5), "\(values)")
            let range = (quantile(0.75) - quantile(0.25)) / 1.349
            if range > 0 { XCTAssertEqual(scale, range, accuracy: 1e-12, "\(values)") }
            XCTAssertEqual(copy.sorted(), sorted)
        }
    }

    /// The fitted statistics are the same, to the last bit, whatever the order of the rows: a
    /// column whose interquartile range is 0 is scaled by its standard deviation, a sum, which is
    /// taken in sorted order (in the rows' order its rounding varied with it).
    func testTheFitDoesNotDependOnTheOrderOfTheRows() throws {
        var generator = RandomGenerator(seed: 9)
        var rows: [[String]] = []
        for i in 0..<60 {
            let sparse = i % 5 < 3 ? 0 : Double(generator.nextNormal()) * 0.37
            rows.append([String(sparse), String(Double(generator.nextNormal()) * 1e3), ["p", "q", "r"][generator.nextIndex(below: 3)]])
        }
        let table = TabularTable(featureNames: ["sparse", "x", "c"], rows: rows, targetName: "y", targets: rows.map { _ in "a" })
        let reference = try TabularPreprocessor(fitting: table)
        XCTAssertEqual(reference.columns[0].center, 0)
        for _ in 0..<20 {
            var order = Array(0..<60)
            for i in order.indices.reversed() where i > 0 { order.swapAt(i, generator.nextIndex(below: i + 1)) }
            let shuffled = try TabularPreprocessor(fitting: table.selecting(order))
            XCTAssertEqual(shuffled.columns.map(\.scale.bitPattern), reference.columns.map(\.scale.bitPattern))
            XCTAssertEqual(shuffled, reference)
            // Encoding rows through `rows:` equals encoding the selected rows.
            XCTAssertEqual(try reference.transform(table, rows: order), try reference.transform(table.selecting(order)))
        }
    }
}
