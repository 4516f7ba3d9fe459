import MesaCore

/// The loss a meta-learner adapts with and is scored by.
public enum MetaLoss: String, ConfigurationChoice {
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
