import MesaCore
import MesaNN

/// A sequence model meta-trained to learn in context: it reads a prompt of input–target pairs
/// (encoded by its ``encoding``) and outputs a prediction for every target from the pairs
/// before it, with no gradient step.
///
/// Conforming types implement ``outputs(for:)``; prediction, loss and the
/// ``InContextPredictor`` conformance come from this protocol.
public protocol InContextLearner: Module, InContextPredictor {
    /// How prompts become tokens.
    var encoding: PromptEncoding { get }
    /// Regression or classification (fixed at construction: the read-out's width depends on it).
    var kind: TaskKind { get }
    /// The largest input dimension the learner reads (smaller ones are zero-padded).
    var inputDimension: Int { get }
    /// The longest prompt (in input–target pairs) the learner reads.
    var maximumPointCount: Int { get }
    /// Raw outputs for every target: `[batch, points, outputWidth]` (values for regression,
    /// logits for classification). Recorded for autodiff when parameters require gradients.
    func outputs(for batch: TaskBatch) -> Tensor
    /// The meta-training loss on `batch` (see the default implementation); a learner that
    /// predicts only some points (a fixed context's queries) scores only those.
    func loss(on batch: TaskBatch) -> Tensor
}

extension InContextLearner {
    /// The learner's name in tables and plots.
    public var name: String { String(describing: Self.self) }

    /// Predictions for every prefix, without recording gradients: `[batch, points]` values or
    /// `[batch, points, classCount]` probabilities.
    public func predictions(for batch: TaskBatch) -> Tensor {
        withoutGradients {
            let raw = outputs(for: batch)
            return kind.isClassification ? raw.softmax(alongAxis: 2) : raw.squeezed(at: 2)
        }
    }

    /// The meta-training loss over every prefix length of every prompt (Garg et al.'s
    /// objective): mean squared error for regression, mean cross-entropy for classification.
    public func loss(on batch: TaskBatch) -> Tensor {
        let raw = outputs(for: batch)                                   // [B, N, k]
        switch kind {
        case .regression:
            return Tensor.meanSquaredError(raw.squeezed(at: 2), batch.targets)
        case .classification:
            return Tensor.crossEntropy(logits: raw, labels: batch.targets.scalars.map { Int($0) })
        }
    }

    /// Checks that `batch` fits the learner (kind, dimension, length); the message names both.
    public func validate(_ batch: TaskBatch) throws {
        guard batch.kind == kind else {
            throw InContextError.incompatibleBatch("the learner was built for \(kind) tasks, the batch holds \(batch.kind) tasks")
        }
        guard batch.inputDimension <= inputDimension else {
            throw InContextError.incompatibleBatch("inputs have dimension \(batch.inputDimension), the learner reads at most \(inputDimension)")
        }
        guard batch.pointCount <= maximumPointCount else {
            throw InContextError.incompatibleBatch("prompts have \(batch.pointCount) points, the learner reads at most \(maximumPointCount)")
        }
    }

    /// Zero-pads the inputs of `batch` to the learner's input dimension.
    func paddedToInputDimension(_ batch: TaskBatch) -> TaskBatch {
        guard batch.inputDimension < inputDimension else { return batch }
        var padded = batch
        padded.inputs = PromptEncoding.padded(batch.inputs, toWidth: inputDimension)
        return padded
    }
}
