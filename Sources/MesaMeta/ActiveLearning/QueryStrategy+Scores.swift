import Foundation
import MesaCore

extension QueryStrategy {
    /// Each pool row's score under this strategy, higher: label it sooner.
    ///
    /// - `random`: a uniform draw from `generator`;
    /// - `least-confidence`, `margin`, `entropy`: ``UncertaintyMeasure`` of the row's probabilities;
    /// - `committee`: ``CommitteeDisagreement/meanDivergence(_:)`` of the members' probabilities;
    /// - `density`: entropy × ``InformationDensity`` (needs ``PoolEvidence/features``);
    /// - `expected-error`: ``ExpectedErrorReduction/scores(_:minimumCandidates:using:)`` (`−∞` off the candidates);
    /// - `learned`: the learned policy's predicted error reduction (``PoolEvidence/policyScores``; in
    ///   the look-ahead form, ``QueryPolicyLookAhead``, `−∞` off its shortlist);
    /// - `learned-look-ahead`: `rescoring`'s look-ahead over the policy's best rows (`−∞` off them);
    /// - `variance`: the predictive variance (regression).
    ///
    /// - Throws: ``ActiveLearningError/strategyDoesNotFitTask(_:task:)`` for a regression strategy on
    ///   classification evidence or the reverse, and the look-ahead's errors.
    public func scores(_ evidence: PoolEvidence, batchSize: Int = 1, expectedError: ExpectedErrorReduction = ExpectedErrorReduction(),
                       rescoring: ExpectedErrorReduction = .learnedRescoring, using generator: inout RandomGenerator) throws -> [Double] {
        if evidence.isRegression && self != .random && self != .variance {
            throw ActiveLearningError.strategyDoesNotFitTask(self, task: "regression")
        }
        if !evidence.isRegression && self == .variance { throw ActiveLearningError.strategyDoesNotFitTask(self, task: "classification") }
        switch self {
        case .random:
            return (0..<evidence.rowCount).map { _ in Double(generator.nextUniform()) }
        case .leastConfidence: return evidence.probabilities.map(UncertaintyMeasure.leastConfidence)
        case .margin: return evidence.probabilities.map(UncertaintyMeasure.margin)
        case .entropy: return evidence.probabilities.map(UncertaintyMeasure.entropy)
        case .committee:
            guard let members = evidence.memberProbabilities else { preconditionFailure("query by committee needs PoolEvidence.memberProbabilities") }
            return (0..<evidence.rowCount).map { row in CommitteeDisagreement.meanDivergence(members.map { $0[row] }) }
        case .density:
            guard let features = evidence.features else { preconditionFailure("density weighting needs PoolEvidence.features") }
            let density = InformationDensity.densities(features: features, rows: evidence.rowCount, width: evidence.width)
            return zip(evidence.probabilities, density).map { UncertaintyMeasure.entropy($0) * $1 }
        case .expectedError:
            return try expectedError.scores(evidence, minimumCandidates: batchSize, using: &generator)
        case .learned:
            guard let scores = evidence.policyScores else { preconditionFailure("the learned policy needs PoolEvidence.policyScores") }
            return scores
        case .learnedLookAhead:
            guard let ranking = evidence.policyScores else { preconditionFailure("the learned look-ahead needs PoolEvidence.policyScores") }
            return try rescoring.scores(evidence, minimumCandidates: batchSize, ranking: ranking, using: &generator)
        case .variance:
            return evidence.variances ?? []
        }
    }

    /// Why a row with `score` was chosen, in words, for the person labelling it.
    public func reason(score: Double) -> String {
        let value = String(format: "%.4g", score)
        switch self {
        case .random: return "chosen at random"
        case .leastConfidence: return "the likeliest class has probability \(String(format: "%.4g", 1 - score))"
        case .margin: return "the two likeliest classes' probabilities differ by \(String(format: "%.4g", 1 - score))"
        case .entropy: return "class entropy \(value) nats"
        case .committee: return "ensemble members disagree: mean KL divergence to consensus \(value)"
        case .density: return "entropy × pool density \(value)"
        case .expectedError, .learnedLookAhead: return "expected error on the pool after labelling it \(String(format: "%.4g", -score))"
        case .learned: return "the learned policy predicts a test error reduction of \(value) %"
        case .variance: return "predictive variance \(value)"
        }
    }
}
