import MesaCore

// The inference fast path of TransformerEncoder: every layer in one fused kernel call, which
// reuses its scratch buffers from block to block and needs no tensor between blocks.

extension TransformerEncoder {
    /// The stack through the fused inference kernel (then the final norm), or `nil` when some
    /// layer must take the differentiable path (see `TransformerEncoderLayer.inferenceForward`).
    func inferenceForward(_ input: Tensor, mask: AttentionMask, lastRows: Int? = nil) -> Tensor? {
        guard let first = layers.first, input.rank >= 2, input.shape.last == first.modelSize,
              case .supported(let maskTensor) = TransformerEncoderLayer.fusedMask(mask, for: input)
        else { return nil }
        var blocks: [EncoderBlockParameters] = []
        for layer in layers {
            guard let parameters = layer.inferenceParameters, parameters.modelSize == first.modelSize else { return nil }
            blocks.append(parameters)
        }
        let encoded = Tensor.encoderBlocksInference(input, blocks: blocks, mask: maskTensor, lastRows: lastRows)
        return finalNorm.map { $0(encoded) } ?? encoded
    }
}
