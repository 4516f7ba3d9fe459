import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

/// Each strategy picks what its definition says, on hand-made pools (probability vectors,
/// committees, features, look-ahead answers) without a model.
final class QueryStrategyTests: XCTestCase {
    private func scores(_ strategy: QueryStrategy, _ evidence: PoolEvidence, seed: UInt64 = 0) throws -> [Double] {
        var generator = RandomGenerator(seed: seed)
        return try strategy.scores(evidence, using: &generator)
    }

    private func best(_ strategy: QueryStrategy, _ evidence: PoolEvidence) throws -> Int {
        let scores = try scores(strategy, evidence)
        return scores.indices.max { scores[$0] < scores[$1] }!
    }

    /// Row 0 has the closest top two (margin), row 1 the lowest top probability (least
    /// confidence), row 2 the flattest distribution (entropy): each measure picks its own row.
    func testUncertaintyStrategiesFollowTheirDefinitions() throws {
        let rows: [[Float]] = [
            [0.50, 0.49, 0.005, 0.005],   // margin 0.01;  max 0.50; entropy 0.75
            [0.44, 0.40, 0.16, 0.00],     // margin 0.04;  max 0.44; entropy 1.02
            [0.46, 0.18, 0.18, 0.18],     // margin 0.28;  max 0.46; entropy 1.28
            [0.97, 0.01, 0.01, 0.01],
        ]
        let evidence = PoolEvidence(probabilities: rows)
        XCTAssertEqual(try best(.margin, evidence), 0)
        XCTAssertEqual(try best(.leastConfidence, evidence), 1)
        XCTAssertEqual(try best(.entropy, evidence), 2)
        XCTAssertEqual(UncertaintyMeasure.margin([0.2, 0.7, 0.1]), 0.5, accuracy: 1e-6)
        XCTAssertEqual(UncertaintyMeasure.leastConfidence([0.2, 0.7, 0.1]), 0.3, accuracy: 1e-6)
        XCTAssertEqual(UncertaintyMeasure.entropy([0.5, 0.5]), log(2), accuracy: 1e-6)
        XCTAssertEqual(UncertaintyMeasure.entropy([1, 0, 0]), 0)
    }

    /// Rows 0 and 1 have the same mean prediction; only in row 1 do the members disagree.
    func testCommitteePicksTheRowTheMembersDisagreeOn() throws {
        let members: [[[Float]]] = [
            [[0.5, 0.5], [0.9, 0.1], [0.6, 0.4]],
            [[0.5, 0.5], [0.1, 0.9], [0.5, 0.5]],
        ]
        let mean: [[Float]] = [[0.5, 0.5], [0.5, 0.5], [0.55, 0.45]]
        let evidence = PoolEvidence(probabilities: mean, memberProbabilities: members)
        let s = try scores(.committee, evidence)
        XCTAssertEqual(s[0], 0, accuracy: 1e-9)
        // KL([0.9, 0.1] ‖ [0.5, 0.5]) = 0.9 ln 1.8 + 0.1 ln 0.2, the same for both members.
        XCTAssertEqual(s[1], 0.9 * log(1.8) + 0.1 * log(0.2), accuracy: 1e-6)
        XCTAssertEqual(try best(.committee, evidence), 1)
    }

    /// The outlier is the most uncertain row, but density weighting prefers an uncertain row in the
    /// cluster.
    func testDensityWeightingPrefersTypicalRowsOverOutliers() throws {
        let features: [Float] = [0, 0, 0.1, 0, 0, 0.1, 0.1, 0.1, 10, 10]   // 4 clustered rows, 1 outlier; width 2
        let probabilities: [[Float]] = [[0.9, 0.1], [0.56, 0.44], [0.9, 0.1], [0.9, 0.1], [0.5, 0.5]]
        let evidence = PoolEvidence(probabilities: probabilities, features: features, width: 2)
        XCTAssertEqual(try best(.entropy, evidence), 4)
        XCTAssertEqual(try best(.density, evidence), 1)
        let density = InformationDensity.densities(features: features, rows: 5, width: 2)
        XCTAssertLessThan(density[4], density[0] / 2)
    }

