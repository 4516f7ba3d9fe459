import ArgumentParser
import Mesa

/// `mesa predict --task`: classification, regression, or detected from the target column.
enum PredictionTask: String, CaseIterable, ExpressibleByArgument {
    /// Detected: numeric targets with more than 10 distinct values are regression.
    case auto
    /// Class labels.
    case classification
    /// Numbers.
    case regression

    /// The kind of task for `table`.
    func kind(for table: TabularTable) -> TabularTaskKind {
        switch self {
        case .auto: TabularEvaluation.detectKind(table)
        case .classification: .classification
        case .regression: .regression
        }
    }
}
