import Foundation
import MesaCore
@testable import MesaMeta
import MesaTestSupport
import XCTest

final class InContextEvaluationTests: SingleThreadedTestCase {
    var folder: URL!

    override func setUp() {
        super.setUp()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-evaluation-\(UUID())")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
        super.tearDown()
    }

    /// Linear tasks in 2 dimensions, a tiny Transformer, prompts of 6 points, two baselines.
    func configuration(architecture: LearnerArchitecture = .transformer, contextCount: Int? = nil) -> InContextTrainingConfiguration {
        InContextTrainingConfiguration(
            name: "tiny", task: TaskConfiguration(family: .linear, inputDimension: 2),
            learner: LearnerConfiguration(architecture: architecture, modelSize: 8, layerCount: 1, headCount: 2, maximumPointCount: 6,
                                          contextCount: contextCount),
            training: TrainingConfiguration(steps: 1, batchSize: 2, pointCount: 6),
            evaluation: EvaluationConfiguration(baselines: ["leastSquares", "averaging"], promptCount: 20, seed: 7, probes: true))
    }

    func learner(for configuration: InContextTrainingConfiguration) throws -> any InContextLearner {
        var generator = RandomGenerator(seed: 1)
        return try configuration.learner.makeLearner(inputDimension: 2, kind: .regression, using: &generator)
    }

    func rows(_ file: String) throws -> [[String]] {
        try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func testWritesCurvesDifferencesAndOnePlotPerProbe() throws {
        let configuration = configuration()
        var updates: [ProgressUpdate] = []
        let report = try InContextEvaluation(configuration: configuration, learner: learner(for: configuration), step: 3)
            .run(to: folder) { updates.append($0) }
        // In distribution, inputs ×2 and ×3, added noise, 1 of 2 dimensions.
        XCTAssertEqual(report.probes.map(\.name), ["in-distribution", "inputs x2", "inputs x3", "added noise 1", "d 1 of 2"])
        XCTAssertEqual(report.predictors, ["transformer (step 3)", "least squares", "averaging"])
        XCTAssertEqual(updates.last, ProgressUpdate(completed: 15, total: 15))
        let curves = try rows("curves.csv")
        XCTAssertEqual(curves.count, 5 * 3 * 6, "probes × predictors × points")
        let differences = try rows("differences.csv")
        XCTAssertEqual(differences.count, 5 * 2 * 6, "probes × baselines × points")
        for probe in report.probes {
            XCTAssertTrue(try String(contentsOf: probe.plotURL, encoding: .utf8).hasPrefix("<svg"))
            XCTAssertEqual(probe.differences.count, 2)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("curves-inputs-x2.svg").path))

        // Each paired difference is the difference of the two curves' means on the same prompts.
        func means(_ rows: [[String]], _ predictor: String) -> [Double] {
            rows.filter { $0[0] == "in-distribution" && $0[1] == predictor }.map { Double($0[4])! }
        }
        let learnerMeans = means(curves, "transformer (step 3)"), leastSquares = means(curves, "least squares")
        for (index, difference) in means(differences, "least squares").enumerated() {
            XCTAssertEqual(difference, learnerMeans[index] - leastSquares[index], accuracy: 1e-9 * max(1, abs(learnerMeans[index])))
        }

        let text = report.description
        XCTAssertTrue(text.hasPrefix("linear regression"), text)
        XCTAssertTrue(text.contains("in-distribution: learner − baseline on the same prompts"), text)
        XCTAssertTrue(text.contains("d 1 of 2 (normalised squared error), plot"), text)
        XCTAssertTrue(text.contains("wrote \(folder.path)/differences.csv"), text)
    }

    func testBaselinesAloneWriteNoDifferencesAndRemoveAStaleFile() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "stale".write(to: folder.appendingPathComponent("differences.csv"), atomically: true, encoding: .utf8)
        var configuration = configuration()
        configuration.evaluation.probes = false
        configuration.evaluation.pointCount = 9   // baselines read prompts of any length
        let report = try InContextEvaluation(configuration: configuration).run(to: folder)
        XCTAssertNil(report.differencesURL)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("differences.csv").path))
        XCTAssertEqual(try rows("curves.csv").count, 2 * 9)
        XCTAssertFalse(report.description.contains("learner − baseline"))
    }

    func testTheSameSeedDrawsTheSamePromptsAndAnotherSeedOthers() throws {
        var configuration = configuration()
        configuration.evaluation.probes = false
        let first = try InContextEvaluation(configuration: configuration).run(to: folder).probes[0].curves
        let again = try InContextEvaluation(configuration: configuration).run(to: folder).probes[0].curves
        configuration.evaluation.seed = 8
        let other = try InContextEvaluation(configuration: configuration).run(to: folder).probes[0].curves
        XCTAssertEqual(first, again)
        XCTAssertNotEqual(first, other)
    }

    func testRefusesNothingToEvaluateAndPromptsLongerThanTheLearnerReads() throws {
        var configuration = configuration()
        configuration.evaluation.baselines = []
        XCTAssertThrowsError(try InContextEvaluation(configuration: configuration).run(to: folder)) { error in
            XCTAssertTrue("\(error)".contains("nothing to evaluate"), "\(error)")
        }
        configuration.evaluation.pointCount = 7
        XCTAssertThrowsError(try InContextEvaluation(configuration: configuration, learner: learner(for: configuration)).run(to: folder)) { error in
            XCTAssertTrue("\(error)".contains("maximum prompt length 6"), "\(error)")
        }
    }

    /// A fixed-context linear self-attention learner is compared with gradient descent instead.
    func testFixedContextLinearSelfAttentionIsComparedWithGradientDescent() throws {
        let configuration = configuration(architecture: .lsa, contextCount: 4)
        let report = try InContextEvaluation(configuration: configuration, learner: learner(for: configuration)).run(to: folder)
        let comparison = try XCTUnwrap(report.gradientDescent)
        XCTAssertEqual(comparison.contextCount, 4)
        XCTAssertEqual(comparison.stepCount, 1)
        XCTAssertEqual(comparison.taskCount, 20)
        let saved = try JSONDecoder().decode(GradientDescentComparison.Result.self,
                                             from: Data(contentsOf: folder.appendingPathComponent("gradient-descent-comparison.json")))
        XCTAssertEqual(saved, comparison.result)
        XCTAssertLessThan(comparison.result.gradientDescent, comparison.result.zeroPrediction, "a tuned step beats predicting 0")
        XCTAssertTrue(report.description.contains("4 examples, 1-layer linear self-attention vs 1 step of gradient descent"), report.description)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("curves.csv").path))
    }

    func testTablesShowAFewNumbersOfExamplesAndMarkLargeDifferences() {
        let curve = ErrorCurve(predictor: "p", metric: "accuracy", points: (0..<8).map { ErrorCurve.Point(examples: $0, mean: Double($0), standardError: 0.1) })
        let table = InContextEvaluationReport.table([curve], title: "title").split(separator: "\n")
        XCTAssertEqual(table[1].split(separator: " ").dropFirst().map(String.init), ["0", "1", "2", "4", "6", "7"])
        let paired = InContextEvaluationReport.pairedTable([curve], baselines: ["b"], title: "t").split(separator: "\n")
        XCTAssertEqual(paired.count, 2 + 8)
        XCTAssertFalse(paired[2].hasSuffix("*"), "0 ± 0.1 is not marked")
        XCTAssertTrue(paired[3].hasSuffix("*"), "1 ± 0.1 is marked")
    }
}
