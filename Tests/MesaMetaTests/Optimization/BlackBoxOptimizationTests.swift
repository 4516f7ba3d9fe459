import Foundation
import MesaMeta
import XCTest

final class BlackBoxOptimizationTests: XCTestCase {
    private var folder: URL!
    private let space = try! SearchSpace(parameters: [SearchParameter(name: "x", domain: .continuous(low: -2, high: 2, logarithmic: false))])

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-blackbox-\(UUID())")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private func optimization(_ script: String, budget: Int) throws -> BlackBoxOptimization {
        BlackBoxOptimization(space: space, command: try BlackBoxCommand(arguments: ["/bin/sh", "-c", script], space: space), budget: budget,
                             historyURL: folder.appendingPathComponent("history.csv"),
                             configuration: BayesianOptimizer.Configuration(initialPointCount: 3))
    }

    func testRunsResumesAndPlots() throws {
        let quadratic = "awk 'BEGIN { print ({x} - 0.5) ^ 2 }'"
        let first = try optimization(quadratic, budget: 6).run()
        XCTAssertEqual(first.evaluations.count, 6)
        XCTAssertEqual(first.resumedCount, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("best-so-far.svg").path))
        var notes: [String] = []
        let second = try optimization(quadratic, budget: 9).run { if let note = $0.note { notes.append(note) } }
        XCTAssertEqual(second.resumedCount, 6)
        XCTAssertEqual(Array(second.evaluations.prefix(6)), first.evaluations)
        XCTAssertEqual(second.evaluations.count, 9)
        XCTAssertTrue(notes[0].contains("resuming from the 6 evaluations"), notes[0])
        XCTAssertLessThan(second.best!.objective, 0.01)
        // A history that already holds the budget runs nothing.
        XCTAssertEqual(try optimization(quadratic, budget: 9).run().evaluations, second.evaluations)
    }

    func testAFailingCommandLosesNoEvaluation() throws {
        _ = try optimization("echo {x}", budget: 2).run()
        XCTAssertThrowsError(try optimization("echo broken >&2; exit 1 # {x}", budget: 4).run()) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("evaluation 3 failed") && message.contains("exited with status 1") && message.contains("broken"), message)
            XCTAssertTrue(message.contains("2 evaluations are kept in \(self.folder.appendingPathComponent("history.csv").path)"), message)
        }
        XCTAssertEqual(try OptimizationHistory.read(from: folder.appendingPathComponent("history.csv"), space: space).count, 2)
    }
}
