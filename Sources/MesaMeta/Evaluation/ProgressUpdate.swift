/// How far a long piece of library work (an evaluation, a benchmark, a report) has come, for a
/// progress display: the library reports, the caller draws.
public struct ProgressUpdate: Sendable, Equatable {
    /// Units of work done (e.g. predictors evaluated, splits scored); `0` when the work starts.
    public var completed: Int
    /// Units of work in all.
    public var total: Int
    /// A line worth showing above the progress display (a result, a skipped input), if any.
    public var note: String?

    /// Creates an update.
    public init(completed: Int, total: Int, note: String? = nil) {
        self.completed = completed
        self.total = total
        self.note = note
    }
}
