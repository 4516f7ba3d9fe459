import MesaCore

// The inference fast path of TransformerEncoderLayer: when no autodiff graph is recorded
// (inside `withoutGradients`) and nothing random happens, the whole block runs as one fused
// kernel (`Tensor.encoderBlocksInference`), as PyTorch's eval-mode "fast path" does.

extension TransformerEncoderLayer {
    /// The block's weights in the form the fused inference kernel reads, or `nil` when the
    /// block has no fused form: its activation is not ReLU, GELU or the identity, its two
    /// normalisations differ in `ε`, or its attention has momentum.
    public var fusedParameters: EncoderBlockParameters? {
        guard attention.momentum == nil else { return nil }
        let fusedActivation: EncoderBlockParameters.FeedForwardActivation
        switch activation {
        case .relu: fusedActivation = .relu
        case .gelu: fusedActivation = .gelu
        case .identity: fusedActivation = .identity
        case .tanh, .sigmoid: return nil
        }
        guard attentionNorm.epsilon == feedForwardNorm.epsilon else { return nil }
        return EncoderBlockParameters(
            headCount: attention.headCount,
            queryWeight: attention.query.weight.value, queryBias: attention.query.bias?.value,
            keyWeight: attention.key.weight.value, keyBias: attention.key.bias?.value,
            valueWeight: attention.value.weight.value, valueBias: attention.value.bias?.value,
            outputWeight: attention.output.weight.value, outputBias: attention.output.bias?.value,
            feedForwardInWeight: feedForwardIn.weight.value, feedForwardInBias: feedForwardIn.bias?.value,
            feedForwardOutWeight: feedForwardOut.weight.value, feedForwardOutBias: feedForwardOut.bias?.value,
            attentionNormGain: attentionNorm.weight.value, attentionNormBias: attentionNorm.bias.value,
            feedForwardNormGain: feedForwardNorm.weight.value, feedForwardNormBias: feedForwardNorm.bias.value,
            epsilon: attentionNorm.epsilon, normalizesFirst: placement == .pre, activation: fusedActivation)
    }

    /// ``fusedParameters`` when the fused kernel may replace this layer right now: no autodiff
    /// graph is being recorded and no dropout is active.
    var inferenceParameters: EncoderBlockParameters? {
        guard !GradientMode.isEnabled,
              [attentionDropout, activationDropout, feedForwardDropout].allSatisfy({ !$0.isTraining || $0.probability == 0 })
        else { return nil }
        return fusedParameters
    }

    /// The 0/1 mask tensor the fused kernel takes for self-attention over `input`
    /// `[…, sequence, features]`: `.supported(nil)` for no mask, `.supported(m)` for one
    /// `[sequence, sequence]` pattern, `.unsupported` for anything else (per-batch masks).
    static func fusedMask(_ mask: AttentionMask, for input: Tensor) -> FusedMask {
        guard input.rank >= 2 else { return .unsupported }
        let sequence = input.shape[input.rank - 2]
        guard let tensor = mask.tensor(queryCount: sequence, keyCount: sequence) else { return .supported(nil) }
        guard tensor.rank >= 2, Array(tensor.shape.suffix(2)) == [sequence, sequence], tensor.shape.dropLast(2).allSatisfy({ $0 == 1 })
        else { return .unsupported }
        return .supported(tensor)
    }

    /// Whether a mask has a form the fused kernel takes.
    enum FusedMask {
        /// The kernel takes it: no mask (`nil`) or one shared pattern.
        case supported(Tensor?)
        /// The general path must run.
        case unsupported
    }

    /// The block through the fused inference kernel, or `nil` when the layer must take the
    /// differentiable path (see ``inferenceParameters`` and ``fusedMask(_:for:)``).
    func inferenceForward(_ input: Tensor, mask: AttentionMask) -> Tensor? {
        guard let parameters = inferenceParameters, input.rank >= 2, input.shape.last == modelSize,
              case .supported(let maskTensor) = Self.fusedMask(mask, for: input)
        else { return nil }
        return Tensor.encoderBlocksInference(input, blocks: [parameters], mask: maskTensor)
    }
}
