import MesaCore
import MesaNN
import MesaOptim

extension TransformerLearner {
    /// The parameters Dai et al. 2023 fine-tune when they compare in-context learning with
    /// explicit fine-tuning (§4.1): every layer's key and value projections, weights and biases.
    public var keyValueParameters: [Parameter] {
        encoder.layers.flatMap { layer in
            [layer.attention.key, layer.attention.value].flatMap { [$0.weight] + ($0.bias.map { [$0] } ?? []) }
        }
    }

    /// The loss of the learner's prediction for the last point of each prompt of `batch` only:
    /// squared error for regression, cross-entropy for classification, averaged over prompts.
    public func lastPointLoss(on batch: TaskBatch) -> Tensor {
        let last = outputs(for: batch).slice(alongAxis: 1, from: batch.pointCount - 1, to: batch.pointCount)   // [B, 1, k]
        let targets = batch.targets.slice(alongAxis: 1, from: batch.pointCount - 1, to: batch.pointCount)      // [B, 1]
        switch kind {
        case .regression: return Tensor.meanSquaredError(last.reshaped(to: [batch.batchSize, 1]), targets)
        case .classification: return Tensor.crossEntropy(logits: last, labels: targets.scalars.map { Int($0) })
        }
    }

    /// Fine-tunes ``keyValueParameters`` on `examples`, one plain SGD step (learning rate `η`,
    /// no momentum) per example in the given order, on ``lastPointLoss(on:)``: one epoch with
    /// batch size 1 (Dai et al. fine-tune the key/value projections for one epoch of SGD on the
    /// demonstrations; the batch size and order are this implementation's choice).
    /// Every other parameter keeps its value; gradients are cleared afterwards.
    public func fineTuneKeysAndValues(on examples: [TaskBatch], learningRate: Float) {
        let optimizer = SGD(parameters: keyValueParameters, learningRate: learningRate)
        for example in examples {
            clearGradients()
            lastPointLoss(on: example).backward()
            optimizer.step()
        }
        clearGradients()
    }
}
