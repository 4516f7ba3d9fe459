import Foundation
import MesaCore

/// The sizes of a ``TabularCellEmbedding``, the per-cell front end of a ``TabularTransformer``
/// (the `cells` section of a model's configuration; absent: a model of row tokens only).
public struct TabularCellConfiguration: Codable, Sendable, Equatable {
    /// The width of a cell's vector (`d_c`).
    public var size = 32
    /// Attention heads of the column and row stages.
    public var headCount = 2
    /// Inducing points of each column's set attention block.
    public var inducingPoints = 16
    /// Transformer layers across a row's cells.
    public var rowLayers = 2
    /// Learned summary (CLS) tokens a row's cells are read into.
    public var summaryTokens = 2

    /// The defaults: TabICL's design (Qu et al. 2025) sized for a CPU.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case size, headCount, inducingPoints, rowLayers, summaryTokens
    }

    /// Decodes with defaults for absent fields; unknown fields are an error.
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "model.cells")
        let c = try decoder.container(keyedBy: CodingKeys.self), d = TabularCellConfiguration()
        size = try c.value(.size, default: d.size)
        headCount = try c.value(.headCount, default: d.headCount)
        inducingPoints = try c.value(.inducingPoints, default: d.inducingPoints)
        rowLayers = try c.value(.rowLayers, default: d.rowLayers)
        summaryTokens = try c.value(.summaryTokens, default: d.summaryTokens)
    }

    /// What is wrong with these sizes, or `nil`.
    public var problem: String? {
        guard size >= 1, headCount >= 1, inducingPoints >= 1, rowLayers >= 1, summaryTokens >= 1 else {
            return "model.cells: size, headCount, inducingPoints, rowLayers and summaryTokens must each be at least 1"
        }
        guard size % headCount == 0 else { return "model.cells: size \(size) is not a multiple of headCount \(headCount)" }
        return nil
    }
}
