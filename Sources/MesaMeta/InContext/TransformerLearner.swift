import MesaCore
import MesaNN

/// A Transformer meta-trained to learn in context (Garg et al. 2022, "What Can Transformers
/// Learn In-Context?"): a linear read-in of the prompt tokens plus learned positions, a causal
/// pre-LayerNorm encoder (GPT-2 style, GELU feed-forward, final LayerNorm), and a linear
/// read-out at every prediction position.
///
/// Shapes: a ``TaskBatch`` of `[batch, points, d]` inputs → outputs `[batch, points, k]`
/// (`k = 1` for regression, `classCount` logits for classification). Any prompt up to
/// ``maximumPointCount`` points and any input dimension up to ``inputDimension`` (zero-padded)
/// is accepted, which the curriculum relies on.
///
/// ```swift
/// let learner = TransformerLearner(inputDimension: 5, kind: .regression, maximumPointCount: 40,
///                                  modelSize: 64, layerCount: 3, headCount: 2, using: &generator)
/// let loss = learner.loss(on: tasks.sample(batchSize: 64, pointCount: 20, using: &generator))
/// ```
public final class TransformerLearner: InContextLearner {
    /// Token features → model width.
    public let readIn: Linear
    /// Learned positional embeddings `[1, maximumTokens, modelSize]`.
    public let positions: Parameter
    /// The causal pre-LayerNorm encoder (with a final LayerNorm).
    public let encoder: TransformerEncoder
    /// Model width → one value or `classCount` logits.
    public let readOut: Linear

    public let encoding: PromptEncoding
    public let kind: TaskKind
    public let inputDimension: Int
    public let maximumPointCount: Int

    /// Creates a learner with fresh parameters (positions `N(0, 0.02²)`, other layers as PyTorch initialises them).
    ///
    /// - Parameters:
    ///   - inputDimension: the largest input dimension `d`.
    ///   - kind: regression or classification with `classCount` classes.
    ///   - encoding: how prompts become tokens (``PromptEncoding/interleaved`` by default, as Garg et al.).
    ///   - maximumPointCount: the longest prompt in pairs.
    ///   - modelSize: the width of the residual stream (a multiple of `headCount`).
    ///   - layerCount, headCount: depth and heads; `feedForwardSize` defaults to `4 · modelSize`.
    ///   - attentionMomentum: the decay `η` of momentum attention (Dai et al. 2023) in every layer; `nil`: standard attention.
    public init(inputDimension: Int, kind: TaskKind, encoding: PromptEncoding = .interleaved, maximumPointCount: Int,
                modelSize: Int, layerCount: Int, headCount: Int, feedForwardSize: Int? = nil, attentionMomentum: Float? = nil,
                using generator: inout RandomGenerator) {
        precondition(inputDimension > 0 && maximumPointCount > 0 && modelSize > 0 && layerCount > 0,
                     "TransformerLearner: sizes must be positive")
        self.encoding = encoding
        self.kind = kind
        self.inputDimension = inputDimension
        self.maximumPointCount = maximumPointCount
        let tokenWidth = encoding.tokenWidth(inputDimension: inputDimension, kind: kind)
        let maximumTokens = encoding == .previousTarget ? maximumPointCount : 2 * maximumPointCount
        readIn = Linear(inputSize: tokenWidth, outputSize: modelSize, using: &generator)
        positions = Parameter(Tensor.randomNormal([1, maximumTokens, modelSize], standardDeviation: 0.02, using: &generator))
        encoder = TransformerEncoder(layerCount: layerCount, modelSize: modelSize, headCount: headCount,
                                     feedForwardSize: feedForwardSize ?? 4 * modelSize, activation: .gelu,
                                     placement: .pre, finalNorm: true, using: &generator)
        for layer in encoder.layers { layer.attention.momentum = attentionMomentum }
        readOut = Linear(inputSize: modelSize, outputSize: kind.outputWidth, using: &generator)
    }

    public func outputs(for batch: TaskBatch) -> Tensor {
        let prompt = encoding.encode(paddedToInputDimension(batch))
        let tokenCount = prompt.tokens.shape[1]
        let hidden = readIn(prompt.tokens) + positions.value.slice(alongAxis: 1, from: 0, to: tokenCount)   // [B, T, D]
        return prompt.predictionOutputs(readOut(encoder(hidden, mask: prompt.mask)))                          // [B, N, k]
    }
}
