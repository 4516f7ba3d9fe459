import Foundation
import MesaCore

/// Expected error reduction by look-ahead (Roy & McCallum 2001): the candidate whose label is
/// expected to leave the smallest error on the pool,
///
/// `score(x) = −Σ_y p(y|x) · (1/|E|) Σ_{u∈E} (1 − max_{y'} p⁺(y'|u; x, y))`,
///
/// with `p⁺(·|u; x, y)` the model's probabilities for pool row `u` after adding `x` with label
/// `y` to the labelled rows, and `E` the evaluated pool rows. The error of `u` is the model's own
/// expected 0/1 loss `1 − max p⁺`, since `u`'s label is unknown.
///
/// For speed (each hypothesis is one forward pass per ensemble member), only the
/// ``candidateCount`` most uncertain rows (entropy) are candidates and the error is measured on
/// at most ``evaluatedCount`` pool rows (a seeded sample); the other rows score `−∞`. The
/// candidates × classes hypotheses go to the model together (``PoolEvidence/lookAhead``), which
/// batches them.
public struct ExpectedErrorReduction: Sendable, Equatable {
    /// Candidates: the most uncertain rows by entropy (at least the batch size).
    public var candidateCount: Int
    /// Pool rows on which the expected error is measured.
    public var evaluatedCount: Int

    /// The settings (defaults: 10 candidates, 200 evaluated rows).
    public init(candidateCount: Int = 10, evaluatedCount: Int = 200) {
        self.candidateCount = candidateCount
        self.evaluatedCount = evaluatedCount
    }

    /// Each pool row's score (`−∞` for rows that are not candidates), with at least
    /// `minimumCandidates` candidates.
    public func scores(_ evidence: PoolEvidence, minimumCandidates: Int = 1, using generator: inout RandomGenerator) throws -> [Double] {
        guard let lookAhead = evidence.lookAhead else {
            preconditionFailure("expected error reduction needs PoolEvidence.lookAhead")
        }
        let n = evidence.rowCount
        let uncertainty = evidence.probabilities.map(UncertaintyMeasure.entropy)
        let candidates = Array(uncertainty.indices.sorted { (uncertainty[$0], $1) > (uncertainty[$1], $0) }
            .prefix(max(candidateCount, minimumCandidates)))
        var evaluated = Array(0..<n)
        if n > evaluatedCount {
            for i in 0..<evaluatedCount { evaluated.swapAt(i, i + generator.nextIndex(below: n - i)) }
            evaluated = Array(evaluated.prefix(evaluatedCount)).sorted()
        }
        let classCount = evidence.probabilities.first?.count ?? 0
        let hypotheses = candidates.flatMap { row in (0..<classCount).map { TabularClassifier.Hypothesis(row: row, classIndex: $0) } }
        let after = try lookAhead(hypotheses, evaluated)
        var scores = [Double](repeating: -.infinity, count: n)
        for (c, row) in candidates.enumerated() {
            scores[row] = -Self.expectedError(after: after[(c * classCount)..<((c + 1) * classCount)], weights: evidence.probabilities[row])
        }
        return scores
    }

    /// The model's own expected 0/1 error on rows whose labels it does not know,
    /// `(1/|E|) Σ_{u∈E} (1 − max_y p(y|u))`, from their class probabilities `[rows][classes]`
    /// (0 for no rows).
    public static func error(_ probabilities: [[Float]]) -> Double {
        probabilities.reduce(0.0) { $0 + 1 - Double($1.max() ?? 1) } / Double(max(probabilities.count, 1))
    }

    /// A candidate's expected error after its label is known, `Σ_y p(y|x) · error(p⁺(·|E; x, y))`:
    /// `after[y]` holds the evaluated rows' probabilities after adding the candidate with class
    /// `y` (`[classes][rows][classes]`), `weights[y]` the model's `p(y|x)`. The quantity expected
    /// error reduction minimises, and the one the learned policy is trained to predict
    /// (``QueryPolicyTrainer``).
    public static func expectedError(after: ArraySlice<[[Float]]>, weights: [Float]) -> Double {
        precondition(after.count == weights.count, "expectedError: one look-ahead per class")
        return zip(after, weights).reduce(0.0) { $0 + Double($1.1) * error($1.0) }
    }
}
