import Foundation
import XCTest

/// `mesa predict` writes the same predictions, byte for byte, however the training file is
/// written (row order, column order, CRLF line ends, every field quoted) and whatever extra or
/// reordered columns the file to predict has. The library's tests check each case alone on
/// several tables (TabularTableCanonicalOrderTests); this checks all at once through the command,
/// with the shipped classifier.
final class PredictCommandInvarianceTests: XCTestCase {
    /// SplitMix64 (Steele et al. 2014): seeded, so the tables are the same on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Rows of a random table: two numbers, a category with missing values, the class.
    static func rows(_ count: Int, using generator: inout SeededGenerator) -> [[String]] {
        (0..<count).map { _ in
            let x = Double.random(in: -3...3, using: &generator), y = Double.random(in: 0...100, using: &generator)
            let colour = ["red", "green", "blue", "NA"].randomElement(using: &generator)!
            let label = x + y / 50 + (colour == "red" ? 1 : 0) > 1.5 ? "yes" : "no"
            return [String(format: "%.3f", x), String(format: "%.2f", y), colour, label]
        }
    }

    static func csv(_ rows: [[String]], lineEnd: String = "\n", quoted: Bool = false) -> String {
        rows.map { row in row.map { quoted ? "\"\($0)\"" : $0 }.joined(separator: ",") }.joined(separator: lineEnd) + lineEnd
    }

    func testPredictionsIgnoreHowTheTrainingFileIsWritten() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-invariance-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ text: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        var generator = SeededGenerator(state: 17)
        let header = ["x", "y", "colour", "label"]
        let train = Self.rows(60, using: &generator), test = Self.rows(15, using: &generator).map { Array($0.dropLast()) }

        let columns = [2, 3, 0, 1]   // colour, label, x, y
        let rewritten = train.shuffled(using: &generator).map { row in columns.map { row[$0] } }
        let testColumns = [1, 2, 0]   // y, colour, x; then an extra column
        let rearrangedTest = test.enumerated().map { index, row in testColumns.map { row[$0] } + [String(index)] }

        let plain = try MesaProcess.run([
            "predict", "--train", try write("train.csv", Self.csv([header] + train)),
            "--test", try write("test.csv", Self.csv([Array(header.dropLast())] + test)),
            "--target", "label", "--output", directory.appendingPathComponent("plain.csv").path,
        ])
        XCTAssertEqual(plain.status, 0, plain.error)
        let other = try MesaProcess.run([
            "predict", "--train", try write("rewritten.csv", Self.csv([columns.map { header[$0] }] + rewritten, lineEnd: "\r\n", quoted: true)),
            "--test", try write("rearranged.csv", Self.csv([testColumns.map { header[$0] } + ["id"]] + rearrangedTest)),
            "--target", "label", "--output", directory.appendingPathComponent("other.csv").path,
        ])
        XCTAssertEqual(other.status, 0, other.error)
        XCTAssertTrue(other.output.contains("ignoring test columns absent from the training table: id"), other.output)
        let expected = try String(contentsOf: directory.appendingPathComponent("plain.csv"), encoding: .utf8)
        XCTAssertEqual(expected.split(separator: "\n").count, 16, expected)
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("other.csv"), encoding: .utf8), expected)
    }
}
