import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class CSVNumberTests: XCTestCase {
    private func plain(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { CSVNumber.plain($0) }
    }

    private func grouped(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { CSVNumber.grouped($0) }
    }

    /// Bit for bit what Swift's (correctly rounded) `Double(String)` reads, on random spellings:
    /// short and 17-digit mantissas, leading zeros, exponents near and beyond the fast path's.
    func testPlainNumbersMatchTheLibraryConversion() {
        var generator = RandomGenerator(seed: 11)
        for _ in 0..<20_000 {
            let digits = 1 + generator.nextIndex(below: 20)
            var mantissa = (0..<digits).map { _ in String(generator.nextIndex(below: 10)) }.joined()
            if generator.nextIndex(below: 2) == 0 { mantissa.insert(".", at: mantissa.index(mantissa.startIndex, offsetBy: generator.nextIndex(below: digits + 1))) }
            var text = ["", "-", "+"][generator.nextIndex(below: 3)] + mantissa
            if generator.nextIndex(below: 3) == 0 { text += ["e", "E"][generator.nextIndex(below: 2)] + ["", "-", "+"][generator.nextIndex(below: 3)] + String(generator.nextIndex(below: 330)) }
            let expected = Double(text)!
            XCTAssertEqual(plain(text)?.bitPattern, expected.bitPattern, text)
        }
        XCTAssertEqual(plain("1e-30"), 1e-30)
        XCTAssertEqual(plain("0.1"), 0.1)
        XCTAssertEqual(plain("5."), 5)
        XCTAssertEqual(plain(".5"), 0.5)
        XCTAssertEqual(plain("-Infinity"), -.infinity)
        XCTAssertEqual(plain("INF"), .infinity)
        XCTAssertEqual(plain("1e400"), .infinity)
    }

    func testNotNumbers() {
        for text in ["", "+", "-", ".", "12..5", "1.2.3", "1e", "e5", "--1", "1-", "0x10", "nan", "inf5", "infinit", "1,234", " 1", "1 ", "١٢"] {
            XCTAssertNil(plain(text), text)
        }
    }

    func testThousandsSeparators() {
        XCTAssertEqual(grouped("1,234"), 1234)
        XCTAssertEqual(grouped("-1,234,567.5"), -1_234_567.5)
        XCTAssertEqual(grouped("+12,000"), 12000)
        for text in ["1234", "1,23", "1,2345", "1234,567", ",123", "1,234,", "1,234.", "1,234.5.6", "1,,234", "a,234"] {
            XCTAssertNil(grouped(text), text)
        }
    }
}
