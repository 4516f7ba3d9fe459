import XCTest
@testable import MesaMeta

/// Mesa's BBOB functions against COCO's (`cocoex`) values in `BBOBFixture.swift`, written by
/// `benchmarks/bbob/make_fixture.py`: all 24 functions, dimensions 2, 5, 20, instances 1–3, at two
/// shared points, at the optimum and next to it.
final class BBOBProblemTests: XCTestCase {
    struct Row { var function: Int; var dimension: Int; var instance: Int; var values: [Double] }

    static func parsedFixture() -> (points: [Int: [[Double]]], rows: [Row]) {
        var points: [Int: [[Double]]] = [:]
        var rows: [Row] = []
        for line in bbobFixtureCSV.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",")
            let numbers = fields[4].split(separator: " ").map { Double($0)! }
            if fields[0] == "point" {
                points[Int(fields[2])!, default: []].append(numbers)
            } else {
                rows.append(Row(function: Int(fields[1])!, dimension: Int(fields[2])!, instance: Int(fields[3])!, values: numbers))
            }
        }
        return (points, rows)
    }

    func testEveryFunctionMatchesCOCO() throws {
        let (points, rows) = Self.parsedFixture()
        XCTAssertEqual(rows.count, 24 * 3 * 3)
        var mismatches: [String] = []
        for row in rows {
            let problem = try BBOBProblem(function: try BBOBFunction(number: row.function), dimension: row.dimension, instance: row.instance)
            let delta = (0..<row.dimension).map { $0 % 2 == 0 ? 0.01 : -0.01 }
            let near = zip(problem.optimum, delta).map { $0 + $1 }
            let mine = [problem.value(at: points[row.dimension]![0]), problem.value(at: points[row.dimension]![1]),
                        problem.value(at: problem.optimum), problem.value(at: near)]
            for (k, (a, b)) in zip(mine, row.values).enumerated() where abs(a - b) > 1e-6 * Swift.max(1, abs(b)) {
                mismatches.append("\(problem.identifier) point \(k): Mesa \(a), COCO \(b)")
            }
        }
        XCTAssert(mismatches.isEmpty, "\(mismatches.count) mismatches:\n" + mismatches.prefix(40).joined(separator: "\n"))
    }

    func testOptimalValueIsTheValueAtTheOptimum() throws {
        for function in BBOBFunction.allCases {
            let problem = try BBOBProblem(function: function, dimension: 10, instance: 7)
            XCTAssertEqual(problem.value(at: problem.optimum), problem.optimalValue, accuracy: 1e-8, "\(function)")
        }
    }

    func testRefusesDimensionsAndInstancesOutsideTheSuite() {
        XCTAssertThrowsError(try BBOBProblem(function: .sphere, dimension: 1, instance: 1)) { error in
            XCTAssertEqual("\(error)", "BBOB dimension 1 is not available; use 2 to 40 (COCO's suite uses 2, 3, 5, 10, 20, 40)")
        }
        XCTAssertThrowsError(try BBOBProblem(function: .sphere, dimension: 5, instance: 0))
        XCTAssertThrowsError(try BBOBFunction(number: 25)) { error in
            XCTAssertEqual("\(error)", "there is no BBOB function f25; the noiseless suite has f1 … f24")
        }
    }
}
