import MesaCore
import MesaNN

/// An LSTM meta-trained to learn in context (Hochreiter et al. 2001, "Learning to Learn Using
/// Gradient Descent"; the recurrent baseline of Garg et al. 2022 and Kirsch et al. 2022): a
/// linear read-in, a stacked LSTM over the prompt tokens, and a linear read-out.
///
/// A recurrent network is causal by construction, so it takes the encodings whose tokens are in
/// time order (``PromptEncoding/interleaved`` and ``PromptEncoding/previousTarget``, the default),
/// not ``PromptEncoding/concatenated``, whose queries follow the whole context.
/// Its state size (what it can remember of the prompt) is `2 · layerCount · hiddenSize` numbers.
///
/// Shapes: `[batch, points, d]` inputs → `[batch, points, k]` outputs.
public final class LSTMLearner: InContextLearner {
    /// Token features → LSTM input width.
    public let readIn: Linear
    /// The recurrent core.
    public let lstm: LSTM
    /// Hidden state → one value or `classCount` logits.
    public let readOut: Linear

    public let encoding: PromptEncoding
    public let kind: TaskKind
    public let inputDimension: Int
    public let maximumPointCount: Int

    /// Creates a learner with fresh parameters.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for the concatenated encoding or non-positive sizes.
    public init(inputDimension: Int, kind: TaskKind, encoding: PromptEncoding = .previousTarget, maximumPointCount: Int,
                hiddenSize: Int, layerCount: Int = 1, using generator: inout RandomGenerator) throws {
        guard encoding != .concatenated else {
            throw InContextError.invalidConfiguration("an LSTM learner reads tokens in time order: use the interleaved or previousTarget encoding, not concatenated")
        }
        guard inputDimension > 0, maximumPointCount > 0, hiddenSize > 0, layerCount > 0 else {
            throw InContextError.invalidConfiguration("LSTM learner sizes must be positive (d \(inputDimension), points \(maximumPointCount), hidden \(hiddenSize), layers \(layerCount))")
        }
        self.encoding = encoding
        self.kind = kind
        self.inputDimension = inputDimension
        self.maximumPointCount = maximumPointCount
        readIn = Linear(inputSize: encoding.tokenWidth(inputDimension: inputDimension, kind: kind), outputSize: hiddenSize, using: &generator)
        lstm = LSTM(inputSize: hiddenSize, hiddenSize: hiddenSize, layerCount: layerCount, using: &generator)
        readOut = Linear(inputSize: hiddenSize, outputSize: kind.outputWidth, using: &generator)
    }

    public func outputs(for batch: TaskBatch) -> Tensor {
        let prompt = encoding.encode(paddedToInputDimension(batch))
        return prompt.predictionOutputs(readOut(lstm(readIn(prompt.tokens))))    // [B, N, k]
    }
}
