import MesaCore
import MesaNN

/// Synchronous data-parallel training (Dean et al. 2012, "Large Scale Distributed Deep Networks";
/// Goyal et al. 2017, "Accurate, Large Minibatch SGD"): the ranks of a ``Communicator`` each
/// compute the gradient of their share of one global batch, one all-reduce averages the gradients,
/// and every rank applies the same optimizer step to the same weights.
///
/// With a global batch of `B` examples over `N` ranks, rank `r` samples the examples
/// `r·B/N ..< (r+1)·B/N`, each from its own generator seeded by the step and the example's global
/// index (``ExampleStreams``), so the batch a step sees does not depend on `N`. The loss is a mean
/// over equally weighted examples, so the mean of the ranks' gradients is the gradient of the
/// global batch: `g = (1/N) Σ_r g_r`, with `g_r = (N/B) Σ_{i ∈ shard r} ∇ℓ_i`.
public struct DataParallel {
    /// The group the run trains with.
    public let communicator: any Communicator

    /// Data-parallel training over `communicator`'s ranks.
    public init(communicator: any Communicator) {
        self.communicator = communicator
    }

    /// The global indices of this rank's examples in a batch of `batchSize`: the `rank`-th of
    /// `size` equal contiguous slices.
    ///
    /// - Throws: ``DistributedTrainingError/batchNotDivisible(batchSize:ranks:)`` unless the ranks
    ///   divide the batch.
    public func shard(ofBatch batchSize: Int) throws -> Range<Int> {
        let ranks = communicator.size
        guard batchSize % ranks == 0 else { throw DistributedTrainingError.batchNotDivisible(batchSize: batchSize, ranks: ranks) }
        let share = batchSize / ranks
        return communicator.rank * share ..< (communicator.rank + 1) * share
    }

    /// Replaces every parameter's gradient by its mean over the ranks and returns the ranks' mean
    /// loss and whether any rank asked to stop, in one all-reduce of one flat buffer:
    /// `[gradients of every parameter, in order | one presence flag per parameter | loss | stop]`.
    /// A parameter without a gradient on a rank contributes zeros; one without a gradient on every
    /// rank keeps none (as it would in a single process).
    func averageGradients(of parameters: [Parameter], loss: Float, stopRequested: Bool) throws -> (loss: Float, stop: Bool) {
        let gradientCount = parameters.reduce(0) { $0 + $1.shape.reduce(1, *) }
        var buffer = [Float](repeating: 0, count: gradientCount + parameters.count + 2)
        var offset = 0
        for (index, parameter) in parameters.enumerated() {
            let count = parameter.shape.reduce(1, *)
            if let gradient = parameter.gradient {
                gradient.scalars.withUnsafeBufferPointer { source in
                    buffer.withUnsafeMutableBufferPointer { target in
                        _ = UnsafeMutableBufferPointer(rebasing: target[offset ..< offset + count]).initialize(from: source)
                    }
                }
                buffer[gradientCount + index] = 1
            }
            offset += count
        }
        buffer[gradientCount + parameters.count] = loss
        buffer[gradientCount + parameters.count + 1] = stopRequested ? 1 : 0
        try communicator.allReduceSum(&buffer)
        let scale = 1 / Float(communicator.size)
        offset = 0
        for (index, parameter) in parameters.enumerated() {
            let count = parameter.shape.reduce(1, *)
            if buffer[gradientCount + index] > 0 {
                var mean = Array(buffer[offset ..< offset + count])
                if communicator.size > 1 { for position in mean.indices { mean[position] *= scale } }
                parameter.setGradient(Tensor(shape: parameter.shape, scalars: mean))
            }
            offset += count
        }
        let meanLoss = communicator.size > 1 ? buffer[gradientCount + parameters.count] * scale : buffer[gradientCount + parameters.count]
        return (meanLoss, buffer[gradientCount + parameters.count + 1] > 0)
    }
}
