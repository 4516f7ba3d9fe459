import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

/// The look-ahead form of the learned policy (`QueryPolicyLookAhead.swift`).
final class QueryPolicyLookAheadTests: XCTestCase {
    /// The shortlist is margin's most uncertain rows, the smallest `p₁ − p₂` first, ties to the lower index.
    func testTheShortlistIsMarginsMostUncertainRows() {
        let p: [[Float]] = [[0.9, 0.1], [0.55, 0.45], [0.5, 0.3, 0.2], [0.45, 0.55], [0.7, 0.3]]
        XCTAssertEqual(QueryPolicyLookAhead.shortlist(probabilities: p, size: 3), [1, 3, 2])
        XCTAssertEqual(QueryPolicyLookAhead.shortlist(probabilities: p, size: 9).count, 5)
        XCTAssertEqual(QueryPolicyLookAhead.hypothesisedClasses(p, candidates: [2, 3]), [[0, 1], [1, 0]])
    }

    /// `δ̂` on a hand-made look-ahead: the evaluated rows' expected error now minus its expectation
    /// after the label, the two classes' weights renormalised; its rank within the shortlist is
    /// the last input.
    func testTheLookAheadInputFollowsItsDefinition() {
        let before: [[Float]] = [[0.6, 0.4], [0.5, 0.5]]                                  // error 0.45
        let after: [ArraySlice<[[Float]]>] = [
            ArraySlice([[[0.9, 0.1], [0.8, 0.2]], [[0.6, 0.4], [0.5, 0.5]]]),              // 0.15 and 0.45
            ArraySlice([[[0.7, 0.3], [0.7, 0.3]], [[0.7, 0.3], [0.7, 0.3]]]),              // 0.3 either way
        ]
        let delta = QueryPolicyLookAhead.reductions(before: before, after: after, weights: [[0.1, 0.4], [0.3, 0.3]])
        XCTAssertEqual(delta[0], 100 * (0.45 - (0.2 * 0.15 + 0.8 * 0.45)), accuracy: 1e-4)   // weights 0.1, 0.4 → 0.2, 0.8
        XCTAssertEqual(delta[1], 15, accuracy: 1e-4)
        let base: [[Float]] = (0..<4).map { [Float](repeating: Float($0), count: QueryPolicyFeatures.count) }
        let features = QueryPolicyLookAhead.features(base: base, candidates: [3, 1], reductions: delta)
        XCTAssertEqual(features.map(\.count), [QueryPolicyLookAhead.featureCount, QueryPolicyLookAhead.featureCount])
        XCTAssertEqual(Array(features[0].prefix(QueryPolicyFeatures.count)), base[3])
        XCTAssertEqual(features[0][10], Float(delta[0]), accuracy: 1e-5)
        XCTAssertEqual(features.map { $0[11] }, [0, 1], "candidate 1 expects the larger reduction")
    }

    /// The true-label target's soft error: `mean (1 − p(y|t))`, a class the learner lacks as probability 0.
    func testTheSoftErrorUsesTheTrueClasses() {
        let p: [[Float]] = [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]
        XCTAssertEqual(QueryPolicyTrainer.softError(p, classes: [0, 0, -1]), (0.2 + 0.7 + 1) / 3, accuracy: 1e-6)
    }

