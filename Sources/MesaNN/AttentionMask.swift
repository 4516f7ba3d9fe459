import MesaCore

/// Which keys each query may attend to in ``MultiHeadAttention``.
///
/// Masks hold 1 where a query may attend to a key and 0 where it may not (the convention of
/// ``MesaCore/Tensor/scaledDotProductAttention(query:key:value:mask:)``; note PyTorch's boolean
/// `attn_mask` means the opposite, `True` = blocked).
public enum AttentionMask: Sendable {
    /// Every query attends to every key.
    case none
    /// Query `i` attends to keys `j ≤ i` only (autoregressive; top-left aligned when the query
    /// and key counts differ, as PyTorch's `is_causal`).
    case causal
    /// An explicit 0/1 mask broadcastable to `[batch, heads, queries, keys]`, e.g.
    /// `[queries, keys]` for one pattern shared by the batch, or `[batch, 1, 1, keys]` to hide
    /// padding keys.
    case custom(Tensor)

    /// The 0/1 mask for `queryCount` queries and `keyCount` keys, or `nil` for ``none``.
    ///
    /// Shapes: `[queryCount, keyCount]` for ``causal``; the given tensor for ``custom(_:)``.
    public func tensor(queryCount: Int, keyCount: Int) -> Tensor? {
        switch self {
        case .none:
            return nil
        case .causal:
            if queryCount == keyCount { return Tensor.causalMask(size: queryCount) }
            // [n, n] lower triangle cropped to [queryCount, keyCount]: 1 where key ≤ query.
            let size = max(queryCount, keyCount)
            return Tensor.causalMask(size: size)
                .slice(alongAxis: 0, from: 0, to: queryCount)
                .slice(alongAxis: 1, from: 0, to: keyCount)
        case .custom(let mask):
            return mask
        }
    }
}
