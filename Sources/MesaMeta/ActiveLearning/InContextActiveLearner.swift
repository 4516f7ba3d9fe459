import Foundation
import MesaCore

/// The learner of Mesa's active learning: the shipped tabular in-context model
/// (``TabularClassifier`` or ``TabularRegressor``) with the labelled rows as its context. Adding
/// a labelled row is appending it to the context (no retraining), so every query decision is one
/// prediction over the pool, and a look-ahead hypothesis one forward pass.
///
/// ```swift
/// let learner = try InContextActiveLearner(task: .classification)
/// let assessment = try learner.assess(table, labelled: loop.labelled, pool: loop.pool, strategy: .margin)
/// let queries = try loop.query(batch: 1, evidence: assessment.evidence)
/// ```
public final class InContextActiveLearner {
    /// The task: class labels or numeric targets.
    public let task: TabularTaskKind
    /// The classifier (classification).
    public let classifier: TabularClassifier?
    /// The regressor (regression).
    public let regressor: TabularRegressor?
    /// The policy file of the `learned` strategy; `nil`: the shipped one.
    public let policyURL: URL?
    /// The learned policy: loaded from ``policyURL`` when first needed, or set directly (as
    /// ``QueryPolicyTrainer`` does with each perturbed policy it plays).
    public var policy: LearnedQueryPolicy?

    /// A learner for `task` with the shipped model (or `modelURL`) and `options`; the `learned`
    /// strategy uses the policy in `policyURL` (default: the shipped one). The learner predicts
    /// without ``TabularPredictionOptions/contextCalibration`` whatever `options` say: it would
    /// be refitted at every query decision (five more predictions), and the strategies, the
    /// learned policy's features and their benchmark were all made without it.
    public init(task: TabularTaskKind, options: TabularPredictionOptions = TabularPredictionOptions(), modelURL: URL? = nil,
                policyURL: URL? = nil) throws {
        var options = options
        options.contextCalibration = false
        self.task = task
        self.policyURL = policyURL
        classifier = task == .classification ? try TabularClassifier(modelURL: modelURL, options: options) : nil
        regressor = task == .regression ? try TabularRegressor(modelURL: modelURL, options: options) : nil
    }

    /// What the model says about the pool, and its predictions for other rows.
    public struct Assessment {
        /// The evidence about the pool rows, in the pool's order.
        public var evidence: PoolEvidence
        /// Classification: the class probabilities of the `also` rows, `[rows][classNames.count]`.
        public var probabilities: [[Float]]
        /// Regression: the predictive means of the `also` rows.
        public var means: [Double]
        /// Regression: the predictive means of the pool rows.
        public var poolMeans: [Double] = []
        /// Classification: the class labels, in the order of the probabilities.
        public var classNames: [String]
    }

    /// Fits the model on the `labelled` rows of `table`, predicts the `pool` rows (and the `also`
    /// rows, e.g. a test set, in the same forward passes: rows being predicted never attend to
    /// each other, so this changes nothing), and gathers what `strategy` needs: each member's
    /// probabilities for query by committee, the pool's encoded features for density weighting
    /// and for batches (`batch > 1`), the look-ahead for expected error reduction.
    ///
    /// - Throws: ``ActiveLearningError/invalidLabelledSet(_:)`` when the labelled rows have a
    ///   single class, and the model's errors.
    public func assess(_ table: TabularTable, labelled: [Int], pool: [Int], also: [Int] = [], strategy: QueryStrategy,
                       batch: Int = 1) throws -> Assessment {
        let labelledTable = table.selecting(labelled), poolTable = table.selecting(pool)
        var features: [Float]?, width = 0
        if strategy == .density || (batch > 1 && strategy != .random) {
            let preprocessor = try TabularPreprocessor(fitting: labelledTable, test: poolTable)
            (features, width) = (try preprocessor.transform(poolTable), preprocessor.featureCount)
        }
        let predicted = table.selecting(pool + also)
        if let regressor {
            try regressor.fit(labelledTable)
            let predictions = try regressor.predict(predicted)
            return Assessment(evidence: PoolEvidence(variances: predictions.prefix(pool.count).map(\.variance), features: features, width: width),
                              probabilities: [], means: predictions.dropFirst(pool.count).map(\.mean), poolMeans: predictions.prefix(pool.count).map(\.mean),
                              classNames: [])
        }
        guard let classifier else { preconditionFailure("InContextActiveLearner without a model") }
        let classes = Set(labelledTable.targets.map { $0.trimmingSpaces() }.filter { !$0.isEmpty })
        guard classes.count >= 2 else {
            throw ActiveLearningError.invalidLabelledSet("the labelled rows have \(classes.count == 1 ? "a single class ('\(classes.first!)')" : "no labels"); the classifier needs labelled rows of at least two classes to start from")
        }
        try classifier.fit(labelledTable)
        var members: [[[Float]]]?
        let probabilities: [[Float]]
        if strategy.needsMembers {
            let all = try classifier.predictMemberProbabilities(predicted)
            probabilities = (0..<predicted.count).map { row in
                all[0][row].indices.map { c in all.reduce(0) { $0 + $1[row][c] } / Float(all.count) }
            }
            members = all.map { Array($0.prefix(pool.count)) }
        } else {
            probabilities = try classifier.predictProbabilities(predicted)
        }
        var lookAhead: PoolEvidence.LookAhead?
        if strategy.needsLookAhead {
            lookAhead = { hypotheses, evaluated in try classifier.lookAheadProbabilities(poolTable, hypotheses: hypotheses, evaluating: evaluated) }
        }
        var evidence = PoolEvidence(probabilities: Array(probabilities.prefix(pool.count)), memberProbabilities: members,
                                    features: features, width: width, lookAhead: lookAhead)
        if strategy.needsPolicy {
            let policy = try self.policy ?? LearnedQueryPolicy.load(policyURL)
            self.policy = policy
            let base = try QueryPolicyFeatures.make(probabilities: evidence.probabilities, pool: poolTable,
                                                    labelled: labelledTable, classNames: classifier.classNames)
            if let shortlist = policy.lookAheadShortlist {
                // The look-ahead form: its evaluated rows are a sample seeded by the loop's state, so
                // a decision is reproducible from the labelled and pool sets alone. The look-ahead
                // reads the table the probabilities came from (pool rows first), as in training, so
                // that both are encoded alike; a batch larger than the shortlist widens it.
                var generator = RandomGenerator(seed: UInt64(labelled.count) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(pool.count))
                evidence.policyScores = try QueryPolicyLookAhead.scores(
                    policy: policy, probabilities: evidence.probabilities, base: base, size: max(shortlist, batch),
                    lookAhead: { hypotheses, evaluated in try classifier.lookAheadProbabilities(predicted, hypotheses: hypotheses, evaluating: evaluated) },
                    using: &generator)
            } else {
                evidence.policyScores = policy.scores(base)
            }
        }
        return Assessment(evidence: evidence, probabilities: Array(probabilities.dropFirst(pool.count)), means: [], classNames: classifier.classNames)
    }
}
