import MesaCore
import MesaNN

/// How a prompt of input–target pairs becomes a sequence of tokens for a sequence model.
///
/// Every encoding is causal in the sense that matters: the output read for target `i` depends
/// only on pairs `0..<i` and input `i`, so one forward pass scores every prefix length.
/// Targets are encoded as the value `y` (regression) or a one-hot vector (classification).
public enum PromptEncoding: String, ConfigurationChoice {
    /// Garg et al. 2022: `2N` tokens `x₁, y₁, x₂, y₂, …`, each of width `max(d, targetWidth)`;
    /// an x-token is `x` zero-padded, a y-token is the target encoding zero-padded
    /// (`[y, 0, …, 0]`). Causal attention; target `i` is read at x-token `i` (position `2i`).
    case interleaved
    /// von Oswald et al. 2023: `N` context tokens `(xᵢ, yᵢ)` followed by `N` query tokens
    /// `(xᵢ, 0)`, width `d + targetWidth`. Context token `i` attends to context tokens `j ≤ i`;
    /// query token `i` attends to context tokens `j < i` and to itself. Target `i` is read at
    /// query token `i` (position `N + i`).
    case concatenated
    /// Kirsch et al. 2022 (and the usual LSTM encoding): `N` tokens `(xᵢ, yᵢ₋₁)`, width
    /// `d + targetWidth`, with `y₋₁ = 0`. Causal attention; target `i` is read at token `i`.
    case previousTarget

    /// The width of every token for inputs of dimension `inputDimension`.
    public func tokenWidth(inputDimension: Int, kind: TaskKind) -> Int {
        switch self {
        case .interleaved: return max(inputDimension, kind.targetWidth)
        case .concatenated, .previousTarget: return inputDimension + kind.targetWidth
        }
    }

    /// The target encodings `[batch, points, targetWidth]`: `y` itself, or one-hot classes.
    static func encodedTargets(_ batch: TaskBatch) -> Tensor {
        switch batch.kind {
        case .regression:
            return batch.targets.unsqueezed(at: 2)                                          // [B, N, 1]
        case .classification(let classCount):
            let indices = batch.targets.scalars.map { Int($0) }
            return Tensor.oneHot(indices, classCount: classCount).reshaped(to: [batch.batchSize, batch.pointCount, classCount])
        }
    }

    /// Zero-pads the last axis of `tensor` to `width`.
    static func padded(_ tensor: Tensor, toWidth width: Int) -> Tensor {
        let current = tensor.shape[tensor.rank - 1]
        guard width > current else { return tensor }
        var padShape = tensor.shape
        padShape[padShape.count - 1] = width - current
        return Tensor.concatenate([tensor, .zeros(padShape)], alongAxis: tensor.rank - 1)
    }

    /// Encodes `batch` as tokens with the attention mask that keeps predictions causal.
    public func encode(_ batch: TaskBatch) -> EncodedPrompt {
        let (b, n, d) = (batch.batchSize, batch.pointCount, batch.inputDimension)
        let targets = Self.encodedTargets(batch)                                            // [B, N, t]
        let t = batch.kind.targetWidth
        switch self {
        case .interleaved:
            let width = tokenWidth(inputDimension: d, kind: batch.kind)
            let xTokens = Self.padded(batch.inputs, toWidth: width)                         // [B, N, W]
            let yTokens = Self.padded(targets, toWidth: width)                              // [B, N, W]
            let tokens = Tensor.stack([xTokens, yTokens], alongAxis: 2).reshaped(to: [b, 2 * n, width])   // x₁ y₁ x₂ y₂ …
            return EncodedPrompt(tokens: tokens, mask: .causal, layout: .interleaved, pointCount: n)
        case .concatenated:
            let context = Tensor.concatenate([batch.inputs, targets], alongAxis: 2)        // [B, N, d + t]
            let queries = Tensor.concatenate([batch.inputs, .zeros([b, n, t])], alongAxis: 2)
            let tokens = Tensor.concatenate([context, queries], alongAxis: 1)              // [B, 2N, d + t]
            return EncodedPrompt(tokens: tokens, mask: .custom(Self.prefixMask(pointCount: n)), layout: .queriesAfterContext,
                                 pointCount: n, contextCount: n)
        case .previousTarget:
            let shifted = n > 1
                ? Tensor.concatenate([.zeros([b, 1, t]), targets.slice(alongAxis: 1, from: 0, to: n - 1)], alongAxis: 1)
                : Tensor.zeros([b, n, t])                                                   // [B, N, t]: y_{i−1}
            return EncodedPrompt(tokens: Tensor.concatenate([batch.inputs, shifted], alongAxis: 2), mask: .causal,
                                 layout: .oneTokenPerPoint, pointCount: n)
        }
    }

    /// The `[2N, 2N]` mask of ``concatenated``: context `i` sees contexts `≤ i`; query `i` sees
    /// contexts `< i` and itself.
    public static func prefixMask(pointCount n: Int) -> Tensor {
        var mask = [Float](repeating: 0, count: 4 * n * n)
        for row in 0..<n {
            for column in 0...row { mask[row * 2 * n + column] = 1 }
            let query = n + row
            for column in 0..<row { mask[query * 2 * n + column] = 1 }
            mask[query * 2 * n + query] = 1
        }
        return Tensor(shape: [2 * n, 2 * n], scalars: mask)
    }

    /// Concatenated tokens for a fixed context set and separate queries (von Oswald et al.'s
    /// setting): the first `contextCount` points of `batch` are the context, which attends to
    /// all of itself; every later point is a query `(x, 0)` that attends to the whole context and
    /// to itself. Predictions are read at the queries only.
    public static func encodeWithFixedContext(_ batch: TaskBatch, contextCount: Int) -> EncodedPrompt {
        let (b, n) = (batch.batchSize, batch.pointCount)
        precondition(contextCount > 0 && contextCount < n, "encodeWithFixedContext: contextCount \(contextCount) must be in 1..<\(n)")
        let t = batch.kind.targetWidth
        let targets = encodedTargets(batch)
        let hidden = Tensor.concatenate([targets.slice(alongAxis: 1, from: 0, to: contextCount),
                                         .zeros([b, n - contextCount, t])], alongAxis: 1)   // queries' targets hidden
        let tokens = Tensor.concatenate([batch.inputs, hidden], alongAxis: 2)              // [B, N, d + t]
        var mask = [Float](repeating: 0, count: n * n)
        for row in 0..<n {
            for column in 0..<contextCount { mask[row * n + column] = 1 }
            mask[row * n + row] = 1
        }
        return EncodedPrompt(tokens: tokens, mask: .custom(Tensor(shape: [n, n], scalars: mask)), layout: .queriesInPlace(contextCount),
                             pointCount: n, contextCount: contextCount)
    }
}
