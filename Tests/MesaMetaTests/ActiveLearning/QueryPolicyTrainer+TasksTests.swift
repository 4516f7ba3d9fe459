import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

/// The distillation method's tasks (`QueryPolicyTrainer+Tasks.swift`).
final class QueryPolicyTrainerTasksTests: XCTestCase {
    /// The training target on a hand-made look-ahead: the expected reduction of the evaluated
    /// rows' expected error, ×100, weighting each hypothesised label by its probability.
    func testTheTargetIsTheExpectedReductionOfTheExpectedError() {
        let before: [[Float]] = [[0.6, 0.4], [0.5, 0.5]]                  // error (0.4 + 0.5) / 2 = 0.45
        let after: [[[Float]]] = [
            [[0.9, 0.1], [0.8, 0.2]], [[0.6, 0.4], [0.5, 0.5]],           // candidate 0 as class 0: 0.15; as class 1: 0.45
            [[0.7, 0.3], [0.7, 0.3]], [[0.7, 0.3], [0.7, 0.3]],           // candidate 1: 0.3 whatever its label
        ]
        let targets = QueryPolicyTrainer.targets(before: before, after: after, weights: [[0.2, 0.8], [0.5, 0.5]])
        XCTAssertEqual(targets[0], 100 * (0.45 - (0.2 * 0.15 + 0.8 * 0.45)), accuracy: 1e-4)   // 6: its likely label teaches nothing
        XCTAssertEqual(targets[1], 100 * (0.45 - 0.3), accuracy: 1e-4)                         // 15
    }

    /// A prior sample becomes a table of text cells as a CSV file would give: missing cells
    /// empty, classes named.
    func testPriorSamplesBecomeTables() {
        let sample = TabularSample(features: [1.5, .nan, -2, 4], targets: [0, 1], rowCount: 2, trainCount: 1, featureCount: 2, classCount: 2)
        let table = QueryPolicyTrainer.table(sample)
        XCTAssertEqual(table.featureNames, ["x1", "x2"])
        XCTAssertEqual(table.rows, [["1.5", ""], ["-2.0", "4.0"]])
        XCTAssertEqual(table.targets, ["c0", "c1"])
    }

    /// The protocol draw labels one row per class of the pool and rows up to 4 (here no more):
    /// the task's labelled count is max(4, its classes), every class known to the learner.
    func testTheProtocolDrawLabelsEveryClassLikeTheBenchmark() throws {
        var configuration = try QueryPolicyConfiguration(json: Data(#"{"labelledDraw": "protocol"}"#.utf8), source: "q.json")
        configuration.candidatesPerTask = 4
        configuration.minimumRows = 30
        configuration.maximumRows = 40
        configuration.maximumLabelled = 4
        configuration.width = 4
        configuration.ensembleSize = 1
        configuration.prior.featureRange = 1...3
        configuration.learnerModel = InContextActiveLearnerTests.classifierURL.path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-query-policy-draw-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let trainer = try QueryPolicyTrainer(configuration: configuration, directory: folder)
        var generator = RandomGenerator(seed: 2)
        var checked = 0
        for _ in 0..<8 {
            guard let task = try trainer.examples(using: &generator) else { continue }
            let f = task.features[0]
            let labelled = Int((exp(Double(f[8]) * log(1001.0)) - 1).rounded()), classes = Int((Double(f[9]) * 10).rounded())
            XCTAssertEqual(labelled, max(4, classes))
            checked += 1
        }
        XCTAssertGreaterThan(checked, 0)
        XCTAssertThrowsError(try QueryPolicyConfiguration(json: Data(#"{"labelledDraw": "all"}"#.utf8), source: "q.json")) {
            XCTAssertTrue("\($0)".contains("valid values: random, protocol"), "\($0)")
        }
    }

    /// A task pool file that does not hold the configured tasks is refused with what to do.
    func testAMismatchedTaskPoolIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-query-policy-pool-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = QueryPolicyConfiguration()
        configuration.taskPoolSize = 2
        configuration.learnerModel = InContextActiveLearnerTests.classifierURL.path
        let trainer = try QueryPolicyTrainer(configuration: configuration, directory: folder)
        try Data("[]".utf8).write(to: trainer.taskPoolURL)
        XCTAssertThrowsError(try trainer.trainingTasks()) {
            XCTAssertTrue("\($0)".contains("does not hold the configuration's 2 tasks; delete it"), "\($0)")
        }
        try Data("{".utf8).write(to: trainer.taskPoolURL)
        XCTAssertThrowsError(try trainer.trainingTasks()) { XCTAssertTrue("\($0)".contains("cannot read the task pool"), "\($0)") }
    }
}
