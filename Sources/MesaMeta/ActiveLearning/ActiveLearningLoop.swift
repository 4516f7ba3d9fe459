import Foundation
import MesaCore

/// Pool-based active learning (Settles 2009, §2): a labelled set, an unlabelled pool and a budget
/// of queries; each step scores the pool with a ``QueryStrategy``, asks for the best row (or a
/// batch of `b`), and moves it from the pool to the labelled set.
///
/// Rows are indices into one table the caller holds. A queried row leaves the pool at once, so
/// no row is ever queried twice, and every random choice comes from the loop's seeded generator,
/// so the same seed and the same evidence give the same queries.
///
/// ```swift
/// var loop = try ActiveLearningLoop(labelled: [0, 1, 2, 3], pool: Array(4..<500), budget: 50, strategy: .margin, seed: 0)
/// while !loop.isFinished {
///     let evidence = try learner.evidence(table: table, labelled: loop.labelled, pool: loop.pool, strategy: loop.strategy).evidence
///     let queries = try loop.query(batch: 1, evidence: evidence)   // label queries[0].row, then continue
/// }
/// ```
public struct ActiveLearningLoop: Sendable {
    /// How rows are chosen.
    public let strategy: QueryStrategy
    /// The most queries.
    public let budget: Int
    /// The labelled rows: the initial set, then the queried rows in order.
    public private(set) var labelled: [Int]
    /// The rows not yet queried, in their original order.
    public private(set) var pool: [Int]
    /// The rows queried so far, in order.
    public private(set) var queried: [Int] = []
    /// The settings of expected error reduction.
    public var expectedError = ExpectedErrorReduction()
    /// The settings of the look-ahead of ``QueryStrategy/learnedLookAhead``.
    public var rescoring = ExpectedErrorReduction.learnedRescoring
    /// The candidates per batch row of batch diversity (``BatchDiversity``).
    public var diversityCandidateFactor = 10
    /// The source of every random choice.
    var generator: RandomGenerator

    /// A loop over `pool` starting from `labelled`.
    ///
    /// - Throws: ``ActiveLearningError`` when the pool is empty, the budget is below 1 or larger
    ///   than the pool, or a row is both labelled and in the pool.
    public init(labelled: [Int], pool: [Int], budget: Int, strategy: QueryStrategy, seed: UInt64) throws {
        guard !pool.isEmpty else { throw ActiveLearningError.emptyPool }
        guard budget >= 1 else { throw ActiveLearningError.invalidCount(name: "the budget", value: budget) }
        guard budget <= pool.count else { throw ActiveLearningError.budgetExceedsPool(budget: budget, poolRows: pool.count) }
        if let row = Set(labelled).intersection(pool).min() { throw ActiveLearningError.overlappingRows(row) }
        self.labelled = labelled
        self.pool = pool
        self.budget = budget
        self.strategy = strategy
        generator = RandomGenerator(seed: seed)
    }

    /// Queries left in the budget.
    public var remainingBudget: Int { budget - queried.count }
    /// Whether the budget is spent.
    public var isFinished: Bool { remainingBudget == 0 }

    /// Chooses the next `batch` rows (at most the remaining budget) from `evidence` about
    /// ``pool`` (row `i` of the evidence is `pool[i]`), moves them to the labelled set and
    /// returns them, best first. A batch of more than one row is made diverse with
    /// ``BatchDiversity/farthestFirst(scores:features:width:count:candidateFactor:)`` when the
    /// evidence has features (random batches are already diverse).
    public mutating func query(batch: Int, evidence: PoolEvidence) throws -> [ActiveLearningQuery] {
        guard batch >= 1 else { throw ActiveLearningError.invalidCount(name: "the batch size", value: batch) }
        precondition(evidence.rowCount == pool.count, "ActiveLearningLoop: evidence for \(evidence.rowCount) rows, pool of \(pool.count)")
        let count = min(batch, remainingBudget, pool.count)
        guard count > 0 else { return [] }
        let scores = try strategy.scores(evidence, batchSize: count, expectedError: expectedError, rescoring: rescoring, using: &generator)
        let chosen: [Int]
        if count > 1, strategy != .random, let features = evidence.features {
            chosen = BatchDiversity.farthestFirst(scores: scores, features: features, width: evidence.width, count: count,
                                                  candidateFactor: diversityCandidateFactor)
        } else {
            chosen = Array(scores.indices.filter { !scores[$0].isNaN }.sorted { (scores[$0], $1) > (scores[$1], $0) }.prefix(count))
        }
        let queries = chosen.map { ActiveLearningQuery(row: pool[$0], score: scores[$0], reason: strategy.reason(score: scores[$0])) }
        let taken = Set(chosen)
        pool = pool.indices.filter { !taken.contains($0) }.map { pool[$0] }
        labelled += queries.map(\.row)
        queried += queries.map(\.row)
        return queries
    }
}
