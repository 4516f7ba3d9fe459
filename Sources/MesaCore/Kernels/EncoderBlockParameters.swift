/// The weights of one Transformer encoder block, as read by the fused inference kernel
/// ``Tensor/encoderBlocksInference(_:blocks:mask:)``.
///
/// With `d = modelSize`, `h = headCount` and `f` the feed-forward width, the shapes are those of
/// PyTorch's `nn.TransformerEncoderLayer` (and of MesaNN's `TransformerEncoderLayer`):
/// projection weights `[d, d]` and biases `[d]` for query, key, value and output; `W₁` `[f, d]`,
/// `b₁` `[f]`; `W₂` `[d, f]`, `b₂` `[d]`; layer-norm gains and biases `[d]`.
public struct EncoderBlockParameters: Sendable {
    /// The feed-forward nonlinearities the fused kernel applies.
    public enum FeedForwardActivation: Sendable {
        /// `max(x, 0)`.
        case relu
        /// `x · Φ(x)`, the exact (erf) form.
        case gelu
        /// No nonlinearity.
        case identity
    }

    /// The number of attention heads; divides the model size.
    public var headCount: Int
    /// The query projection `W_Q` `[d, d]` and its bias `[d]`.
    public var queryWeight: Tensor, queryBias: Tensor?
    /// The key projection `W_K` `[d, d]` and its bias `[d]`.
    public var keyWeight: Tensor, keyBias: Tensor?
    /// The value projection `W_V` `[d, d]` and its bias `[d]`.
    public var valueWeight: Tensor, valueBias: Tensor?
    /// The attention output projection `W_O` `[d, d]` and its bias `[d]`.
    public var outputWeight: Tensor, outputBias: Tensor?
    /// The feed-forward expansion `W₁` `[f, d]` and its bias `[f]`.
    public var feedForwardInWeight: Tensor, feedForwardInBias: Tensor?
    /// The feed-forward projection `W₂` `[d, f]` and its bias `[d]`.
    public var feedForwardOutWeight: Tensor, feedForwardOutBias: Tensor?
    /// The gain `γ₁` and bias `β₁` `[d]` of the normalisation around attention.
    public var attentionNormGain: Tensor, attentionNormBias: Tensor
    /// The gain `γ₂` and bias `β₂` `[d]` of the normalisation around the feed-forward network.
    public var feedForwardNormGain: Tensor, feedForwardNormBias: Tensor
    /// The normalisations' `ε`.
    public var epsilon: Float
    /// `true` for pre-normalisation (`x + f(LN(x))`), `false` for post-normalisation (`LN(x + f(x))`).
    public var normalizesFirst: Bool
    /// The feed-forward nonlinearity.
    public var activation: FeedForwardActivation

    /// Gathers a block's weights (see the type's description for their shapes).
    public init(headCount: Int,
                queryWeight: Tensor, queryBias: Tensor?, keyWeight: Tensor, keyBias: Tensor?,
                valueWeight: Tensor, valueBias: Tensor?, outputWeight: Tensor, outputBias: Tensor?,
                feedForwardInWeight: Tensor, feedForwardInBias: Tensor?, feedForwardOutWeight: Tensor, feedForwardOutBias: Tensor?,
                attentionNormGain: Tensor, attentionNormBias: Tensor, feedForwardNormGain: Tensor, feedForwardNormBias: Tensor,
                epsilon: Float, normalizesFirst: Bool, activation: FeedForwardActivation) {
        self.headCount = headCount
        self.queryWeight = queryWeight; self.queryBias = queryBias
        self.keyWeight = keyWeight; self.keyBias = keyBias
        self.valueWeight = valueWeight; self.valueBias = valueBias
        self.outputWeight = outputWeight; self.outputBias = outputBias
        self.feedForwardInWeight = feedForwardInWeight; self.feedForwardInBias = feedForwardInBias
        self.feedForwardOutWeight = feedForwardOutWeight; self.feedForwardOutBias = feedForwardOutBias
        self.attentionNormGain = attentionNormGain; self.attentionNormBias = attentionNormBias
        self.feedForwardNormGain = feedForwardNormGain; self.feedForwardNormBias = feedForwardNormBias
        self.epsilon = epsilon
        self.normalizesFirst = normalizesFirst
        self.activation = activation
    }

    /// The model size `d`.
    public var modelSize: Int { queryWeight.shape.last ?? 0 }
    /// The feed-forward width `f`.
    public var feedForwardSize: Int { feedForwardInWeight.shape.first ?? 0 }
}
