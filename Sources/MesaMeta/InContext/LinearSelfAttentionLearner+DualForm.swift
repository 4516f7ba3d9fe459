import MesaCore
import MesaNN

extension LinearSelfAttentionLearner {
    /// How far every layer's actual update of a token is from its dual form (Dai et al. 2023, §3.1),
    /// over the prompts of `batch`: for each layer (on the tokens it receives), each prompt and each
    /// token that attends to at least one context token, the layer's change of the token is
    /// compared with ``LinearSelfAttention/dualFormUpdate(of:demonstrations:)`` of the context
    /// tokens it attends to, `ΔW = Σᵢ vᵢ kᵢᵀ` applied to its query. Returns the largest
    /// `|a − b| / (1 + |b|)` over all features (`a` the layer's change, `b` the dual form): float
    /// rounding for any weights, trained or not, since linear attention *is* its dual form.
    public func dualFormDeviation(on batch: TaskBatch) -> Double {
        withoutGradients {
            let prompt = encode(batch)
            let (b, t, width) = (prompt.tokens.shape[0], prompt.tokens.shape[1], tokenWidth)
            let weights = LinearSelfAttention.contextWeights(mask: prompt.mask, tokenCount: t, contextCount: prompt.contextCount)
            precondition(weights.shape == [t, t], "dualFormDeviation: context weights \(weights.shape) are not [\(t), \(t)]")
            let weightRows = weights.scalars
            var tokens = prompt.tokens                                                                   // [B, T, D]
            var deviation = 0.0
            for layer in layers {
                let next = layer(tokens, contextWeights: weights)
                let change = (next - tokens).scalars, current = tokens.scalars
                for prompt in 0..<b {
                    let rows = Tensor(shape: [t, width], scalars: Array(current[(prompt * t * width)..<((prompt + 1) * t * width)]))
                    for token in 0..<t {
                        let attended = (0..<t).filter { weightRows[token * t + $0] > 0 }
                        guard !attended.isEmpty else { continue }
                        let dual = layer.dualFormUpdate(of: rows.indexSelect(alongAxis: 0, indices: [token]).reshaped(to: [width]),
                                                        demonstrations: rows.indexSelect(alongAxis: 0, indices: attended)).scalars
                        let offset = (prompt * t + token) * width
                        for feature in 0..<width {
                            let actual = change[offset + feature]
                            deviation = max(deviation, Double(abs(actual - dual[feature]) / (1 + abs(dual[feature]))))
                        }
                    }
                }
                tokens = next
            }
            return deviation
        }
    }
}
