/// What a task asks for: a real-valued target or one of `classCount` classes.
public enum TaskKind: Equatable, Hashable, Sendable, Codable {
    /// Real-valued targets, scored by squared error.
    case regression
    /// Class indices `0..<classCount` (stored as `Float`s in ``TaskBatch/targets``), scored by accuracy.
    case classification(classCount: Int)

    /// The width of a target's encoding in a prompt token: 1 for regression, `classCount`
    /// (one-hot) for classification.
    public var targetWidth: Int {
        switch self {
        case .regression: return 1
        case .classification(let classCount): return classCount
        }
    }

    /// The number of model outputs per prediction: 1 for regression, `classCount` logits for classification.
    public var outputWidth: Int { targetWidth }

    /// Whether targets are class indices.
    public var isClassification: Bool {
        if case .classification = self { return true }
        return false
    }
}
