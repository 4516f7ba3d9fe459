import MesaCore
import MesaNN

/// One layer of linear self-attention (von Oswald et al. 2023, "Transformers Learn In-Context by
/// Gradient Descent", eq. 3): attention without softmax, MLP or LayerNorm, whose keys and values
/// are the context tokens only, added to the residual stream.
///
/// For tokens `e_t ∈ R^D` (`D = d + 1` for regression: `x` then `y`) and `H` heads:
///
/// ```
/// e_t ← e_t + Σ_h W_V,h · Σ_{i ∈ context(t)} e_i (e_iᵀ W_K,hᵀ W_Q,h e_t) / n_t
/// ```
///
/// where `context(t)` are the context tokens that the prompt's mask lets token `t` see and
/// `n_t = max(1, |context(t)|)` their count (the averaging weights come from
/// ``contextWeights(mask:tokenCount:contextCount:)``). The paper writes the value path as
/// `P_h V_h`; here the projection is folded into the value matrix, `W_V,h = P_h V_h`. Both are
/// square `D × D`, so the fold loses no expressiveness; only the optimisation landscape of the
/// over-parameterised product differs.
///
/// Shapes: tokens `[batch, tokens, D]` → `[batch, tokens, D]`; parameters ``queryWeights``,
/// ``keyWeights``, ``valueWeights`` are `[H, D, D]` (one matrix per head, acting on column
/// vectors as above). The heads run side by side as batched matrix products:
///
/// ```
/// M_h = W_Q,hᵀ W_K,h                       [H, D, D]     (so e_tᵀ M_h e_i = e_iᵀ W_K,hᵀ W_Q,h e_t)
/// S_h = (E M_h) Eᵀ ⊙ A                     [B, H, T, T]  (A = context weights: mask / n_t)
/// E  ← E + Σ_h (S_h E) W_V,hᵀ              [B, T, D]
/// ```
///
/// Every step is a differentiable tensor operation, so gradients (and gradients of gradients)
/// flow to the parameters and to the tokens.
public final class LinearSelfAttention: Module {
    /// The query matrices `W_Q,h`, `[H, D, D]`.
    public let queryWeights: Parameter
    /// The key matrices `W_K,h`, `[H, D, D]`.
    public let keyWeights: Parameter
    /// The value matrices with the output projection folded in, `W_V,h = P_h V_h`, `[H, D, D]`.
    public let valueWeights: Parameter

    /// The token width `D`.
    public var tokenWidth: Int { queryWeights.shape[1] }
    /// The number of heads `H`.
    public var headCount: Int { queryWeights.shape[0] }

    /// Creates a layer with every weight drawn from `N(0, standardDeviation²)`.
    ///
    /// The update is cubic in the weights, so small weights make a layer that starts close to
    /// the identity map (its output differs from its input by `O(σ³)`).
    public init(tokenWidth: Int, headCount: Int = 1, standardDeviation: Float, using generator: inout RandomGenerator) {
        precondition(tokenWidth > 0 && headCount > 0, "LinearSelfAttention: tokenWidth and headCount must be positive")
        let shape = [headCount, tokenWidth, tokenWidth]
        queryWeights = Parameter(.randomNormal(shape, standardDeviation: standardDeviation, using: &generator))
        keyWeights = Parameter(.randomNormal(shape, standardDeviation: standardDeviation, using: &generator))
        valueWeights = Parameter(.randomNormal(shape, standardDeviation: standardDeviation, using: &generator))
    }

    /// Creates a layer from given `[H, D, D]` matrices.
    public init(query: Tensor, key: Tensor, value: Tensor) {
        precondition(query.rank == 3 && query.shape[1] == query.shape[2] && key.shape == query.shape && value.shape == query.shape,
                     "LinearSelfAttention: query \(query.shape), key \(key.shape), value \(value.shape) must all be [heads, D, D]")
        queryWeights = Parameter(query)
        keyWeights = Parameter(key)
        valueWeights = Parameter(value)
    }

    /// Applies the layer to `tokens` `[batch, tokens, D]` with averaging weights `contextWeights`
    /// (`[tokens, tokens]`, or anything broadcastable to `[batch, heads, tokens, tokens]`; see
    /// ``contextWeights(mask:tokenCount:contextCount:)``). Returns `[batch, tokens, D]`.
    public func callAsFunction(_ tokens: Tensor, contextWeights: Tensor) -> Tensor {
        precondition(tokens.rank == 3 && tokens.shape[2] == tokenWidth,
                     "LinearSelfAttention: tokens \(tokens.shape) must be [batch, tokens, \(tokenWidth)]")
        let kernel = Tensor.matmul(queryWeights.value, keyWeights.value, transposeA: true)      // [H, D, D]: W_Qᵀ W_K
        let stream = tokens.unsqueezed(at: 1)                                                   // [B, 1, T, D]
        let scores = Tensor.matmul(stream.matmul(kernel), stream, transposeB: true)             // [B, H, T, T]: e_tᵀ M e_i
        let attended = (scores * contextWeights).matmul(stream)                                 // [B, H, T, D]
        let update = Tensor.matmul(attended, valueWeights.value, transposeB: true)              // [B, H, T, D]
        return tokens + update.sum(alongAxis: 1)
    }

    /// The averaging weights `A[t, i] = m[t, i]·[i < contextCount] / n_t` with
    /// `n_t = max(1, Σ_i m[t, i]·[i < contextCount])`: the mask restricted to the context tokens
    /// (which come first), each row divided by its count.
    ///
    /// Shapes: `[tokenCount, tokenCount]` for ``AttentionMask/none`` and ``AttentionMask/causal``;
    /// a custom mask keeps its own (broadcastable) shape, whose last axis must be the keys.
    public static func contextWeights(mask: AttentionMask, tokenCount: Int, contextCount: Int) -> Tensor {
        precondition(contextCount >= 0 && contextCount <= tokenCount,
                     "LinearSelfAttention: contextCount \(contextCount) must be in 0...\(tokenCount)")
        let visible = mask.tensor(queryCount: tokenCount, keyCount: tokenCount) ?? .ones([tokenCount, tokenCount])
        let isContext = Tensor((0..<tokenCount).map { $0 < contextCount ? 1 : 0 })              // [T], broadcast over keys
        let restricted = visible.detached() * isContext
        let counts = Tensor.maximum(restricted.sum(alongAxis: restricted.rank - 1, keepingDimensions: true), Tensor(1))
        return restricted / counts
    }
}
