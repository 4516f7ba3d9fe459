import Foundation
import MesaCore

/// The look-ahead form of the learned query policy: the network chooses among margin sampling's
/// shortlist, seeing for each row, beside its ``QueryPolicyFeatures``, what a look-ahead expects
/// labelling it to do.
///
/// Konyushkova et al. (2017) learn to predict a candidate's *true* error reduction from features
/// of the learner's state; expected error reduction by look-ahead (Roy & McCallum 2001) estimates
/// the same quantity from the model's own beliefs, which is right only as far as the model is
/// calibrated. This form gives the network both: its inputs are the ten features plus
///
/// | # | feature |
/// |---|---|
/// | 10 | the look-ahead's expected reduction of the pool's expected error, `δ̂(x) = 100 · (error(p(·\|E)) − Σ_y w_y error(p⁺(·\|E; x, y)))` over the row's two likeliest classes `y` (weights `w` their renormalised probabilities) |
/// | 11 | the row's rank by `δ̂` within the shortlist, in `[0, 1]` (1: the largest; 0 for a shortlist of one row) |
///
/// with `error(p) = mean_u (1 − max p(·|u))` on `E`, at most ``evaluatedCount`` pool rows; and it
/// is trained (``QueryPolicyTrainer`` with ``QueryPolicyConfiguration/lookAheadShortlist``) to
/// predict the reduction that labelling the row with its **true** label brings to the learner's
/// soft error on a test half of prior tables, `100 · mean_t ((1 − p(y_t|t)) − (1 − p⁺(y_t|t; x, y_x)))`.
/// So it learns, on Mesa's prior, when to trust the look-ahead and when margin's order. Only the
/// ``shortlist(probabilities:size:)`` rows (the most uncertain by margin) are candidates; the
/// others score `−∞`.
///
/// Its cost and limits are the look-ahead's (``TabularClassifier/lookAheadProbabilities(_:hypotheses:evaluating:maximumBatchRows:)``):
/// `2k` extra tables per ensemble member and decision, at most the model's classes, labelled rows
/// within one context and no fine-tuning. A batch larger than `k` widens the shortlist to the batch
/// (the rank input is then over more rows than in training).
public enum QueryPolicyLookAhead {
    /// Features per row in this form: ``QueryPolicyFeatures/count`` + 2.
    public static let featureCount = QueryPolicyFeatures.count + 2
    /// Classes hypothesised per candidate by the look-ahead feature (the likeliest).
    public static let classesPerCandidate = 2
    /// The most pool rows the look-ahead feature is measured on.
    public static let evaluatedCount = 100

    /// The `size` most uncertain rows by margin (`1 − (p₁ − p₂)`, largest first; ties: the lower index).
    public static func shortlist(probabilities: [[Float]], size: Int) -> [Int] {
        let margin = probabilities.map(UncertaintyMeasure.margin)
        return Array(margin.indices.sorted { (margin[$0], $1) > (margin[$1], $0) }.prefix(size))
    }

    /// Each candidate's hypotheses: its ``classesPerCandidate`` likeliest classes (ties: the lower
    /// index), `[candidates][classes]`.
    public static func hypothesisedClasses(_ probabilities: [[Float]], candidates: [Int]) -> [[Int]] {
        candidates.map { ExpectedErrorReduction.likeliestClasses(probabilities[$0], count: classesPerCandidate) }
    }

    /// `δ̂` of each candidate (feature 10): `before` holds the evaluated rows' probabilities now,
    /// `after[i]` the evaluated rows' probabilities after adding candidate `i` with each class of
    /// `classes[i]` (`[classes][rows][C]`), `weights[i]` the candidate's probabilities of those classes
    /// (renormalised here to sum to 1).
    public static func reductions(before: [[Float]], after: [ArraySlice<[[Float]]>], weights: [[Float]]) -> [Double] {
        let error = ExpectedErrorReduction.error(before)
        return zip(after, weights).map { after, weights in
            100 * (error - ExpectedErrorReduction.expectedError(after: after, weights: ExpectedErrorReduction.renormalised(weights)))
        }
    }

    /// The shortlist's inputs, `[candidates][featureCount]`: each candidate's base features (`base[row]`)
    /// followed by its `δ̂` and `δ̂`'s rank within the shortlist.
    public static func features(base: [[Float]], candidates: [Int], reductions: [Double]) -> [[Float]] {
        precondition(candidates.count == reductions.count, "one look-ahead reduction per candidate")
        let order = reductions.indices.sorted { (reductions[$0], $1) < (reductions[$1], $0) }
        var rank = [Float](repeating: 0, count: candidates.count)
        for (position, index) in order.enumerated() { rank[index] = Float(position) / Float(max(candidates.count - 1, 1)) }
        return candidates.indices.map { base[candidates[$0]] + [Float(reductions[$0]), rank[$0]] }
    }

    /// The policy's score of every pool row at use: the network's prediction on the
    /// ``shortlist(probabilities:size:)`` of `size` rows, `−∞` elsewhere. `base` holds every pool
    /// row's ``QueryPolicyFeatures``; `lookAhead` predicts the pool rows after a hypothesis, as
    /// ``PoolEvidence/lookAhead`` does; the evaluated rows are every pool row, or a sample of
    /// ``evaluatedCount`` drawn from `generator`.
    public static func scores(policy: LearnedQueryPolicy, probabilities: [[Float]], base: [[Float]], size: Int,
                              lookAhead: PoolEvidence.LookAhead, using generator: inout RandomGenerator) throws -> [Double] {
        let n = probabilities.count
        guard n > 0 else { return [] }
        let candidates = shortlist(probabilities: probabilities, size: size)
        let evaluated = generator.sortedSample(from: n, count: evaluatedCount)
        let classes = hypothesisedClasses(probabilities, candidates: candidates)
        let hypotheses = zip(candidates, classes).flatMap { row, list in list.map { TabularClassifier.Hypothesis(row: row, classIndex: $0) } }
        let after = try lookAhead(hypotheses, evaluated)
        var slices: [ArraySlice<[[Float]]>] = [], start = 0
        for list in classes { slices.append(after[start..<(start + list.count)]); start += list.count }
        let delta = reductions(before: evaluated.map { probabilities[$0] }, after: slices,
                               weights: zip(candidates, classes).map { row, list in list.map { probabilities[row][$0] } })
        let predicted = policy.scores(features(base: base, candidates: candidates, reductions: delta))
        var scores = [Double](repeating: -.infinity, count: n)
        for (row, score) in zip(candidates, predicted) { scores[row] = score }
        return scores
    }
}
