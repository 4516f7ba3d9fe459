import MesaCore

/// A stack of ``TransformerEncoderLayer``s with an optional final ``LayerNorm``, PyTorch's
/// `nn.TransformerEncoder`.
///
/// `y = LN_final(layer_N(… layer_1(x)))`; the same mask is passed to every layer. Pre-norm
/// stacks usually want the final normalisation (their residual stream is never normalised
/// otherwise); post-norm stacks already end in one.
///
/// Shapes: `[batch, sequence, modelSize]` → the same. Parameters are named
/// `layers.0.attention.query.weight`, …, `finalNorm.weight`, `finalNorm.bias`.
///
/// ```swift
/// let encoder = TransformerEncoder(layerCount: 2, modelSize: 32, headCount: 4, feedForwardSize: 64,
///                                  placement: .pre, finalNorm: true, using: &generator)
/// let y = encoder(x, mask: .causal)
/// ```
public final class TransformerEncoder: Layer {
    /// The encoder layers, applied in order.
    public let layers: [TransformerEncoderLayer]
    /// The normalisation after the last layer, if any (PyTorch's `norm`).
    public let finalNorm: LayerNorm?

    /// Creates an encoder from existing layers.
    public init(layers: [TransformerEncoderLayer], finalNorm: LayerNorm? = nil) {
        self.layers = layers
        self.finalNorm = finalNorm
    }

    /// Creates `layerCount` identically configured, independently initialised layers (see
    /// ``TransformerEncoderLayer/init(modelSize:headCount:feedForwardSize:activation:dropout:placement:epsilon:using:)``).
    ///
    /// - Parameter finalNorm: whether to normalise the output of the last layer.
    public convenience init(layerCount: Int, modelSize: Int, headCount: Int, feedForwardSize: Int,
                            activation: Activation = .relu, dropout: Float = 0,
                            placement: TransformerEncoderLayer.NormalizationPlacement = .post,
                            finalNorm: Bool = false, epsilon: Float = 1e-5, using generator: inout RandomGenerator) {
        var layers: [TransformerEncoderLayer] = []
        for _ in 0..<layerCount {
            layers.append(TransformerEncoderLayer(
                modelSize: modelSize, headCount: headCount, feedForwardSize: feedForwardSize, activation: activation,
                dropout: dropout, placement: placement, epsilon: epsilon, using: &generator))
        }
        self.init(layers: layers, finalNorm: finalNorm ? LayerNorm(featureCount: modelSize, epsilon: epsilon) : nil)
    }

    /// Applies every layer with self-attention restricted by `mask`, then the final norm.
    /// `[batch, sequence, modelSize]` → the same.
    ///
    /// Inside ``MesaCore/withoutGradients(_:)`` (with dropout inactive) the layers run as one
    /// fused inference kernel (``MesaCore/Tensor/encoderBlocksInference(_:blocks:mask:)``),
    /// which gives the same values up to Float32 rounding.
    public func callAsFunction(_ input: Tensor, mask: AttentionMask) -> Tensor {
        if let fused = inferenceForward(input, mask: mask) { return fused }
        var x = input
        for layer in layers { x = layer(x, mask: mask) }
        return finalNorm.map { $0(x) } ?? x
    }

    /// The encoder's output at the last `count` positions of every sequence only, as a head that
    /// reads the last token needs: `[batch, sequence, modelSize]` → `[batch, count, modelSize]`,
    /// equal to the last `count` rows of ``callAsFunction(_:mask:)``'s result.
    ///
    /// In inference the final layer then computes queries, attention and its feed-forward part
    /// for those rows alone (keys and values still cover every row), a quarter of a layer's work
    /// when `count` is 1; with gradients recorded it slices the full output.
    public func callAsFunction(_ input: Tensor, mask: AttentionMask = .none, lastPositions count: Int) -> Tensor {
        let sequence = input.rank >= 2 ? input.shape[input.rank - 2] : 0
        precondition(count >= 1 && count <= sequence,
                     "TransformerEncoder: lastPositions \(count) is not in 1...\(sequence) for input of shape \(input.shape)")
        if let fused = inferenceForward(input, mask: mask, lastRows: count) { return fused }
        let output = self(input, mask: mask)
        return output.slice(alongAxis: output.rank - 2, from: sequence - count)
    }

    /// Applies the encoder without a mask. `[batch, sequence, modelSize]` → the same.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        self(input, mask: .none)
    }
}
