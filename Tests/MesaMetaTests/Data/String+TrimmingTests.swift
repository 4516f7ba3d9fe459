import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class StringTrimmingTests: XCTestCase {
    /// The same as Foundation's `trimmingCharacters(in: .whitespaces)` on random fields built
    /// from letters, digits, newlines and every kind of horizontal space.
    func testMatchesFoundation() {
        let pieces = ["a", "1", "x y", ".", "\t", " ", "\u{00A0}", "\u{2003}", "\u{3000}", "\n", "é", "-", ""]
        var generator = RandomGenerator(seed: 8)
        for _ in 0..<2000 {
            let text = (0..<generator.nextIndex(below: 7)).map { _ in pieces[generator.nextIndex(below: pieces.count)] }.joined()
            XCTAssertEqual(text.trimmingSpaces(), text.trimmingCharacters(in: .whitespaces), "\(text.unicodeScalars.map { $0.value })")
            // The CSV reader's byte-level trimming agrees.
            var copy = text
            XCTAssertEqual(copy.withUTF8 { String(decoding: CSVCell.trimmed($0), as: UTF8.self) }, text.trimmingCharacters(in: .whitespaces))
        }
        XCTAssertEqual(Substring("  12.5 ").trimmingSpaces(), "12.5")
    }
}
