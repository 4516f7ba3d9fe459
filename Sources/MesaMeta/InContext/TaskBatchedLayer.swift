import MesaCore
import MesaNN

/// A layer that can run many tasks at once, each with its own copy of the weights.
///
/// Vectorised adaptation (the `batched` MAML variants): weight `i` of shape `P` becomes a
/// tensor `[tasks] + P` of per-task fast weights, the input gains a leading task axis
/// (`[tasks, n, features]`), and products become batched matmuls, so one pass adapts a whole
/// meta-batch instead of a loop over tasks.
public protocol TaskBatchedLayer: Layer {
    /// The output for every task: `input` `[tasks, n, features]`, `weights[i]`
    /// `[tasks] + parameters[i].shape` → `[tasks, n, outputs]`.
    func callAsFunction(_ input: Tensor, taskWeights weights: [Tensor]) -> Tensor
}

extension TaskBatchedLayer {
    /// The parameters repeated along a new leading task axis (differentiably: the gradient of
    /// the copies sums back into each parameter).
    public func taskWeights(count: Int) -> [Tensor] {
        parameters.map { $0.value.unsqueezed(at: 0).broadcast(to: [count] + $0.shape) }
    }
}

extension Linear: TaskBatchedLayer {
    /// `x Wₜᵀ + bₜ` per task `t`: `input` `[tasks, n, in]`, `weights` `[[tasks, out, in], [tasks, out]]`.
    public func callAsFunction(_ input: Tensor, taskWeights weights: [Tensor]) -> Tensor {
        precondition(weights.count == (bias == nil ? 1 : 2),
                     "Linear(taskWeights:): \(weights.count) weights for a layer with \(bias == nil ? 1 : 2) parameters")
        let product = Tensor.matmul(input, weights[0], transposeB: true)
        guard weights.count == 2 else { return product }
        return product + weights[1].unsqueezed(at: 1)
    }
}

extension MLP: TaskBatchedLayer {
    /// The perceptron with per-task weights (each layer's weight and bias in order).
    public func callAsFunction(_ input: Tensor, taskWeights weights: [Tensor]) -> Tensor {
        var x = input
        var offset = 0
        for (index, layer) in layers.enumerated() {
            let count = layer.bias == nil ? 1 : 2
            x = layer(x, taskWeights: Array(weights[offset..<(offset + count)]))
            offset += count
            if index < layers.count - 1 { x = activation(x) }
        }
        precondition(offset == weights.count, "MLP(taskWeights:): \(weights.count) weights for \(offset) parameters")
        return x
    }
}
