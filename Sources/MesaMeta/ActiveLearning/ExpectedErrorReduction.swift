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
/// ``candidateCount`` best rows of a ranking (by default the most uncertain, by entropy; the
/// learned policy's scores for ``QueryStrategy/learnedLookAhead``) are candidates, the error is
/// measured on at most ``evaluatedCount`` pool rows (a seeded sample), and, when
/// ``classesPerCandidate`` is set, only each candidate's that many likeliest classes are
/// hypothesised, their probabilities renormalised to weights summing to 1; the other rows score
/// `−∞`. The hypotheses go to the model together (``PoolEvidence/lookAhead``), which batches them.
public struct ExpectedErrorReduction: Sendable, Equatable {
    /// Candidates: the best rows of the ranking (at least the batch size).
    public var candidateCount: Int
    /// Pool rows on which the expected error is measured.
    public var evaluatedCount: Int
    /// Classes hypothesised per candidate, its likeliest; `nil`: every class.
    public var classesPerCandidate: Int?

    /// The settings (defaults: 10 candidates, 200 evaluated rows, every class).
    public init(candidateCount: Int = 10, evaluatedCount: Int = 200, classesPerCandidate: Int? = nil) {
        self.candidateCount = candidateCount
        self.evaluatedCount = evaluatedCount
        self.classesPerCandidate = classesPerCandidate
    }

    /// The settings of ``QueryStrategy/learnedLookAhead``: the look-ahead re-scores the learned
    /// policy's 8 best rows, each with its 2 likeliest classes, on 100 pool rows, so that a
    /// decision over a 1,000-row pool stays within about 0.5 s (docs/active-learning.md).
    public static let learnedRescoring = ExpectedErrorReduction(candidateCount: 8, evaluatedCount: 100, classesPerCandidate: 2)

    /// Each pool row's score (`−∞` for rows that are not candidates), with at least
    /// `minimumCandidates` candidates: the best rows of `ranking` (higher first; `nil`: entropy).
    public func scores(_ evidence: PoolEvidence, minimumCandidates: Int = 1, ranking: [Double]? = nil,
                       using generator: inout RandomGenerator) throws -> [Double] {
        guard let lookAhead = evidence.lookAhead else {
            preconditionFailure("expected error reduction needs PoolEvidence.lookAhead")
        }
        let n = evidence.rowCount
        let order = ranking ?? evidence.probabilities.map(UncertaintyMeasure.entropy)
        precondition(order.count == n, "expected error reduction: one ranking score per pool row")
        // Rows a ranking rules out (`−∞`, as the look-ahead form of the learned policy scores the
        // rows off its shortlist) are never candidates.
        let candidates = Array(order.indices.filter { order[$0].isFinite }.sorted { (order[$0], $1) > (order[$1], $0) }
            .prefix(max(candidateCount, minimumCandidates)))
        let evaluated = generator.sortedSample(from: n, count: evaluatedCount)
        let classCount = evidence.probabilities.first?.count ?? 0
        // Each candidate's hypothesised classes, likeliest first (ties: the lower index).
        let classes = candidates.map { Self.likeliestClasses(evidence.probabilities[$0], count: classesPerCandidate ?? classCount) }
        let hypotheses = zip(candidates, classes).flatMap { row, list in list.map { TabularClassifier.Hypothesis(row: row, classIndex: $0) } }
        let after = try lookAhead(hypotheses, evaluated)
        var scores = [Double](repeating: -.infinity, count: n)
        var start = 0
        for (row, list) in zip(candidates, classes) {
            scores[row] = -Self.expectedError(after: after[start..<(start + list.count)],
                                              weights: Self.renormalised(list.map { evidence.probabilities[row][$0] }))
            start += list.count
        }
        return scores
    }

    /// The `count` likeliest classes of a row's probabilities `p`, likeliest first (ties: the lower index).
    public static func likeliestClasses(_ p: [Float], count: Int) -> [Int] {
        Array(p.indices.sorted { (p[$0], $1) > (p[$1], $0) }.prefix(count))
    }

    /// Hypothesised classes' probabilities rescaled to sum to 1 (uniform when they sum to 0).
    public static func renormalised(_ weights: [Float]) -> [Float] {
        let total = weights.reduce(0, +)
        return weights.map { total > 0 ? $0 / total : 1 / Float(weights.count) }
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
