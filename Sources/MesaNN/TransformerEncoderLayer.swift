import MesaCore

/// One Transformer encoder block: self-attention then a position-wise feed-forward network,
/// each wrapped in a residual connection and a ``LayerNorm`` (Vaswani et al. 2017).
///
/// With `FF(x) = W₂ act(W₁ x + b₁) + b₂` and `SA` the masked self-attention:
///
/// - ``NormalizationPlacement/post`` (the original Transformer; PyTorch's
///   `nn.TransformerEncoderLayer(norm_first=False)`):
///   `x ← LN₁(x + SA(x))`, then `x ← LN₂(x + FF(x))`;
/// - ``NormalizationPlacement/pre`` (Xiong et al. 2020, "On Layer Normalization in the
///   Transformer Architecture"; GPT-2; `norm_first=True`):
///   `x ← x + SA(LN₁(x))`, then `x ← x + FF(LN₂(x))`.
///
/// Dropout, when its probability is non-zero, is applied where PyTorch applies it: to each
/// sublayer's output before the residual sum and after the feed-forward activation (not to
/// the attention weights).
///
/// Shapes: `[batch, sequence, modelSize]` → the same. Parameters are named as PyTorch orders
/// them: `attention.{query,key,value,output}.{weight,bias}`, `feedForwardIn.*` (`linear1`),
/// `feedForwardOut.*` (`linear2`), `attentionNorm.*` (`norm1`), `feedForwardNorm.*` (`norm2`).
public final class TransformerEncoderLayer: Layer {
    /// Where the layer normalisations sit relative to the residual connections.
    public enum NormalizationPlacement: String, ConfigurationChoice {
        /// Normalise each sublayer's input: `x + f(LN(x))`. Trains stably without warm-up.
        case pre
        /// Normalise after each residual sum: `LN(x + f(x))`, the original Transformer.
        case post
    }

    /// The self-attention sublayer.
    public let attention: MultiHeadAttention
    /// The feed-forward expansion `W₁` `[feedForwardSize, modelSize]` (PyTorch's `linear1`).
    public let feedForwardIn: Linear
    /// The feed-forward projection `W₂` `[modelSize, feedForwardSize]` (PyTorch's `linear2`).
    public let feedForwardOut: Linear
    /// The normalisation around the attention sublayer (PyTorch's `norm1`).
    public let attentionNorm: LayerNorm
    /// The normalisation around the feed-forward sublayer (PyTorch's `norm2`).
    public let feedForwardNorm: LayerNorm
    /// Dropout after the attention sublayer (PyTorch's `dropout1`).
    public let attentionDropout: Dropout
    /// Dropout after the feed-forward activation (PyTorch's `dropout`).
    public let activationDropout: Dropout
    /// Dropout after the feed-forward sublayer (PyTorch's `dropout2`).
    public let feedForwardDropout: Dropout
    /// The feed-forward nonlinearity (PyTorch allows ReLU or GELU).
    public let activation: Activation
    /// Where the normalisations sit.
    public let placement: NormalizationPlacement

    /// The number of features of the input and output.
    public var modelSize: Int { attention.modelSize }
    /// The hidden width of the feed-forward network.
    public var feedForwardSize: Int { feedForwardIn.outputSize }

    /// Creates a layer initialised as PyTorch initialises `nn.TransformerEncoderLayer`.
    ///
    /// - Parameters:
    ///   - modelSize: features per position (`d_model`); a multiple of `headCount`.
    ///   - headCount: attention heads.
    ///   - feedForwardSize: hidden width of the feed-forward network (`dim_feedforward`).
    ///   - activation: the feed-forward nonlinearity.
    ///   - dropout: the probability of every dropout in the layer (0: none).
    ///   - placement: pre- or post-normalisation (PyTorch's default is ``NormalizationPlacement/post``).
    ///   - epsilon: the layer normalisations' `ε`.
    public init(modelSize: Int, headCount: Int, feedForwardSize: Int, activation: Activation = .relu, dropout: Float = 0,
                placement: NormalizationPlacement = .post, epsilon: Float = 1e-5, using generator: inout RandomGenerator) {
        attention = MultiHeadAttention(modelSize: modelSize, headCount: headCount, using: &generator)
        feedForwardIn = Linear(inputSize: modelSize, outputSize: feedForwardSize, using: &generator)
        feedForwardOut = Linear(inputSize: feedForwardSize, outputSize: modelSize, using: &generator)
        attentionNorm = LayerNorm(featureCount: modelSize, epsilon: epsilon)
        feedForwardNorm = LayerNorm(featureCount: modelSize, epsilon: epsilon)
        attentionDropout = Dropout(probability: dropout, using: &generator)
        activationDropout = Dropout(probability: dropout, using: &generator)
        feedForwardDropout = Dropout(probability: dropout, using: &generator)
        self.activation = activation
        self.placement = placement
    }

    /// Applies the block with self-attention restricted by `mask`.
    /// `[batch, sequence, modelSize]` → the same.
    ///
    /// Inside ``MesaCore/withoutGradients(_:)`` (with dropout inactive) the block runs as one
    /// fused inference kernel (``MesaCore/Tensor/encoderBlocksInference(_:blocks:mask:)``),
    /// which gives the same values up to Float32 rounding.
    public func callAsFunction(_ input: Tensor, mask: AttentionMask) -> Tensor {
        if let fused = inferenceForward(input, mask: mask) { return fused }
        switch placement {
        case .post:
            let x = attentionNorm(input + selfAttention(input, mask: mask))
            return feedForwardNorm(x + feedForward(x))
        case .pre:
            let x = input + selfAttention(attentionNorm(input), mask: mask)
            return x + feedForward(feedForwardNorm(x))
        }
    }

    /// Applies the block without a mask. `[batch, sequence, modelSize]` → the same.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        self(input, mask: .none)
    }

    private func selfAttention(_ x: Tensor, mask: AttentionMask) -> Tensor {
        attentionDropout(attention(x, mask: mask))
    }

    private func feedForward(_ x: Tensor) -> Tensor {
        feedForwardDropout(feedForwardOut(activationDropout(activation(feedForwardIn(x)))))
    }
}
