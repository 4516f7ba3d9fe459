import MesaCore
import MesaNN

/// A prompt as tokens, with the mask that keeps it causal and where each prediction is read.
public struct EncodedPrompt: Sendable {
    /// Where the output for each target sits in the token sequence.
    public enum Layout: Sendable, Equatable {
        /// Token `2i` predicts target `i` (``PromptEncoding/interleaved``).
        case interleaved
        /// Token `N + i` predicts target `i` (``PromptEncoding/concatenated``).
        case queriesAfterContext
        /// Token `i` predicts target `i` (``PromptEncoding/previousTarget``).
        case oneTokenPerPoint
        /// Tokens `contextCount..<N` are queries predicting their own targets (fixed context).
        case queriesInPlace(Int)
    }

    /// The tokens `[batch, tokens, tokenWidth]`.
    public var tokens: Tensor
    /// The attention mask (`.causal` or a custom 0/1 `[tokens, tokens]` mask).
    public var mask: AttentionMask
    /// Where predictions are read.
    public var layout: Layout
    /// The number of input–target pairs `N` of the prompt.
    public var pointCount: Int
    /// For concatenated encodings, the number of context tokens (which come first); 0 otherwise.
    public var contextCount: Int = 0

    /// The outputs at the prediction positions: `[batch, tokens, k]` → `[batch, predictions, k]`
    /// (`N` predictions, or `N − contextCount` for a fixed context).
    public func predictionOutputs(_ outputs: Tensor) -> Tensor {
        let (b, k) = (outputs.shape[0], outputs.shape[2])
        switch layout {
        case .interleaved:
            return outputs.reshaped(to: [b, pointCount, 2, k]).slice(alongAxis: 2, from: 0, to: 1).squeezed(at: 2)
        case .queriesAfterContext:
            return outputs.slice(alongAxis: 1, from: pointCount, to: 2 * pointCount)
        case .oneTokenPerPoint:
            return outputs
        case .queriesInPlace(let contextCount):
            return outputs.slice(alongAxis: 1, from: contextCount, to: pointCount)
        }
    }
}
