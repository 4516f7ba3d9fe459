import Foundation
import MesaMeta
import XCTest

final class SearchSpaceTests: XCTestCase {
    private let example = """
        {"parameters": [{"name": "lr", "type": "continuous", "low": 1e-5, "high": 1e-1, "log": true},
                        {"name": "layers", "type": "integer", "low": 1, "high": 8},
                        {"name": "act", "type": "categorical", "values": ["relu", "gelu"]}]}
        """

    func testReadsTheIssuesExampleAndMapsToTheUnitCubeAndBack() throws {
        let space = try SearchSpace(json: Data(example.utf8))
        XCTAssertEqual(space.names, ["lr", "layers", "act"])
        XCTAssertEqual(space.dimension, 4)
        XCTAssertEqual(space.parameters[0].domain, .continuous(low: 1e-5, high: 1e-1, logarithmic: true))
        let values: [ParameterValue] = [.real(1e-3), .integer(5), .category("gelu")]
        let unit = try space.unitPoint(of: values)
        XCTAssertEqual(unit[0], 0.5, accuracy: 1e-12)          // 1e-3 is the geometric middle of [1e-5, 1e-1]
        XCTAssertEqual(unit[1], 4.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(Array(unit[2...]), [0, 1])
        let back = space.values(fromUnit: unit)
        XCTAssertEqual(back[0].numericValue!, 1e-3, accuracy: 1e-15)
        XCTAssertEqual(Array(back[1...]), [.integer(5), .category("gelu")])
    }

    func testSnappingRoundsIntegersPicksACategoryAndOffersNeighbours() throws {
        let space = try SearchSpace(json: Data(example.utf8))
        let snapped = space.snapped([0.3, 0.49, 0.7, 0.2])
        XCTAssertEqual(space.values(fromUnit: snapped)[1...], [.integer(4), .category("relu")])
        XCTAssertEqual(Array(snapped[1...]), [3.0 / 7, 1, 0])
        let candidates = space.snappedCandidates([0.3, 0.49, 0.7, 0.2])
        XCTAssertEqual(candidates[0], snapped)
        let described = candidates.map { space.values(fromUnit: $0)[1...].map(\.description).joined(separator: " ") }
        XCTAssertEqual(Set(described), ["4 relu", "4 gelu", "3 relu", "5 relu"])
        // Out of the domain: refused.
        XCTAssertThrowsError(try space.unitPoint(of: [.real(1), .integer(5), .category("gelu")])) {
            XCTAssertTrue("\($0)".contains("lr = 1.0 is not in the space"), "\($0)")
        }
    }

    func testMalformedSpacesAreClearErrors() {
        let cases: [(String, String)] = [
            ("{\"parameters\": [", "is not valid JSON"),
            ("{\"params\": []}", "unknown key \"params\""),
            ("[1, 2]", "expected a JSON object"),
            ("{\"parameters\": []}", "\"parameters\" is empty"),
            ("{\"parameters\": [{\"name\": \"x\", \"low\": 0, \"high\": 1}]}", "needs a \"type\""),
            ("{\"parameters\": [{\"name\": \"x\", \"type\": \"float\", \"low\": 0, \"high\": 1}]}", "unknown type \"float\"; valid types: continuous, integer, categorical"),
            ("{\"parameters\": [{\"name\": \"x\", \"type\": \"continuous\", \"low\": 1, \"high\": 0}]}", "\"low\" must be below \"high\", got low 1.0 and high 0.0"),
            ("{\"parameters\": [{\"name\": \"x\", \"type\": \"continuous\", \"low\": 0, \"high\": 1, \"log\": true}]}", "needs \"low\" > 0"),
            ("{\"parameters\": [{\"name\": \"x\", \"type\": \"continuous\", \"low\": 0, \"hgih\": 1}]}", "unknown key \"hgih\""),
            ("{\"parameters\": [{\"name\": \"x\", \"type\": \"continuous\", \"low\": 0}]}", "\"high\" is missing"),
            ("{\"parameters\": [{\"name\": \"x\", \"type\": \"continuous\", \"low\": \"0\", \"high\": 1}]}", "\"low\" must be a finite number, found a string"),
            ("{\"parameters\": [{\"name\": \"n\", \"type\": \"integer\", \"low\": 1.5, \"high\": 4}]}", "must be a whole number"),
            ("{\"parameters\": [{\"name\": \"a\", \"type\": \"categorical\", \"values\": []}]}", "\"values\" is empty"),
            ("{\"parameters\": [{\"name\": \"a\", \"type\": \"categorical\", \"values\": [\"u\", \"u\"]}]}", "listed twice"),
            ("{\"parameters\": [{\"name\": \"x\", \"type\": \"continuous\", \"low\": 0, \"high\": 1}, {\"name\": \"x\", \"type\": \"integer\", \"low\": 0, \"high\": 3}]}",
             "parameter 2 (\"x\"): the name is used by an earlier parameter"),
            ("{\"parameters\": [{\"name\": \"objective\", \"type\": \"continuous\", \"low\": 0, \"high\": 1}]}", "reserved"),
            ("{\"parameters\": [{\"name\": \"learning rate\", \"type\": \"continuous\", \"low\": 0, \"high\": 1}]}", "use only letters, digits"),
            ("{\"parameters\": [{\"name\": \"x\", \"name\": \"y\", \"type\": \"continuous\", \"low\": 0, \"high\": 1}]}", "duplicate key \"name\" at line 1"),
        ]
        for (json, expected) in cases {
            XCTAssertThrowsError(try SearchSpace(json: Data(json.utf8), source: "space.json"), json) { error in
                guard case OptimizationError.invalidSpace(let message) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(message.hasPrefix("space.json"), message)
                XCTAssertTrue(message.contains(expected), "\(message) should contain \(expected)")
            }
        }
        XCTAssertThrowsError(try SearchSpace(contentsOf: URL(fileURLWithPath: "/nonexistent/space.json"))) {
            XCTAssertTrue("\($0)".contains("no such file"), "\($0)")
        }
    }
}
