// Losses, written from differentiable operations (log-softmax is fused).

extension Tensor {
    /// Mean squared error `mean((prediction − target)²)` over all elements; shapes must match.
    public static func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        guard check(prediction.shape == target.shape, .shapeMismatch,
                    "meanSquaredError: prediction shape \(prediction.shape) differs from target shape \(target.shape)")
        else { return .placeholder }
        let difference = prediction - target
        return (difference * difference).mean()
    }

    /// Mean cross-entropy `−mean log softmax(logits)[label]`.
    ///
    /// Shapes: `logits` is `[…, classes]`; `labels` holds one class index per row (`…` rows).
    public static func crossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
        let classes = logits.shape.last ?? 0
        guard check(logits.rank >= 1 && classes > 0, .invalidArgument, "crossEntropy: logits need a class axis, got shape \(logits.shape)"),
              check(logits.scalarCount / classes == labels.count, .shapeMismatch,
                    "crossEntropy: \(labels.count) labels for logits of shape \(logits.shape) (\(logits.scalarCount / classes) rows)")
        else { return .placeholder }
        let logProbabilities = logits.reshaped(to: [labels.count, classes]).logSoftmax()
        let picked = logProbabilities.gather(alongAxis: 1, indices: Tensor(shape: [labels.count, 1], scalars: labels.map(Float.init)))
        return -picked.mean()
    }
}
