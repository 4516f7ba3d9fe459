import Foundation
import MesaCore
import XCTest

final class ConfigurationChoiceTests: XCTestCase {
    enum Shape: String, ConfigurationChoice { case circle, square }
    struct Drawing: Codable { var shape: Shape }

    func testDecodesKnownNamesAndRoundTrips() throws {
        let drawing = try JSONDecoder().decode(Drawing.self, from: Data(#"{"shape": "square"}"#.utf8))
        XCTAssertEqual(drawing.shape, .square)
        let encoded = try JSONEncoder().encode(drawing)
        XCTAssertEqual(String(decoding: encoded, as: UTF8.self), #"{"shape":"square"}"#)
        XCTAssertEqual(Shape.names, ["circle", "square"])
    }

    func testUnknownNameListsTheValidOnesAndThePath() {
        XCTAssertThrowsError(try JSONDecoder().decode(Drawing.self, from: Data(#"{"shape": "sqare"}"#.utf8))) { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(context.debugDescription, #"unknown value "sqare" for shape; valid values: circle, square"#)
        }
        XCTAssertThrowsError(try Shape(named: "oval", field: "style.shape")) { error in
            XCTAssertEqual("\(error)", #"unknown value "oval" for style.shape; valid values: circle, square"#)
        }
        XCTAssertThrowsError(try JSONDecoder().decode(Drawing.self, from: Data(#"{"shape": 3}"#.utf8)), "a number is not a name")
    }
}
