import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

/// `mesa predict`'s output depends on the training table, not on how its file is written: the
/// order of its rows and columns, its line ends, the quoting of its fields, and extra or
/// reordered columns in the table to predict. Exact equality (labels, and probabilities,
/// means and quantiles bit for bit), on seeded random tables, for the classifier (a shared
/// context, subsample ensembles, local contexts) and the regressor.
final class TabularTableCanonicalOrderTests: XCTestCase {
    static let regressorURL: URL = try! TabularFixtures.modelFile(kind: .regression)

    /// A seeded random table as CSV fields: a header and rows. Columns: Gaussian numbers with
    /// blanks, small integers, a mostly-zero indicator (its interquartile range is 0, so it is
    /// scaled by its standard deviation, a sum), a categorical column with `NA`s, words with
    /// commas and quotes; then the target: three classes, or a number.
    static func randomTable(rows: Int, seed: UInt64, regression: Bool) -> [[String]] {
        var generator = RandomGenerator(seed: seed)
        var table = [["height", "count", "flag", "colour", "note", regression ? "price" : "class"]]
        let colours = ["red", "green", "blue", "NA"], notes = ["plain", "with, comma", "say \"hi\"", "two\nlines", ""]
        for _ in 0..<rows {
            let height = generator.nextNormal() * 3 + 10
            let count = generator.nextIndex(below: 7)
            let flag = generator.nextUniform() < 0.15 ? 1 : 0
            let colour = colours[generator.nextIndex(below: colours.count)]
            let target = regression ? String(Double(height) * 2 + Double(count) + Double(generator.nextNormal()))
                : ["low", "mid", "high"][(count + flag) % 3]
            table.append([generator.nextUniform() < 0.1 ? "" : String(height), String(count), String(flag), colour,
                          notes[generator.nextIndex(below: notes.count)], target])
        }
        return table
    }

    /// How a table is written to a file.
    struct Spelling {
        var rowOrder: [Int]? = nil
        var columnOrder: [Int]? = nil
        var lineEnd = "\n"
        var quoteEveryField = false
    }

