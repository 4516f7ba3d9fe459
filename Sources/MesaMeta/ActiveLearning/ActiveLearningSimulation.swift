import Foundation
import MesaCore

/// Simulated active learning: a pool whose labels are known (an oracle) answers every query at
/// once, so the loop runs to its budget and records the learning curve.
///
/// After each query (or batch) the learner predicts the evaluation rows: the `test` rows when
/// given, otherwise the pool rows not yet queried (what a user would get on the rows they did not
/// label). The score is accuracy, or R² for regression.
public struct ActiveLearningSimulation: Sendable {
    /// How rows are chosen.
    public var strategy: QueryStrategy
    /// The queries to spend.
    public var budget: Int
    /// Rows per query.
    public var batchSize: Int
    /// The seed of the loop's random choices.
    public var seed: UInt64
    /// The settings of expected error reduction.
    public var expectedError = ExpectedErrorReduction()
    /// The settings of the look-ahead of ``QueryStrategy/learnedLookAhead``.
    public var rescoring = ExpectedErrorReduction.learnedRescoring

    /// A simulation with these settings.
    public init(strategy: QueryStrategy, budget: Int, batchSize: Int = 1, seed: UInt64 = 0) {
        self.strategy = strategy
        self.budget = budget
        self.batchSize = batchSize
        self.seed = seed
    }

    /// What a run produced.
    public struct Result: Sendable {
        /// The learning curve.
        public var curve: LearningCurve
        /// The queries, in order.
        public var queries: [ActiveLearningQuery]
        /// The seconds of each query decision (the assessment and the choice), in order.
        public var decisionSeconds: [Double]
    }

    /// Runs the loop on the rows of `table` (every target known): starts from `labelled`, queries
    /// `pool`, scores on `test` (or the remaining pool).
    ///
    /// - Parameter progress: called with the queries spent after each step.
    /// - Throws: ``ActiveLearningError`` for an empty pool, a budget larger than the pool, a
    ///   labelled set of one class; the model's errors.
    public func run(_ table: TabularTable, labelled: [Int], pool: [Int], test: [Int]? = nil, learner: InContextActiveLearner,
                    progress: (Int) -> Void = { _ in }) throws -> Result {
        var loop = try ActiveLearningLoop(labelled: labelled, pool: pool, budget: budget, strategy: strategy, seed: seed)
        loop.expectedError = expectedError
        loop.rescoring = rescoring
        let regression = learner.task == .regression
        var curve = LearningCurve(metric: regression ? "r2" : "accuracy")
        var queries: [ActiveLearningQuery] = [], seconds: [Double] = []
        guard batchSize >= 1 else { throw ActiveLearningError.invalidCount(name: "the batch size", value: batchSize) }
        while true {
            let start = Date()
            let evaluated = test ?? []
            let assessment = try learner.assess(table, labelled: loop.labelled, pool: loop.pool, also: evaluated, strategy: strategy, batch: batchSize)
            let score: Double
            if regression {
                let (rows, means) = test == nil ? (loop.pool, assessment.poolMeans) : (evaluated, assessment.means)
                score = TabularMetrics.rSquared(means, targets: rows.map { Self.number(table.targets[$0]) })
            } else {
                let (rows, probabilities) = test == nil ? (loop.pool, assessment.evidence.probabilities) : (evaluated, assessment.probabilities)
                let index = Dictionary(uniqueKeysWithValues: assessment.classNames.enumerated().map { ($1, $0) })
                score = TabularMetrics.accuracy(probabilities, labels: rows.map { index[table.targets[$0].trimmingSpaces()] ?? -1 })
            }
            curve.points.append(LearningCurve.Point(queries: loop.queried.count, labelled: loop.labelled.count, score: score))
            progress(loop.queried.count)
            if loop.isFinished || loop.pool.isEmpty { break }
            queries += try loop.query(batch: batchSize, evidence: assessment.evidence)
            seconds.append(Date().timeIntervalSince(start))
        }
        return Result(curve: curve, queries: queries, decisionSeconds: seconds)
    }

    /// A target cell as a number (NaN when it is not one).
    static func number(_ text: String) -> Double { Double(text.trimmingSpaces()) ?? .nan }
}
