import Foundation

/// Why an active-learning request cannot be carried out; every message says what, where and what
/// to do.
public enum ActiveLearningError: Error, Equatable, CustomStringConvertible {
    /// A strategy name that is none of ``QueryStrategy``'s.
    case unknownStrategy(String)
    /// A strategy that does not fit the task (e.g. `variance` for classification).
    case strategyDoesNotFitTask(QueryStrategy, task: String)
    /// No rows left to query.
    case emptyPool
    /// More queries asked for than the pool has rows.
    case budgetExceedsPool(budget: Int, poolRows: Int)
    /// A budget or batch size below 1.
    case invalidCount(name: String, value: Int)
    /// A row that is in the labelled set and in the pool at once.
    case overlappingRows(Int)
    /// The labelled table and the `role` table (`pool`, `test`) do not have the same feature columns.
    case columnMismatch(role: String, missing: [String], extra: [String])
    /// Labelled rows that cannot start the loop (e.g. a single class).
    case invalidLabelledSet(String)

    /// The message for the user.
    public var description: String {
        switch self {
        case .unknownStrategy(let text):
            return "unknown query strategy '\(text)'; valid strategies: \(QueryStrategy.validValues)"
        case .strategyDoesNotFitTask(let strategy, let task):
            let valid = (task == "regression" ? QueryStrategy.regression : QueryStrategy.classification).map(\.rawValue).joined(separator: ", ")
            return "the query strategy '\(strategy.rawValue)' does not apply to a \(task) target; for \(task) use one of: \(valid)"
        case .emptyPool:
            return "the pool has no rows to query; give a pool file with at least one unlabelled row"
        case .budgetExceedsPool(let budget, let rows):
            return "the budget of \(budget) queries is larger than the pool's \(rows) rows; lower the budget to at most \(rows)"
        case .invalidCount(let name, let value):
            return "\(name) must be at least 1, got \(value)"
        case .overlappingRows(let row):
            return "row \(row) is both labelled and in the pool; a row is either labelled or a candidate"
        case .columnMismatch(let role, let missing, let extra):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("lacks the labelled file's column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { parts.append("has column\(extra.count == 1 ? "" : "s") the labelled file lacks: \(extra.joined(separator: ", "))") }
            return "the \(role) file \(parts.joined(separator: " and ")); the \(role) and labelled files need the same feature columns"
        case .invalidLabelledSet(let reason):
            return reason
        }
    }
}
