import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class ActiveLearningLoopTests: XCTestCase {
    /// Evidence for the current pool in which every row looks equally uncertain, so only the
    /// loop's bookkeeping keeps rows from being asked again.
    private func flatEvidence(_ loop: ActiveLearningLoop) -> PoolEvidence {
        PoolEvidence(probabilities: loop.pool.map { _ in [0.5, 0.5] },
                     features: loop.pool.flatMap { [Float($0), 0] }, width: 2)
    }

    func testTheLoopNeverQueriesARowTwiceAndStopsAtTheBudget() throws {
        for (strategy, batch) in [(QueryStrategy.margin, 1), (.margin, 3), (.random, 4), (.entropy, 7)] {
            var loop = try ActiveLearningLoop(labelled: [0, 1], pool: Array(2..<30), budget: 20, strategy: strategy, seed: 1)
            while !loop.isFinished { _ = try loop.query(batch: batch, evidence: flatEvidence(loop)) }
            XCTAssertEqual(loop.queried.count, 20)
            XCTAssertEqual(Set(loop.queried).count, 20, "\(strategy) batch \(batch)")
            XCTAssertTrue(Set(loop.queried).isDisjoint(with: loop.pool))
            XCTAssertEqual(loop.labelled, [0, 1] + loop.queried)
            XCTAssertEqual(loop.pool.count, 8)
            XCTAssertEqual(try loop.query(batch: 1, evidence: flatEvidence(loop)), [])
        }
    }

    func testTheSameSeedGivesTheSameQueries() throws {
        func run(seed: UInt64) throws -> [Int] {
            var loop = try ActiveLearningLoop(labelled: [0], pool: Array(1..<100), budget: 10, strategy: .random, seed: seed)
            while !loop.isFinished { _ = try loop.query(batch: 2, evidence: flatEvidence(loop)) }
            return loop.queried
        }
        XCTAssertEqual(try run(seed: 5), try run(seed: 5))
        XCTAssertNotEqual(try run(seed: 5), try run(seed: 6))
    }

    func testBadPoolsAndBudgetsAreRefused() {
        XCTAssertThrowsError(try ActiveLearningLoop(labelled: [0], pool: [], budget: 1, strategy: .margin, seed: 0)) {
            XCTAssertEqual($0 as? ActiveLearningError, .emptyPool)
        }
        XCTAssertThrowsError(try ActiveLearningLoop(labelled: [0], pool: [1, 2], budget: 3, strategy: .margin, seed: 0)) {
            XCTAssertEqual("\($0)", "the budget of 3 queries is larger than the pool's 2 rows; lower the budget to at most 2")
        }
        XCTAssertThrowsError(try ActiveLearningLoop(labelled: [0, 2], pool: [1, 2], budget: 1, strategy: .margin, seed: 0)) {
            XCTAssertEqual($0 as? ActiveLearningError, .overlappingRows(2))
        }
        XCTAssertThrowsError(try ActiveLearningLoop(labelled: [0], pool: [1], budget: 0, strategy: .margin, seed: 0))
    }

    func testTheAreaUnderTheBudgetCurveIsTheTrapezoidalMean() {
        let curve = LearningCurve(metric: "accuracy", points: [.init(queries: 0, labelled: 4, score: 0.5),
                                                               .init(queries: 2, labelled: 6, score: 0.7),
                                                               .init(queries: 4, labelled: 8, score: 0.9)])
        XCTAssertEqual(curve.areaUnderBudgetCurve, 0.7, accuracy: 1e-12)
        XCTAssertTrue(curve.csv.hasPrefix("queries,labelled,accuracy\n0,4,0.500000\n"))
    }
}