    /// Look-ahead answers chosen so that the probability weighting matters: labelling row 1 as
    /// class 1 would leave no error, but the model gives that label probability 0.1, so row 2
    /// (error 0.25 whatever its label) has the smallest expected error.
    func testExpectedErrorReductionWeighsEachLabelByItsProbability() throws {
        let probabilities: [[Float]] = [[0.5, 0.5], [0.9, 0.1], [0.5, 0.5]]
        // The error of a look-ahead answer is 1 − max p; one evaluated row per answer here.
        let errors: [[Double]] = [[0.1, 0.5], [0.4, 0.0], [0.25, 0.25]]   // [row][class]
        var asked: [TabularClassifier.Hypothesis] = []
        let evidence = PoolEvidence(probabilities: probabilities, lookAhead: { hypotheses, evaluated in
            asked = hypotheses
            XCTAssertEqual(evaluated, [0, 1, 2])
            return hypotheses.map { h in [[Float(1 - errors[h.row][h.classIndex]), Float(errors[h.row][h.classIndex])]] }
        })
        let s = try scores(.expectedError, evidence)
        XCTAssertEqual(asked.count, 6)
        XCTAssertEqual(s[0], -0.3, accuracy: 1e-6)
        XCTAssertEqual(s[1], -0.36, accuracy: 1e-6)
        XCTAssertEqual(s[2], -0.25, accuracy: 1e-6)
        XCTAssertEqual(try best(.expectedError, evidence), 2)
    }

    /// Only the most uncertain rows are candidates; the others score −∞.
    func testExpectedErrorReductionLooksAheadOnlyAtTheTopCandidates() throws {
        let probabilities: [[Float]] = [[0.99, 0.01], [0.5, 0.5], [0.8, 0.2], [0.6, 0.4]]
        let evidence = PoolEvidence(probabilities: probabilities, lookAhead: { hypotheses, evaluated in
            XCTAssertEqual(Set(hypotheses.map(\.row)), [1, 3])
            XCTAssertEqual(evaluated.count, 3)
            return hypotheses.map { _ in evaluated.map { _ in [0.7, 0.3] } }
        })
        var generator = RandomGenerator(seed: 0)
        let s = try ExpectedErrorReduction(candidateCount: 2, evaluatedCount: 3).scores(evidence, using: &generator)
        XCTAssertEqual(s.map(\.isFinite), [false, true, false, true])
    }

    /// The error of a look-ahead answer and the probability-weighted expected error, by hand.
    func testExpectedErrorFormulas() {
        XCTAssertEqual(ExpectedErrorReduction.error([[0.9, 0.1], [0.6, 0.4]]), (0.1 + 0.4) / 2, accuracy: 1e-6)
        XCTAssertEqual(ExpectedErrorReduction.error([]), 0)
        let after: [[[Float]]] = [[[0.8, 0.2]], [[0.5, 0.5], [1, 0]]]      // class 0: error 0.2; class 1: (0.5 + 0) / 2
        XCTAssertEqual(ExpectedErrorReduction.expectedError(after: after[...], weights: [0.75, 0.25]), 0.75 * 0.2 + 0.25 * 0.25, accuracy: 1e-6)
    }

