import Foundation

/// How an active learner chooses the pool rows to label next. Every strategy scores each pool row
/// ("higher: label it sooner") from what the model says about the pool (``PoolEvidence``); see
/// ``scores(_:using:)`` for the formulas.
///
/// Parsed from its command-line spelling (``init(parsing:)``) and decoded from JSON with an
/// error that lists the valid values.
public enum QueryStrategy: String, CaseIterable, Sendable, Codable {
    /// Uniformly random rows: the baseline every strategy must beat.
    case random
    /// Least confidence: `1 − max_y p(y|x)` (Lewis & Gale 1994).
    case leastConfidence = "least-confidence"
    /// Margin: `1 − (p₁ − p₂)`, the two most probable classes' probabilities (Scheffer et al. 2001).
    case margin
    /// Entropy: `−Σ_y p(y|x) ln p(y|x)` (Shannon; Settles 2009's survey).
    case entropy
    /// Query by committee (Seung et al. 1992): the ensemble members are the committee; their
    /// disagreement is the mean Kullback–Leibler divergence of each member's distribution from
    /// the consensus (their mean), McCallum & Nigam 1998 (``CommitteeDisagreement``).
    case committee
    /// Density-weighted uncertainty, information density (Settles & Craven 2008): entropy times
    /// the row's density in the pool (``InformationDensity``), so outliers are not chosen for
    /// being uncertain.
    case density
    /// Expected error reduction by look-ahead (Roy & McCallum 2001): for each candidate and each
    /// label weighted by its probability, the pool's expected error after adding it
    /// (``ExpectedErrorReduction``). Candidates: the most uncertain rows only (entropy).
    case expectedError = "expected-error"
    /// The meta-learned policy (``LearnedQueryPolicy``): a small network trained on synthetic tasks
    /// from Mesa's tabular prior to predict each row's error reduction from ``QueryPolicyFeatures``.
    case learned
    /// A hybrid of the two above: the learned policy picks the
    /// ``ExpectedErrorReduction/candidateCount`` best rows and expected error reduction's
    /// look-ahead re-scores them (``ExpectedErrorReduction/learnedRescoring``: 8 candidates, their
    /// 2 likeliest classes each, 100 evaluated rows), so it looks ahead where the policy expects
    /// the most, at a fraction of the look-ahead's cost over the entropy candidates.
    case learnedLookAhead = "learned-look-ahead"
    /// Regression: the predictive variance of the row's target.
    case variance

    /// The strategies for classification targets.
    public static let classification: [QueryStrategy] = [.random, .leastConfidence, .margin, .entropy, .committee, .density, .expectedError, .learned, .learnedLookAhead]
    /// The strategies for regression targets.
    public static let regression: [QueryStrategy] = [.random, .variance]

    /// The valid spellings, comma-separated, for messages.
    public static var validValues: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The strategy spelled `text` (its raw value, e.g. `least-confidence`; case and surrounding
    /// spaces ignored; `_` may stand for `-`).
    ///
    /// - Throws: ``ActiveLearningError/unknownStrategy(_:)`` naming the valid values.
    public init(parsing text: String) throws {
        let normalised = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        guard let strategy = QueryStrategy(rawValue: normalised) else { throw ActiveLearningError.unknownStrategy(text) }
        self = strategy
    }

    /// Decodes a strategy from its spelling; an unknown one is a data-corrupted error listing the
    /// valid values.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { self = try QueryStrategy(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    /// Whether the strategy needs each ensemble member's probabilities.
    public var needsMembers: Bool { self == .committee }
    /// Whether the strategy needs look-ahead predictions (``PoolEvidence/lookAhead``).
    public var needsLookAhead: Bool { self == .expectedError || self == .learnedLookAhead }
    /// Whether the strategy needs the learned policy's scores (``PoolEvidence/policyScores``).
    public var needsPolicy: Bool { self == .learned || self == .learnedLookAhead }
}
