import Foundation
import MesaMeta
import XCTest

final class OptimizationHistoryTests: XCTestCase {
    private var folder: URL!
    private let space = try! SearchSpace(parameters: [
        SearchParameter(name: "x", domain: .continuous(low: 0, high: 1, logarithmic: false)),
        SearchParameter(name: "opt", domain: .categorical(["sgd", "adam, tuned"])),
    ])

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-history-\(UUID())")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testEvaluationsAreWrittenAsTheyComeAndReadBackOnResume() throws {
        let url = folder.appendingPathComponent("nested/history.csv")
        var history = try OptimizationHistory(space: space, url: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "x,opt,objective\n")
        let first = OptimizationHistory.Evaluation(values: [.real(0.25), .category("adam, tuned")], objective: -1.5)
        let second = OptimizationHistory.Evaluation(values: [.real(1e-7), .category("sgd")], objective: 3)
        try history.append(first)
        XCTAssertEqual(try OptimizationHistory.read(from: url, space: space), [first])   // on disk at once
        try history.append(second)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "x,opt,objective\n0.25,\"adam, tuned\",-1.5\n1e-07,sgd,3.0\n")
        let resumed = try OptimizationHistory(space: space, url: url)
        XCTAssertEqual(resumed.evaluations, [first, second])
        XCTAssertEqual(resumed.best(), first)
        XCTAssertEqual(resumed.best(maximize: true), second)
    }

    /// Found by fuzzing: a category with surrounding spaces is written quoted, and was read back
    /// without them, so a history Mesa wrote could not be resumed. Categories with commas,
    /// quotes, line breaks, or empty, read back too.
    func testEveryCategoryReadsBackAsWritten() throws {
        let categories = [" spaced ", "spaced", "", "a, b", "say \"hi\"", "line\nbreak", "1e5"]
        let space = try SearchSpace(parameters: [SearchParameter(name: "c", domain: .categorical(categories))])
        let url = folder.appendingPathComponent("h.csv")
        var history = try OptimizationHistory(space: space, url: url)
        let evaluations = categories.enumerated().map { OptimizationHistory.Evaluation(values: [.category($1)], objective: Double($0)) }
        for evaluation in evaluations { try history.append(evaluation) }
        XCTAssertEqual(try OptimizationHistory.read(from: url, space: space), evaluations)
        // Typed by hand without quotes, a category still matches without its spaces.
        XCTAssertEqual(space.parameters[0].value(parsing: " spaced "), .category(" spaced "))
        XCTAssertEqual(space.parameters[0].value(parsing: "spaced  "), .category("spaced"))
    }

    func testAppendingToAFileWithoutAFinalNewline() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("h.csv")
        try "x,opt,objective\n0.5,sgd,2".write(to: url, atomically: true, encoding: .utf8)
        var history = try OptimizationHistory(space: space, url: url)
        try history.append(OptimizationHistory.Evaluation(values: [.real(0.1), .category("sgd")], objective: 1))
        XCTAssertEqual(try OptimizationHistory.read(from: url, space: space).map(\.objective), [2, 1])
    }

    func testMismatchedOrMalformedHistoriesAreClearErrors() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cases: [(String, String)] = [
            ("x,objective\n0.5,1\n", "the header is \"x,objective\", but the space needs \"x,opt,objective\""),
            ("x,opt,objective\n0.5,sgd,1\n1.5,sgd,2\n", "line 3: x = \"1.5\" is not a value of the space (continuous in [0.0, 1.0])"),
            ("x,opt,objective\n0.5,rmsprop,1\n", "line 2: opt = \"rmsprop\" is not a value of the space (one of sgd, adam, tuned)"),
            ("x,opt,objective\n0.5,sgd,nan\n", "line 2: the objective \"nan\" is not a finite number"),
            ("x,opt,objective\n0.5,sgd\n", "line 2: 2 fields, but the header has 3"),
        ]
        for (index, (text, expected)) in cases.enumerated() {
            let url = folder.appendingPathComponent("bad\(index).csv")
            try text.write(to: url, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try OptimizationHistory(space: space, url: url)) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error) should contain \(expected)")
            }
        }
        let headerOnly = folder.appendingPathComponent("header.csv")
        try "x,opt,objective\n".write(to: headerOnly, atomically: true, encoding: .utf8)
        XCTAssertEqual(try OptimizationHistory(space: space, url: headerOnly).evaluations, [])
    }
}
