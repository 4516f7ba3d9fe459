import Foundation
import MesaCore

extension MultiHeadAttention {
    /// The weights of momentum attention's moving average (Dai et al. 2023, "Why Can GPT Learn
    /// In-Context? Language Models Secretly Perform Gradient Descent as Meta-Optimizers", §5):
    /// `MoAttn(V, K, q_t) = Attn(V, K, q_t) + EMA(V)_t` with `EMA(V)_t = Σ_{i<t} η^{t−i} vᵢ`, the
    /// attention counterpart of gradient descent with momentum.
    ///
    /// Returns `E` `[queryCount, keyCount]` with `E[t, i] = η^{t−i}` for keys `i < t` (top-left
    /// aligned, as ``AttentionMask/causal``) that `mask` allows, else 0; `E V` is the moving average.
    /// Only earlier positions enter, so the term is causal.
    ///
    /// - Precondition: `mask`, if any, is `[queryCount, keyCount]` or broadcasts to it from rank ≤ 2.
    public static func momentumWeights(decay: Float, queryCount: Int, keyCount: Int, mask: Tensor?) -> Tensor {
        var weights = [Float](repeating: 0, count: queryCount * keyCount)
        for t in 0..<queryCount {
            for i in 0..<min(t, keyCount) { weights[t * keyCount + i] = Foundation.pow(decay, Float(t - i)) }
        }
        let decayed = Tensor(shape: [queryCount, keyCount], scalars: weights)
        guard let mask else { return decayed }
        precondition(mask.rank <= 2, "momentum attention: the mask \(mask.shape) must be shared by the batch and heads ([queries, keys])")
        return decayed * mask.detached()
    }
}
