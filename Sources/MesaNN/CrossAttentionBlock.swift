import MesaCore

/// A pre-normalisation attention block whose queries read another set: the multihead attention
/// block `MAB(X, Y)` of the Set Transformer (Lee et al. 2019), in the pre-LayerNorm placement of
/// Xiong et al. 2020:
///
/// `X ← X + Attention(LN_q(X), LN_c(Y), LN_c(Y))`, then `X ← X + FF(LN_f(X))`, with
/// `FF(x) = W₂ gelu(W₁ x + b₁) + b₂`.
///
/// Shapes: queries `[batch, queries, modelSize]` and context `[batch, keys, modelSize]` →
/// `[batch, queries, modelSize]`.
public final class CrossAttentionBlock: Module {
    /// Queries from `X`, keys and values from `Y`.
    public let attention: MultiHeadAttention
    /// Normalises the queries' input.
    public let queryNorm: LayerNorm
    /// Normalises the context.
    public let contextNorm: LayerNorm
    /// Normalises the feed-forward input.
    public let feedForwardNorm: LayerNorm
    /// `W₁, b₁`.
    public let feedForwardIn: Linear
    /// `W₂, b₂`.
    public let feedForwardOut: Linear

    /// Creates a freshly initialised block.
    public init(modelSize: Int, headCount: Int, feedForwardSize: Int, using generator: inout RandomGenerator) {
        attention = MultiHeadAttention(modelSize: modelSize, headCount: headCount, using: &generator)
        queryNorm = LayerNorm(featureCount: modelSize)
        contextNorm = LayerNorm(featureCount: modelSize)
        feedForwardNorm = LayerNorm(featureCount: modelSize)
        feedForwardIn = Linear(inputSize: modelSize, outputSize: feedForwardSize, using: &generator)
        feedForwardOut = Linear(inputSize: feedForwardSize, outputSize: modelSize, using: &generator)
    }

    /// `MAB(queries, context)`.
    public func callAsFunction(_ queries: Tensor, context: Tensor) -> Tensor {
        let normalised = contextNorm(context)
        let x = queries + attention(query: queryNorm(queries), key: normalised, value: normalised)
        return x + feedForwardOut(feedForwardIn(feedForwardNorm(x)).gelu())
    }
}
