import MesaCore

/// Labelled examples of one task: a support set to adapt on or a query set to evaluate on.
///
/// Shapes: `inputs` `[n, features…]`; `targets` `[n, outputs]` for regression, or `[n]` class
/// indices stored as floats for classification (what ``MetaLoss/crossEntropy`` reads).
/// Stacked over tasks (``EpisodeBatch``) both gain a leading task axis.
public struct ExampleSet: Sendable {
    /// The inputs `[n, features…]`.
    public var inputs: Tensor
    /// The targets: values `[n, outputs]` or class indices `[n]`.
    public var targets: Tensor

    /// Creates a set; the leading (example) dimensions must agree.
    public init(inputs: Tensor, targets: Tensor) {
        precondition(inputs.rank >= 1 && targets.rank >= 1 && inputs.shape[0] == targets.shape[0],
                     "ExampleSet: inputs \(inputs.shape) and targets \(targets.shape) disagree on the number of examples")
        self.inputs = inputs
        self.targets = targets
    }

    /// The number of examples.
    public var count: Int { inputs.shape[0] }

    /// The class indices of a classification set (targets rounded to integers).
    public var labels: [Int] { targets.scalars.map { Int($0.rounded()) } }
}

/// One meta-learning task as an episode: adapt on `support`, then score on `query`.
public struct Episode: Sendable {
    /// The examples the learner adapts on.
    public var support: ExampleSet
    /// The held-out examples of the same task that score the adapted learner.
    public var query: ExampleSet

    /// Creates an episode.
    public init(support: ExampleSet, query: ExampleSet) {
        self.support = support
        self.query = query
    }
}

/// Episodes of equal sizes stacked along a leading task axis, for vectorised adaptation.
///
/// Shapes: `support.inputs` `[tasks, k, features]`, `support.targets` `[tasks, k, outputs]` or
/// `[tasks, k]`; likewise `query`.
public struct EpisodeBatch: Sendable {
    /// The stacked support sets.
    public var support: ExampleSet
    /// The stacked query sets.
    public var query: ExampleSet

    /// Stacks `episodes`, which must all have the same support and query sizes.
    public init(_ episodes: [Episode]) {
        precondition(!episodes.isEmpty, "EpisodeBatch: needs at least one episode")
        support = ExampleSet(inputs: .stack(episodes.map(\.support.inputs)), targets: .stack(episodes.map(\.support.targets)))
        query = ExampleSet(inputs: .stack(episodes.map(\.query.inputs)), targets: .stack(episodes.map(\.query.targets)))
    }

    /// The number of tasks.
    public var taskCount: Int { support.inputs.shape[0] }
}

/// The loss a meta-learner adapts with and is scored by.
public enum MetaLoss: String, Codable, Sendable, CaseIterable {
    /// `mean((prediction − target)²)`, for regression.
    case meanSquaredError
    /// `−mean log softmax(logits)[label]`, for classification (targets hold class indices).
    case crossEntropy

    /// The loss of `prediction` against `targets`, averaged over every example.
    public func callAsFunction(_ prediction: Tensor, _ targets: Tensor) -> Tensor {
        switch self {
        case .meanSquaredError:
            return .meanSquaredError(prediction, targets)
        case .crossEntropy:
            return .crossEntropy(logits: prediction, labels: targets.scalars.map { Int($0.rounded()) })
        }
    }

    /// The sum over tasks of each task's mean loss, for predictions with a leading task axis.
    ///
    /// Every task has the same number of examples, so this is `tasks ×` the overall mean, and the
    /// gradient with respect to one task's fast weights is that task's own gradient.
    public func summedOverTasks(_ prediction: Tensor, _ targets: Tensor) -> Tensor {
        self(prediction, targets) * Float(prediction.shape[0])
    }

    /// The fraction of correct argmax predictions (classification only).
    public static func accuracy(logits: Tensor, labels: [Int]) -> Float {
        let classes = logits.shape.last ?? 1
        let predicted = logits.reshaped(to: [-1, classes]).argmax(alongAxis: 1).scalars
        guard !labels.isEmpty else { return 0 }
        return Float(zip(predicted, labels).filter { Int($0) == $1 }.count) / Float(labels.count)
    }
}

/// Which derivative the meta-gradient takes through the inner loop.
public enum DerivativeOrder: String, Codable, Sendable {
    /// Differentiate through the inner updates (Hessian-vector products included): exact MAML.
    case second
    /// Treat the inner gradients as constants (first-order MAML, Finn et al. 2017 §5.2).
    case first
}
