import Foundation

/// The learner: a Transformer, an LSTM or a linear-self-attention stack.
public struct LearnerConfiguration: Codable, Equatable, Sendable {
    /// The sequence model: a Transformer, an LSTM or linear self-attention.
    public var architecture: LearnerArchitecture
    /// How prompts become tokens (`interleaved`, `concatenated`, `previousTarget`); `nil`: the
    /// architecture's default (interleaved for Transformers, previousTarget for LSTMs,
    /// concatenated for LSA).
    public var encoding: PromptEncoding?
    /// Residual-stream width (Transformer) or hidden size (LSTM).
    public var modelSize: Int
    /// Layers (Transformer blocks, LSTM layers, LSA layers).
    public var layerCount: Int
    /// Attention heads (Transformer, LSA).
    public var headCount: Int
    /// Feed-forward width of a Transformer block; `nil`: `4 · modelSize`.
    public var feedForwardSize: Int?
    /// The longest prompt, in input–target pairs.
    public var maximumPointCount: Int
    /// LSA only: the number of context points in the fixed-context setting (von Oswald et al.);
    /// `nil` scores every prefix.
    public var contextCount: Int?
    /// Transformer only: the decay `η ∈ (0, 1)` of momentum attention in every layer (Dai et al.
    /// 2023; ``MesaNN/MultiHeadAttention/momentum``); `nil`: standard attention.
    public var attentionMomentum: Float?

    /// Creates a learner configuration (defaults: a 3-layer, width-64 Transformer over 40 points).
    public init(architecture: LearnerArchitecture = .transformer, encoding: PromptEncoding? = nil, modelSize: Int = 64, layerCount: Int = 3,
                headCount: Int = 2, feedForwardSize: Int? = nil, maximumPointCount: Int = 40, contextCount: Int? = nil,
                attentionMomentum: Float? = nil) {
        self.architecture = architecture
        self.encoding = encoding
        self.modelSize = modelSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.feedForwardSize = feedForwardSize
        self.maximumPointCount = maximumPointCount
        self.contextCount = contextCount
        self.attentionMomentum = attentionMomentum
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case architecture, encoding, modelSize, layerCount, headCount, feedForwardSize, maximumPointCount, contextCount, attentionMomentum
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "learner")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = LearnerConfiguration()
        architecture = try c.value(.architecture, default: defaults.architecture)
        encoding = try c.decodeIfPresent(PromptEncoding.self, forKey: .encoding)
        modelSize = try c.value(.modelSize, default: defaults.modelSize)
        layerCount = try c.value(.layerCount, default: defaults.layerCount)
        headCount = try c.value(.headCount, default: defaults.headCount)
        feedForwardSize = try c.decodeIfPresent(Int.self, forKey: .feedForwardSize)
        maximumPointCount = try c.value(.maximumPointCount, default: defaults.maximumPointCount)
        contextCount = try c.decodeIfPresent(Int.self, forKey: .contextCount)
        attentionMomentum = try c.decodeIfPresent(Float.self, forKey: .attentionMomentum)
    }
}