    /// A training task on a hand-made look-ahead: the candidates are margin's shortlist, `δ̂` comes
    /// from the pool rows (the two likeliest classes), the target from the test rows after the
    /// candidate's true label; a shortlisted row of a class the learner lacks drops the task.
    func testTrainingExamplesReadPoolAndTestRowsOfOneLookAhead() throws {
        let probabilities: [[Float]] = [[0.9, 0.1], [0.55, 0.45], [0.4, 0.6],   // pool: margins 0.8, 0.1, 0.2
                                        [0.7, 0.3], [0.2, 0.8]]                 // test rows, both of class 0: soft error 0.55
        let base = (0..<3).map { [Float](repeating: Float($0), count: QueryPolicyFeatures.count) }
        var asked: [[Int]] = [], evaluatedRows: [Int] = []
        let lookAhead: PoolEvidence.LookAhead = { hypotheses, evaluated in
            asked = hypotheses.map { [$0.row, $0.classIndex] }
            evaluatedRows = evaluated
            return hypotheses.map { h in evaluated.map { e -> [Float] in
                if e < 3 { return h.classIndex == 0 ? [0.8, 0.2] : [0.6, 0.4] }     // pool rows: error 0.2 or 0.4
                switch (h.row, h.classIndex) {
                case (1, 1): return [0.9, 0.1]                                       // row 1's true label: soft error 0.1
                case (2, 0): return [0.6, 0.4]                                       // row 2's true label: 0.4
                default: return [0.5, 0.5]
                }
            } }
        }
        var generator = RandomGenerator(seed: 1)
        let task = try XCTUnwrap(try QueryPolicyTrainer.lookAheadExamples(
            probabilities: probabilities, baseFeatures: base, shortlistSize: 2, poolClasses: [0, 1, 0], testClasses: [0, 0],
            classCount: 2, using: &generator, lookAhead: lookAhead))
        XCTAssertEqual(asked, [[1, 0], [1, 1], [2, 0], [2, 1]])
        XCTAssertEqual(evaluatedRows, [0, 1, 2, 3, 4])
        XCTAssertEqual(task.reductions[0], 45, accuracy: 1e-3)          // 100 · (0.55 − 0.1)
        XCTAssertEqual(task.reductions[1], 15, accuracy: 1e-3)          // 100 · (0.55 − 0.4)
        let before = (0.1 + 0.45 + 0.4) / 3.0                            // the pool's expected error now
        XCTAssertEqual(Double(task.features[0][10]), 100 * (before - (0.55 * 0.2 + 0.45 * 0.4)), accuracy: 1e-3)
        XCTAssertEqual(Double(task.features[1][10]), 100 * (before - (0.6 * 0.4 + 0.4 * 0.2)), accuracy: 1e-3)
        XCTAssertEqual(task.features.map { $0[11] }, [1, 0])
        XCTAssertEqual(Array(task.features[1].prefix(QueryPolicyFeatures.count)), base[2])
        XCTAssertNil(try QueryPolicyTrainer.lookAheadExamples(
            probabilities: probabilities, baseFeatures: base, shortlistSize: 2, poolClasses: [0, -1, 0], testClasses: [0, 0],
            classCount: 2, using: &generator, lookAhead: lookAhead))
    }

    /// At use: only the shortlist is scored (the rest `−∞`), by the network on its twelve inputs;
    /// the look-ahead is asked for the shortlist's two likeliest classes on every pool row (a pool
    /// of at most ``QueryPolicyLookAhead/evaluatedCount`` rows).
    func testTheScoresRankOnlyTheShortlistWithTheLookAhead() throws {
        var generator = RandomGenerator(seed: 5)
        let policy = LearnedQueryPolicy(width: 4, lookAheadShortlist: 2, using: &generator)
        XCTAssertEqual(policy.inputCount, QueryPolicyLookAhead.featureCount)
        let p: [[Float]] = [[0.9, 0.05, 0.05], [0.4, 0.35, 0.25], [0.6, 0.3, 0.1], [0.2, 0.3, 0.5]]
        let base = (0..<4).map { [Float](repeating: 0.1 * Float($0), count: QueryPolicyFeatures.count) }
        var asked: [TabularClassifier.Hypothesis] = [], evaluatedRows: [Int] = []
        let scores = try QueryPolicyLookAhead.scores(policy: policy, probabilities: p, base: base, size: 2, lookAhead: { hypotheses, evaluated in
            asked = hypotheses
            evaluatedRows = evaluated
            return hypotheses.map { h in evaluated.map { _ in h.classIndex == 0 ? [0.9, 0.05, 0.05] : [0.5, 0.3, 0.2] } }
        }, using: &generator)
        XCTAssertEqual(asked.map { [$0.row, $0.classIndex] }, [[1, 0], [1, 1], [3, 2], [3, 1]])
        XCTAssertEqual(evaluatedRows, [0, 1, 2, 3])
        XCTAssertEqual(scores[0], -.infinity)
        XCTAssertEqual(scores[2], -.infinity)
        let delta = QueryPolicyLookAhead.reductions(
            before: p, after: [ArraySlice([[[0.9, 0.05, 0.05]] + Array(repeating: [0.9, 0.05, 0.05], count: 3), Array(repeating: [0.5, 0.3, 0.2], count: 4)]),
                               ArraySlice([Array(repeating: [0.5, 0.3, 0.2], count: 4), Array(repeating: [0.5, 0.3, 0.2], count: 4)])],
            weights: [[0.4, 0.35], [0.5, 0.3]])
        let expected = policy.scores(QueryPolicyLookAhead.features(base: base, candidates: [1, 3], reductions: delta))
        XCTAssertEqual(scores[1], expected[0], accuracy: 1e-9)
        XCTAssertEqual(scores[3], expected[1], accuracy: 1e-9)
    }