    /// The learned look-ahead: candidates are the policy's best rows (not the most uncertain),
    /// each hypothesised with its 2 likeliest classes only, their probabilities renormalised.
    func testLearnedLookAheadRescoresThePolicysBestRowsWithTheirLikeliestClasses() throws {
        let probabilities: [[Float]] = [[0.34, 0.33, 0.33], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7], [0.5, 0.1, 0.4]]
        var asked: [TabularClassifier.Hypothesis] = []
        // Error of an answer: row 1 → 0.3 as class 0, 0.1 as class 1; row 3 → 0.2 whatever the class.
        var evidence = PoolEvidence(probabilities: probabilities, lookAhead: { hypotheses, evaluated in
            asked = hypotheses
            XCTAssertEqual(evaluated, [0, 1, 2, 3])
            return hypotheses.map { h in
                let error: Float = h.row == 1 ? (h.classIndex == 0 ? 0.3 : 0.1) : 0.2
                return evaluated.map { _ in [1 - error, error, 0] }
            }
        })
        evidence.policyScores = [0.1, 0.9, -1, 0.5]                   // the policy prefers rows 1 and 3; row 0 is the most uncertain
        var generator = RandomGenerator(seed: 0)
        let rescoring = ExpectedErrorReduction(candidateCount: 2, evaluatedCount: 10, classesPerCandidate: 2)
        let s = try QueryStrategy.learnedLookAhead.scores(evidence, rescoring: rescoring, using: &generator)
        XCTAssertEqual(asked, [.init(row: 1, classIndex: 0), .init(row: 1, classIndex: 1), .init(row: 3, classIndex: 0), .init(row: 3, classIndex: 2)])
        XCTAssertEqual(s[1], -(0.6 * 0.3 + 0.3 * 0.1) / 0.9, accuracy: 1e-6)
        XCTAssertEqual(s[3], -0.2, accuracy: 1e-6)
        XCTAssertEqual(s[0], -.infinity)
        XCTAssertEqual(s[2], -.infinity)
        var loop = try ActiveLearningLoop(labelled: [10, 11], pool: [0, 1, 2, 3], budget: 1, strategy: .learnedLookAhead, seed: 0)
        loop.rescoring = rescoring
        XCTAssertEqual(try loop.query(batch: 1, evidence: evidence).map(\.row), [3])
        XCTAssertEqual(QueryStrategy.learnedLookAhead.reason(score: -0.2), "expected error on the pool after labelling it 0.2")
        // Rows the ranking rules out (−∞, the look-ahead policy's rows off its shortlist) are never
        // candidates, even when fewer rows remain than the candidate count.
        evidence.policyScores = [-.infinity, 0.9, -.infinity, -.infinity]
        let only = try QueryStrategy.learnedLookAhead.scores(evidence, rescoring: rescoring, using: &generator)
        XCTAssertEqual(asked.map(\.row), [1, 1])
        XCTAssertEqual(only.indices.filter { only[$0].isFinite }, [1])
    }

    func testVarianceAndRandomStrategies() throws {
        let evidence = PoolEvidence(variances: [1, 5, 2])
        XCTAssertEqual(try best(.variance, evidence), 1)
        let uniform = PoolEvidence(probabilities: Array(repeating: [0.5, 0.5], count: 50))
        XCTAssertEqual(try scores(.random, uniform, seed: 3), try scores(.random, uniform, seed: 3))
        XCTAssertNotEqual(try scores(.random, uniform, seed: 3), try scores(.random, uniform, seed: 4))
    }

    func testStrategiesThatDoNotFitTheTaskAreRefused() {
        XCTAssertThrowsError(try scores(.variance, PoolEvidence(probabilities: [[0.5, 0.5]]))) { error in
            XCTAssertEqual("\(error)", "the query strategy 'variance' does not apply to a classification target; for classification use one of: random, least-confidence, margin, entropy, committee, density, expected-error, learned, learned-look-ahead")
        }
        XCTAssertThrowsError(try scores(.margin, PoolEvidence(variances: [1]))) { error in
            XCTAssertTrue("\(error)".contains("for regression use one of: random, variance"))
        }
    }

    func testParsingAndDecodingNameTheValidStrategies() throws {
        XCTAssertEqual(try QueryStrategy(parsing: "Least_Confidence"), .leastConfidence)
        XCTAssertEqual(try QueryStrategy(parsing: " expected-error "), .expectedError)
        XCTAssertThrowsError(try QueryStrategy(parsing: "uncertainty")) { error in
            XCTAssertEqual(error as? ActiveLearningError, .unknownStrategy("uncertainty"))
            XCTAssertEqual("\(error)", "unknown query strategy 'uncertainty'; valid strategies: random, least-confidence, margin, entropy, committee, density, expected-error, learned, learned-look-ahead, variance")
        }
        XCTAssertEqual(try JSONDecoder().decode([QueryStrategy].self, from: Data(#"["margin","committee"]"#.utf8)), [.margin, .committee])
        XCTAssertThrowsError(try JSONDecoder().decode([QueryStrategy].self, from: Data(#"["marginal"]"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("valid strategies: random, least-confidence"), "\(error)")
        }
    }
}