    /// `table` (header first) as CSV text, spelt as `spelling` says.
    static func csv(_ table: [[String]], _ spelling: Spelling) -> String {
        let body = Array(table.dropFirst())
        let rows = [table[0]] + (spelling.rowOrder ?? Array(body.indices)).map { body[$0] }
        let columns = spelling.columnOrder ?? Array(table[0].indices)
        return rows.map { row in
            columns.map { column in
                let field = row[column]
                let needsQuotes = spelling.quoteEveryField || field.contains(where: { ",\"\n\r".contains($0) })
                return needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
        }.joined(separator: spelling.lineEnd) + spelling.lineEnd
    }

    /// The spellings of a training table compared with the plain one: shuffled rows, permuted
    /// columns, CRLF, every field quoted, and all at once.
    static func spellings(of table: [[String]], seed: UInt64) -> [(name: String, spelling: Spelling)] {
        var generator = RandomGenerator(seed: seed)
        func shuffled(_ count: Int) -> [Int] {
            var order = Array(0..<count)
            for i in order.indices.reversed() where i > 0 { order.swapAt(i, generator.nextIndex(below: i + 1)) }
            return order
        }
        let rowOrder = shuffled(table.count - 1), columnOrder = shuffled(table[0].count)
        return [("row order", Spelling(rowOrder: rowOrder)), ("column order", Spelling(columnOrder: columnOrder)),
                ("CRLF", Spelling(lineEnd: "\r\n")), ("quoted fields", Spelling(quoteEveryField: true)),
                ("all of them", Spelling(rowOrder: rowOrder, columnOrder: columnOrder, lineEnd: "\r\n", quoteEveryField: true))]
    }

    /// The rows to predict without the target, plainly, and with an extra column and the
    /// columns in another order.
    static func testTables(_ table: [[String]]) throws -> (plain: TabularTable, rearranged: TabularTable) {
        let features = table.map { Array($0.dropLast()) }
        let plain = try TabularTable(CSVTable(text: csv(features, Spelling())), requireTarget: false)
        let extra = features.enumerated().map { index, row in row + [index == 0 ? "row id" : String(index * 7)] }
        let rearranged = try TabularTable(CSVTable(text: csv(extra, Spelling(columnOrder: [4, 5, 2, 0, 1, 3]))), requireTarget: false)
        return (plain, rearranged)
    }

    /// `table` in canonical order: columns by name, rows by contents.
    static func canonical(_ table: TabularTable) -> TabularTable {
        let sorted = table.sortingColumnsByName()
        return sorted.selecting(sorted.canonicalRowOrder())
    }

    func testCanonicalOrderIgnoresRowAndColumnOrder() throws {
        let table = Self.randomTable(rows: 40, seed: 1, regression: false)
        let reference = Self.canonical(try TabularTable(CSVTable(text: Self.csv(table, Spelling()))))
        XCTAssertEqual(reference.featureNames, ["colour", "count", "flag", "height", "note"])
        for (name, spelling) in Self.spellings(of: table, seed: 2) {
            let other = Self.canonical(try TabularTable(CSVTable(text: Self.csv(table, spelling)), target: "class"))
            XCTAssertEqual(other.featureNames, reference.featureNames, name)
            XCTAssertEqual(other.rows, reference.rows, name)
            XCTAssertEqual(other.targets, reference.targets, name)
        }
        // Rows sort by target, then by the columns in name order, by text.
        let small = Self.canonical(try TabularTable(CSVTable(text: "b,a,y\n9,x,q\n10,x,q\n1,z,p\n")))
        XCTAssertEqual(small.featureNames, ["a", "b"])
        XCTAssertEqual(small.rows, [["z", "1"], ["x", "10"], ["x", "9"]])
    }

    func testClassifierPredictionsIgnoreHowTheTrainingFileIsWritten() throws {
        let model = try TabularClassifier(modelURL: TabularClassifierTests.modelURL)
        model.options.ensembleSize = 3
        // A shared context of every labelled row; subsample ensembles (more rows than a context
        // holds); local contexts of each row's nearest labelled rows; fine-tuning first.
        let modes: [(String, Int, Int?, Int)] = [("shared context", 1000, nil, 0), ("subsamples", 25, nil, 0), ("local contexts", 25, 10, 0),
                                                 ("fine-tuned", 1000, nil, 2)]
        for (mode, contextRows, localRows, fineTuningSteps) in modes {
            model.options.maximumContextRows = contextRows
            model.options.localContextRows = localRows
            model.options.fineTuningSteps = fineTuningSteps
            for seed: UInt64 in [3, 4] {
                let table = Self.randomTable(rows: 48, seed: seed, regression: false)
                let (test, rearrangedTest) = try Self.testTables(Self.randomTable(rows: 12, seed: seed + 100, regression: false))
                try model.fit(TabularTable(CSVTable(text: Self.csv(table, Spelling()))))
                let reference = try model.predictProbabilities(test)
                XCTAssertEqual(try model.predictProbabilities(rearrangedTest), reference, "\(mode), seed \(seed): extra and reordered test columns")
                let labels = try model.predict(test)
                for (name, spelling) in Self.spellings(of: table, seed: seed) {
                    try model.fit(TabularTable(CSVTable(text: Self.csv(table, spelling)), target: "class"))
                    XCTAssertEqual(try model.predictProbabilities(test), reference, "\(mode), seed \(seed): \(name)")
                    XCTAssertEqual(try model.predict(rearrangedTest), labels, "\(mode), seed \(seed): \(name)")
                }
            }
        }
    }

    func testRegressorPredictionsIgnoreHowTheTrainingFileIsWritten() throws {
        let model = try TabularRegressor(modelURL: Self.regressorURL)
        model.options.ensembleSize = 3
        for contextRows in [1000, 25] {
            model.options.maximumContextRows = contextRows
            let table = Self.randomTable(rows: 48, seed: 5, regression: true)
            let (test, rearrangedTest) = try Self.testTables(Self.randomTable(rows: 12, seed: 6, regression: true))
            try model.fit(TabularTable(CSVTable(text: Self.csv(table, Spelling()))))
            let reference = try model.predict(test)
            XCTAssertEqual(try model.predict(rearrangedTest), reference, "context \(contextRows): extra and reordered test columns")
            for (name, spelling) in Self.spellings(of: table, seed: 7) {
                try model.fit(TabularTable(CSVTable(text: Self.csv(table, spelling)), target: "price"))
                XCTAssertEqual(try model.predict(test), reference, "context \(contextRows): \(name)")
            }
        }
    }
}