    /// Configurations: the shortlist needs two rows at least and excludes the residual form; the
    /// policy file carries the shortlist, and a bad one is refused.
    func testTheShortlistIsConfiguredAndTravelsInTheFile() throws {
        for json in [#"{"lookAheadShortlist": 1}"#, #"{"lookAheadShortlist": 8, "residualScale": 0.02}"#] {
            XCTAssertThrowsError(try QueryPolicyConfiguration(json: Data(json.utf8), source: "q.json"), json) {
                XCTAssertTrue("\($0)".contains("lookAheadShortlist must be at least 2, and cannot be combined with residualScale"), "\($0)")
            }
        }
        var configuration = try QueryPolicyConfiguration(json: Data(#"{"lookAheadShortlist": 8}"#.utf8), source: "q.json")
        XCTAssertEqual(configuration.lookAheadShortlist, 8)
        configuration.width = 4
        XCTAssertEqual(QueryPolicyTrainer.metadata(configuration)["mesa.lookAheadShortlist"], "8")
        var generator = RandomGenerator(seed: 0)
        let policy = LearnedQueryPolicy(width: 4, lookAheadShortlist: 8, using: &generator)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-look-ahead-policy-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ shortlist: String) throws -> URL {
            let url = folder.appendingPathComponent("p\(shortlist).safetensors")
            try policy.checkpoint(metadata: ["mesa.format": QueryPolicyTrainer.format, "mesa.policyWidth": "4", "mesa.lookAheadShortlist": shortlist]).write(to: url)
            return url
        }
        let loaded = try LearnedQueryPolicy.load(try write("8"))
        XCTAssertEqual(loaded.lookAheadShortlist, 8)
        let features = [[Float]](repeating: [Float](repeating: 0.3, count: QueryPolicyLookAhead.featureCount), count: 2)
        XCTAssertEqual(loaded.scores(features), policy.scores(features))
        XCTAssertThrowsError(try LearnedQueryPolicy.load(try write("0"))) {
            XCTAssertTrue("\($0)".contains("mesa.lookAheadShortlist is 0, not a whole number of at least 2"), "\($0)")
        }
    }

    /// Training tasks in this form: the shortlist's rows with twelve inputs and finite targets;
    /// the held-out metrics add the look-ahead's own pick; the learner picks rows with the trained
    /// policy from the shortlist only.
    func testTrainsOnShortlistsAndQueriesWithTheLookAhead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-query-policy-look-ahead-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = try QueryPolicyConfiguration(json: Data(#"{"lookAheadShortlist": 3, "labelledDraw": "protocol"}"#.utf8), source: "q.json")
        configuration.steps = 2
        configuration.tasksPerStep = 1
        configuration.minimumRows = 24
        configuration.maximumRows = 30
        configuration.maximumLabelled = 6
        configuration.width = 4
        configuration.ensembleSize = 1
        configuration.taskPoolSize = 2
        configuration.prior.featureRange = 1...3
        configuration.learnerModel = InContextActiveLearnerTests.classifierURL.path
        configuration.evaluationInterval = 2
        let trainer = try QueryPolicyTrainer(configuration: configuration, directory: folder)
        let pool = try trainer.trainingTasks()
        XCTAssertTrue(pool.allSatisfy { $0.features.count == 3 && $0.reductions.count == 3 && $0.reductions.allSatisfy(\.isFinite) })
        XCTAssertTrue(pool.allSatisfy { $0.features.allSatisfy { $0.count == QueryPolicyLookAhead.featureCount } })
        var metrics: [String: Double] = [:]
        try trainer.run { if case .evaluation(_, let values) = $0 { metrics = values } }
        XCTAssertNotNil(metrics["lookAheadPickReduction"], "\(metrics)")

        var options = TabularPredictionOptions()
        options.ensembleSize = 1
        let learner = try InContextActiveLearner(task: .classification, options: options, modelURL: InContextActiveLearnerTests.classifierURL)
        learner.policy = trainer.policy
        let table = try TabularFixtures.table(TabularFixtures.blobs(rows: 24, seed: 4))
        let assessment = try learner.assess(table, labelled: [0, 1, 2, 3, 4, 5], pool: Array(6..<24), strategy: .learned)
        let scores = try XCTUnwrap(assessment.evidence.policyScores)
        XCTAssertEqual(scores.filter(\.isFinite).count, 3)
        let shortlist = QueryPolicyLookAhead.shortlist(probabilities: assessment.evidence.probabilities, size: 3)
        XCTAssertEqual(Set(scores.indices.filter { scores[$0].isFinite }), Set(shortlist))
    }
}
