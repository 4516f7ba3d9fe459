import MesaCore
import MesaNN

extension TransformerLearner {
    /// What every attention layer does at the last query token of a prompt: the quantities Dai et
    /// al. 2023 ("Why Can GPT Learn In-Context?", §3 and §4) compare between in-context learning,
    /// zero-shot prediction and fine-tuning.
    ///
    /// For layer `l`, head `h`, the query token's query `q`, the visible keys `kᵢ` and values `vᵢ`
    /// (projections of the layer's normalised input, biases included) and `d` features per head:
    ///
    /// ```
    /// softmax head output    o_h  = Σᵢ softmax_i(kᵢᵀq / √d) vᵢ
    /// relaxed (linear) form  o'_h = Σᵢ vᵢ (kᵢᵀ q)                                   (softmax and scaling dropped)
    /// dual form              o'_h = (W_ZSL + ΔW) q,  ΔW = Σ_{i ∈ demos} vᵢ kᵢᵀ,  W_ZSL = Σ_{i ∉ demos} vᵢ kᵢᵀ
    /// ```
    ///
    /// Shapes (`B` prompts, `T` tokens, `D = modelSize`, `H` heads): every array holds one tensor
    /// per layer.
    public struct AttentionTrace: Sendable {
        /// The position of the token whose attention is traced (the last point's input token).
        public var queryPosition: Int
        /// The attention sublayer's output there (after `W_O`, before the residual sum), `[B, D]`.
        public var outputs: [Tensor]
        /// The softmax attention weights of that token over all keys, `[B, H, T]` (0 for masked keys).
        public var weights: [Tensor]
        /// The heads' softmax outputs `o_h` side by side (before `W_O`), `[B, D]`.
        public var headOutputs: [Tensor]
        /// The relaxed linear-attention outputs `o'_h` side by side, `[B, D]`.
        public var relaxedOutputs: [Tensor]
        /// The heads' outputs under uniform attention over the visible keys, `Σᵢ vᵢ / n`, side by
        /// side, `[B, D]`: a content-free baseline for how close the relaxed form comes to softmax.
        public var uniformOutputs: [Tensor]
        /// The relaxed outputs computed in the dual form `(W_ZSL + ΔW) q` from explicit `d × d`
        /// matrices, `[B, D]`; equal to ``relaxedOutputs`` up to rounding.
        public var dualFormOutputs: [Tensor]
        /// The learner's raw output for the last point, `[B, k]` (a value or `k` logits).
        public var prediction: Tensor
    }

    /// Runs the learner on `batch` (``PromptEncoding/interleaved`` prompts) and traces every
    /// attention layer at the last point's input token (see ``AttentionTrace``); the first
    /// `demonstrationTokenCount` tokens count as demonstrations in the dual form's `ΔW`.
    /// Momentum attention's moving average (if any) is part of ``AttentionTrace/outputs`` only.
    ///
    /// - Precondition: the learner uses the interleaved encoding and `batch` fits it.
    public func attentionTrace(for batch: TaskBatch, demonstrationTokenCount: Int) -> AttentionTrace {
        precondition(encoding == .interleaved, "attentionTrace: needs the interleaved encoding, the learner uses \(encoding)")
        return withoutGradients {
            let prompt = encoding.encode(paddedToInputDimension(batch))
            let (b, t) = (prompt.tokens.shape[0], prompt.tokens.shape[1])
            let position = t - 2                                                            // x-token of the last point
            precondition(demonstrationTokenCount >= 0 && demonstrationTokenCount <= position,
                         "attentionTrace: \(demonstrationTokenCount) demonstration tokens do not precede the query token \(position)")
            let visibleRow = (prompt.mask.tensor(queryCount: t, keyCount: t) ?? .ones([t, t]))
                .slice(alongAxis: 0, from: position, to: position + 1).reshaped(to: [t])      // [T]: 1 where the query sees key i
            let demonstration = Tensor((0..<t).map { $0 < demonstrationTokenCount ? 1 : 0 }) * visibleRow   // [T]
            let zeroShot = visibleRow - demonstration
            var hidden = readIn(prompt.tokens) + positions.value.slice(alongAxis: 1, from: 0, to: t)   // [B, T, D]
            var trace = AttentionTrace(queryPosition: position, outputs: [], weights: [], headOutputs: [], relaxedOutputs: [],
                                       uniformOutputs: [], dualFormOutputs: [], prediction: .zeros([b, kind.outputWidth]))
            for layer in encoder.layers {
                let attention = layer.attention
                let (h, size) = (attention.headCount, attention.headSize)
                let input = layer.placement == .pre ? layer.attentionNorm(hidden) : hidden
                func heads(_ x: Tensor) -> Tensor { x.reshaped(to: [b, t, h, size]).permuted([0, 2, 1, 3]) }   // [B, H, T, d]
                let keys = heads(attention.key(input)), values = heads(attention.value(input))
                let query = heads(attention.query(input)).slice(alongAxis: 2, from: position, to: position + 1)   // [B, H, 1, d]
                let scores = Tensor.matmul(query, keys, transposeB: true)                                         // [B, H, 1, T]: kᵢᵀq
                let weights = (scores / Float(size).squareRoot() + (visibleRow - 1) * 1e30).softmax(alongAxis: 3) * visibleRow
                let headOutput = weights.matmul(values)                                                          // [B, H, 1, d]
                let relaxed = (scores * visibleRow).matmul(values)                                               // Σᵢ vᵢ (kᵢᵀ q)
                let uniform = Tensor.matmul((visibleRow / visibleRow.sum()).reshaped(to: [1, t]), values)         // Σᵢ vᵢ / n: [B, H, 1, d]
                func outerSum(_ selection: Tensor) -> Tensor {                                                   // Σᵢ vᵢ kᵢᵀ: [B, H, d, d]
                    Tensor.matmul(values * selection.reshaped(to: [t, 1]), keys, transposeA: true)
                }
                let update = outerSum(demonstration), zeroShotMap = outerSum(zeroShot)
                let dual = Tensor.matmul(zeroShotMap + update, query, transposeB: true)                         // [B, H, d, 1]
                func merged(_ x: Tensor) -> Tensor { x.reshaped(to: [b, h * size]) }                           // heads side by side
                trace.weights.append(weights.reshaped(to: [b, h, t]))
                trace.headOutputs.append(merged(headOutput))
                trace.relaxedOutputs.append(merged(relaxed))
                trace.uniformOutputs.append(merged(uniform))
                trace.dualFormOutputs.append(merged(dual))
                let full = attention(input, mask: prompt.mask)                                                  // [B, T, D]
                trace.outputs.append(full.slice(alongAxis: 1, from: position, to: position + 1).reshaped(to: [b, modelSize]))
                hidden = layer(hidden, mask: prompt.mask)
            }
            if let finalNorm = encoder.finalNorm { hidden = finalNorm(hidden) }
            trace.prediction = readOut(hidden.slice(alongAxis: 1, from: position, to: position + 1)).reshaped(to: [b, kind.outputWidth])
            return trace
        }
    }

    /// The width of the residual stream.
    var modelSize: Int { readIn.outputSize }
}
