// Scaled dot-product attention (Vaswani et al. 2017).

extension Tensor {
    /// `softmax(Q Kᵀ / √d + M) V`.
    ///
    /// Shapes: `query` `[…, queries, d]`, `key` `[…, keys, d]`, `value` `[…, keys, dv]` →
    /// `[…, queries, dv]`. `mask`, broadcastable to `[…, queries, keys]`, holds 1 where a query
    /// may attend to a key and 0 where it may not (``causalMask(size:)`` for autoregressive
    /// attention); a row with no allowed key attends uniformly.
    public static func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil) -> Tensor {
        let d = query.shape.last ?? 0
        guard check(query.rank >= 2 && key.rank == query.rank && value.rank == query.rank, .shapeMismatch,
                    "attention: query \(query.shape), key \(key.shape) and value \(value.shape) need the same rank ≥ 2"),
              check(key.shape.last == d, .shapeMismatch, "attention: query \(query.shape) and key \(key.shape) differ in feature size"),
              check(key.shape[key.rank - 2] == value.shape[value.rank - 2], .shapeMismatch,
                    "attention: key \(key.shape) and value \(value.shape) differ in number of keys")
        else { return .placeholder }
        var scores = matmul(query, key, transposeB: true) * (1 / Float(d).squareRoot())
        if let mask {
            guard check(Broadcasting.shape(mask.shape, scores.shape) == scores.shape, .shapeMismatch,
                        "attention: mask of shape \(mask.shape) does not broadcast to scores of shape \(scores.shape)")
            else { return .placeholder }
            // Additive form: 0 where allowed, −10³⁰ where blocked (finite, so no NaN from −∞ − −∞).
            scores = scores + (mask.detached() - 1) * 1e30
        }
        return scores.softmax().matmul(value)
    }
}
