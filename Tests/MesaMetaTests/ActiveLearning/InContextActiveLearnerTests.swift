import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

/// The learner and the simulated loop with a small untrained model (plumbing, not accuracy).
final class InContextActiveLearnerTests: XCTestCase {
    static let classifierURL: URL = try! TabularFixtures.modelFile(kind: .classification)
    static let regressorURL: URL = try! TabularFixtures.modelFile(kind: .regression)

    private func learner(_ task: TabularTaskKind = .classification, ensemble: Int = 3) throws -> InContextActiveLearner {
        var options = TabularPredictionOptions()
        options.ensembleSize = ensemble
        return try InContextActiveLearner(task: task, options: options,
                                          modelURL: task == .classification ? Self.classifierURL : Self.regressorURL)
    }

    func testMemberProbabilitiesAverageToThePrediction() throws {
        let table = try TabularFixtures.table(TabularFixtures.blobs(rows: 30, seed: 1))
        let model = try learner().classifier!
        try model.fit(table.selecting(Array(0..<10)))
        let test = table.selecting(Array(10..<30))
        let members = try model.predictMemberProbabilities(test)
        let mean = try model.predictProbabilities(test)
        XCTAssertEqual(members.count, 3)
        for row in 0..<20 {
            for c in 0..<2 { XCTAssertEqual(members.reduce(0) { $0 + $1[row][c] } / 3, mean[row][c], accuracy: 1e-5) }
        }
    }

    /// Hypotheses go through as one batch or in chunks; either way each is its own table.
    func testLookAheadIsTheSameBatchedOrOneAtATime() throws {
        let table = try TabularFixtures.table(TabularFixtures.blobs(rows: 30, seed: 2))
        let model = try learner().classifier!
        try model.fit(table.selecting(Array(0..<8)))
        let pool = table.selecting(Array(8..<30))
        let hypotheses = [TabularClassifier.Hypothesis(row: 0, classIndex: 0), .init(row: 0, classIndex: 1), .init(row: 5, classIndex: 1)]
        let together = try model.lookAheadProbabilities(pool, hypotheses: hypotheses, evaluating: [1, 2, 3, 4])
        let alone = try hypotheses.map { try model.lookAheadProbabilities(pool, hypotheses: [$0], evaluating: [1, 2, 3, 4], maximumBatchRows: 1)[0] }
        XCTAssertEqual(together.count, 3)
        for (a, b) in zip(together, alone) {
            for (p, q) in zip(a, b) {
                XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-4)
                for (x, y) in zip(p, q) { XCTAssertEqual(x, y, accuracy: 1e-5) }
            }
        }
        XCTAssertNotEqual(together[0], together[1], "the hypothesised label reaches the prediction")
        XCTAssertThrowsError(try model.lookAheadProbabilities(pool, hypotheses: [.init(row: 99, classIndex: 0)], evaluating: [0]))
    }

    /// Every strategy runs end to end; the simulation is reproducible from its seed and never
    /// queries a row twice.
    func testTheSimulatedLoopIsReproducibleFromItsSeed() throws {
        let table = try TabularFixtures.table(TabularFixtures.blobs(rows: 40, seed: 3))
        let learner = try self.learner(ensemble: 2)
        let runs = QueryStrategy.classification.map { ($0, 1) } + [(.margin, 3), (.density, 3)]
        for (strategy, batch) in runs {
            do {
                let simulation = ActiveLearningSimulation(strategy: strategy, budget: 6, batchSize: batch, seed: 7)
                let first = try simulation.run(table, labelled: [0, 1], pool: Array(2..<30), test: Array(30..<40), learner: learner)
                let second = try simulation.run(table, labelled: [0, 1], pool: Array(2..<30), test: Array(30..<40), learner: learner)
                XCTAssertEqual(first.queries, second.queries, "\(strategy)")
                XCTAssertEqual(first.curve, second.curve)
                XCTAssertEqual(Set(first.queries.map(\.row)).count, 6)
                XCTAssertEqual(first.curve.points.map(\.queries), batch == 1 ? Array(0...6) : [0, 3, 6])
            }
        }
        XCTAssertThrowsError(try ActiveLearningSimulation(strategy: .margin, budget: 2).run(table, labelled: [0, 2], pool: [1, 3], learner: learner)) {
            XCTAssertTrue("\($0)".contains("a single class ('a')"), "\($0)")
        }
    }

    func testRegressionQueriesTheLargestPredictiveVariance() throws {
        var text = "x,y\n"
        for i in 0..<30 { text += "\(Double(i) / 10),\(sin(Double(i) / 5))\n" }
        let table = try TabularFixtures.table(text)
        let learner = try self.learner(.regression, ensemble: 1)
        let assessment = try learner.assess(table, labelled: [0, 1, 2, 3, 4], pool: Array(5..<30), strategy: .variance)
        let variances = try XCTUnwrap(assessment.evidence.variances)
        XCTAssertTrue(variances.allSatisfy { $0 >= 0 && $0.isFinite })
        let result = try ActiveLearningSimulation(strategy: .variance, budget: 3).run(table, labelled: [0, 1, 2, 3, 4], pool: Array(5..<30), learner: learner)
        XCTAssertEqual(result.curve.metric, "r2")
        XCTAssertEqual(result.queries.first?.row, 5 + variances.indices.max { variances[$0] < variances[$1] }!)
    }
}
