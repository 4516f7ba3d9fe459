import MesaCore

// The inference fast path of TransformerEncoderLayer: when no autodiff graph is recorded
// (inside `withoutGradients`) and nothing random happens, the whole block runs as one fused
// kernel (`Tensor.encoderBlockInference`), as PyTorch's eval-mode "fast path" does.

extension TransformerEncoderLayer {
    /// The block's weights in the form the fused inference kernel reads, or `nil` when the
    /// activation has no fused form.
    public var fusedParameters: EncoderBlockParameters? {
        let fusedActivation: EncoderBlockParameters.FeedForwardActivation
        switch activation {
        case .relu: fusedActivation = .relu
        case .gelu: fusedActivation = .gelu
        case .identity: fusedActivation = .identity
        case .tanh, .sigmoid: return nil
        }
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

    /// The block through the fused inference kernel, or `nil` when the layer must take the
    /// differentiable path: gradients are being recorded, a dropout is active, the two
    /// normalisations differ in `ε`, the activation has no fused form, the input is not
    /// `[…, sequence, modelSize]`, or the mask is not one `[sequence, sequence]` pattern.
    func inferenceForward(_ input: Tensor, mask: AttentionMask) -> Tensor? {
        guard !GradientMode.isEnabled,
              [attentionDropout, activationDropout, feedForwardDropout].allSatisfy({ !$0.isTraining || $0.probability == 0 }),
              attentionNorm.epsilon == feedForwardNorm.epsilon,
              input.rank >= 2, input.shape.last == modelSize,
              let parameters = fusedParameters
        else { return nil }
        let sequence = input.shape[input.rank - 2]
        let maskTensor = mask.tensor(queryCount: sequence, keyCount: sequence)
        if let maskTensor, maskTensor.rank < 2 || Array(maskTensor.shape.suffix(2)) != [sequence, sequence]
            || !maskTensor.shape.dropLast(2).allSatisfy({ $0 == 1 }) {
            return nil
        }
        return Tensor.encoderBlockInference(input, parameters: parameters, mask: maskTensor)
    }
}
