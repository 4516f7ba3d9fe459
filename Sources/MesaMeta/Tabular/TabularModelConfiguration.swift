import Foundation
import MesaCore
import MesaNN

/// The sizes of a ``TabularTransformer`` (stored in its checkpoints).
public struct TabularModelConfiguration: Codable, Sendable, Equatable {
    /// Classification or regression.
    public var kind = TabularTaskKind.classification
    /// The width of the row tokens.
    public var modelSize = 128
    /// Transformer layers.
    public var layerCount = 4
    /// Attention heads.
    public var headCount = 4
    /// The feed-forward width.
    public var feedForwardSize = 256
    /// The input width: features per row, zero-padded.
    public var maximumFeatures = 100
    /// The most classes (classification).
    public var maximumClasses = 10
    /// Regression: bins of the predictive distribution over standardised targets.
    public var binCount = 64
    /// Regression: the bins cover `[−binRange, binRange]` (targets standardised on the training rows).
    public var binRange: Float = 4
    /// A per-cell front end (``TabularCellEmbedding``) whose output is added to each row's token;
    /// `nil` (the default, and every model before it): row tokens only.
    public var cells: TabularCellConfiguration?

    /// The defaults for `kind`.
    public init(kind: TabularTaskKind = .classification) { self.kind = kind }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, modelSize, layerCount, headCount, feedForwardSize, maximumFeatures, maximumClasses, binCount, binRange, cells
    }

    /// Decodes with defaults for absent fields; unknown fields are an error.
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "model")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.value(.kind, default: .classification)
        let d = TabularModelConfiguration(kind: kind)
        modelSize = try c.value(.modelSize, default: d.modelSize)
        layerCount = try c.value(.layerCount, default: d.layerCount)
        headCount = try c.value(.headCount, default: d.headCount)
        feedForwardSize = try c.value(.feedForwardSize, default: d.feedForwardSize)
        maximumFeatures = try c.value(.maximumFeatures, default: d.maximumFeatures)
        maximumClasses = try c.value(.maximumClasses, default: d.maximumClasses)
        binCount = try c.value(.binCount, default: d.binCount)
        binRange = try c.value(.binRange, default: d.binRange)
        cells = try c.decodeIfPresent(TabularCellConfiguration.self, forKey: .cells)
    }

    /// The number of outputs per row: classes, or bins.
    public var outputCount: Int { kind == .classification ? maximumClasses : binCount }
}
