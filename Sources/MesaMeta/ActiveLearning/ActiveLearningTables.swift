import Foundation
import MesaCore

/// The tables of `mesa active-learn` as one table of rows: the labelled rows first, then the
/// pool's, so that the loop's row indices name both. Checks that the files fit together and
/// writes the rows to label next.
///
/// ```swift
/// let tables = try ActiveLearningTables(labelled: labelledTable, pool: poolTable)
/// var loop = try ActiveLearningLoop(labelled: tables.labelled, pool: tables.pool, budget: 5, strategy: .margin, seed: 0)
/// ```
public struct ActiveLearningTables: Sendable {
    /// The labelled rows then the pool rows, with the labelled file's columns.
    public var table: TabularTable
    /// The labelled rows' indices in ``table``.
    public var labelled: [Int]
    /// The pool rows' indices in ``table`` (pool row `i` of the file is `pool[i]`).
    public var pool: [Int]
    /// The pool as read (for its lines and cells).
    public var poolTable: TabularTable

    /// Joins `labelled` and `pool`; `poolLabels` (an oracle's, one per pool row) become the pool
    /// rows' targets. `role` names the second file in messages (`pool`, or `test` when a test
    /// set is joined the same way).
    ///
    /// - Throws: ``ActiveLearningError/columnMismatch(role:missing:extra:)`` when the feature columns
    ///   differ (the pool may omit the target column), ``ActiveLearningError/emptyPool`` for a pool
    ///   without rows, and ``ActiveLearningError/invalidLabelledSet(_:)`` for a labelled row
    ///   without a label.
    public init(labelled: TabularTable, pool: TabularTable, poolLabels: [String]? = nil, role: String = "pool") throws {
        let missing = labelled.featureNames.filter { !pool.featureNames.contains($0) }
        let extra = pool.featureNames.filter { !labelled.featureNames.contains($0) }
        guard missing.isEmpty && extra.isEmpty else { throw ActiveLearningError.columnMismatch(role: role, missing: missing, extra: extra) }
        guard pool.count > 0 else { throw ActiveLearningError.emptyPool }
        if let row = labelled.targets.firstIndex(where: TabularTable.isMissingLabel) {
            throw ActiveLearningError.invalidLabelledSet("labelled row \(row + 1) (line \(labelled.line(ofRow: row))) has no label in the target column '\(labelled.targetName)'; every labelled row needs one (move unlabelled rows to the pool)")
        }
        let order = labelled.featureNames.map { name in pool.featureNames.firstIndex(of: name)! }
        var table = labelled
        table.columns = zip(labelled.columns, order).map { column, j in CSVColumn(column.texts + pool.columns[j].texts) }
        table.targets = labelled.targets + (poolLabels ?? Array(repeating: "", count: pool.count))
        table.sourceRows = nil
        self.table = table
        self.labelled = Array(0..<labelled.count)
        self.pool = Array(labelled.count..<(labelled.count + pool.count))
        poolTable = pool
    }

    /// The queries as CSV, one row each in the order asked: `rank,pool_row,line,score,reason`
    /// (`pool_row`: the row's position among the pool file's data rows, from 1; `line`: its line
    /// in the file) followed by the row's cells, for the person labelling it.
    public func queriesCSV(_ queries: [ActiveLearningQuery]) -> String {
        var text = (["rank", "pool_row", "line", "score", "reason"] + poolTable.featureNames).map(TabularPredictionFile.quoted).joined(separator: ",") + "\n"
        for (rank, query) in queries.enumerated() {
            let row = query.row - labelled.count
            let cells = [String(rank + 1), String(row + 1), String(poolTable.line(ofRow: row)), String(format: "%.6g", query.score), query.reason]
                + poolTable.columns.map { $0.text(at: row) }
            text += cells.map(TabularPredictionFile.quoted).joined(separator: ",") + "\n"
        }
        return text
    }
}
