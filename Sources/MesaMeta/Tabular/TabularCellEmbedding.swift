import Foundation
import MesaCore
import MesaNN

/// A per-cell front end for a ``TabularTransformer``: attention down each column and then
/// across each row's cells, read into one vector per row that is added to the row's token (the
/// column embedding and row interaction of TabICL, Qu et al. 2025, sized for a CPU).
///
/// For a table of `N` rows (`T` labelled, first) and `F` features:
/// 1. **Cells.** Cell `x_ij` becomes `e_ij = w·x_ij + b + p_j + ℓ_i`, where `p_j` is a learned
///    vector of feature position `j` and `ℓ_i` the embedding of row `i`'s label (classification)
///    or `w_y·y_i` (regression) for a labelled row, zero otherwise.
/// 2. **Columns.** Each column's cells pass through an ``InducedSetAttentionBlock`` whose summary
///    reads the labelled rows only, so a cell learns its column's distribution and its relation
///    to the target.
/// 3. **Rows.** Each row's `F` cells, followed by `S` learned summary tokens, pass through a
///    pre-LayerNorm Transformer encoder across features; the summary tokens' outputs,
///    concatenated (`S·d_c`), are projected to the model's width by ``output``.
///
/// ``output`` starts at zero, so a model given a front end starts as the same function as the
/// model without one (``TabularTransformer/grown(to:seed:)``). An unlabelled row's vector depends
/// on that row and on the labelled rows only, as the row transformer's masking requires.
public final class TabularCellEmbedding: Module {
    /// The sizes.
    public let configuration: TabularCellConfiguration
    /// `x_ij → w·x_ij + b`.
    public let valueEncoder: Linear
    /// Feature position `j → p_j`.
    public let featurePositions: Embedding
    /// Class → cell offset (classification).
    public let labelEmbedding: Embedding?
    /// Target → cell offset (regression).
    public let targetEncoder: Linear?
    /// Attention down each column (summary from the labelled rows).
    public let columns: InducedSetAttentionBlock
    /// The summary tokens appended to each row's cells, `[S, d_c]`.
    public let summaryTokens: Parameter
    /// Attention across each row's cells.
    public let rows: TransformerEncoder
    /// Summary tokens `[S·d_c]` → row-token offset `[modelSize]`; zero at creation.
    public let output: Linear

    /// Creates a freshly initialised front end for a model of sizes `model`.
    public init(configuration c: TabularCellConfiguration, model: TabularModelConfiguration, using generator: inout RandomGenerator) {
        configuration = c
        valueEncoder = Linear(inputSize: 1, outputSize: c.size, using: &generator)
        featurePositions = Embedding(count: model.maximumFeatures, dimension: c.size, using: &generator)
        labelEmbedding = model.kind == .classification ? Embedding(count: model.maximumClasses, dimension: c.size, using: &generator) : nil
        targetEncoder = model.kind == .regression ? Linear(inputSize: 1, outputSize: c.size, using: &generator) : nil
        columns = InducedSetAttentionBlock(modelSize: c.size, headCount: c.headCount, inducingPointCount: c.inducingPoints,
                                           feedForwardSize: 2 * c.size, using: &generator)
        summaryTokens = Parameter(.randomNormal([c.summaryTokens, c.size], standardDeviation: 1 / Float(c.size).squareRoot(), using: &generator))
        rows = TransformerEncoder(layerCount: c.rowLayers, modelSize: c.size, headCount: c.headCount, feedForwardSize: 2 * c.size,
                                  activation: .gelu, placement: .pre, finalNorm: true, using: &generator)
        output = Linear(weight: .zeros([model.modelSize, c.summaryTokens * c.size]), bias: .zeros([model.modelSize]))
    }

    /// The row-token offsets of a batch of tables.
    ///
    /// - Parameters:
    ///   - features: padded features `[batch, rows, maximumFeatures]` as ``TabularTransformer/paddedFeatures(_:rows:featureCount:)``
    ///     makes them (labelled rows first); the padding scale is undone here.
    ///   - featureCounts: each table's feature count.
    ///   - trainTargets: the labelled rows' classes or standardised targets, `batch × trainCount` values.
    ///   - trainCount: labelled rows per table.
    /// - Returns: `[batch, rows, modelSize]`.
    public func callAsFunction(features: Tensor, featureCounts: [Int], trainTargets: [Float], trainCount: Int) -> Tensor {
        let (batch, rowCount, width) = (features.shape[0], features.shape[1], features.shape[2])
        precondition(featureCounts.count == batch && featureCounts.allSatisfy { $0 >= 1 && $0 <= width },
                     "TabularCellEmbedding: \(featureCounts.count) feature counts for \(batch) tables of at most \(width) features")
        let values = features.scalars, d = configuration.size, summaryCount = configuration.summaryTokens
        let offsets = (0..<batch).map { b -> Tensor in
            let count = featureCounts[b], unscale = 1 / (Float(width) / Float(count)).squareRoot()
            var column = [Float](repeating: 0, count: count * rowCount)                       // [F, N], column-major cells
            for i in 0..<rowCount {
                for j in 0..<count { column[j * rowCount + i] = values[(b * rowCount + i) * width + j] * unscale }
            }
            let targets = Array(trainTargets[(b * trainCount)..<((b + 1) * trainCount)])
            let labels: Tensor = labelEmbedding.map { $0(targets.map { Int($0) }) }
                ?? targetEncoder!(Tensor(shape: [trainCount, 1], scalars: targets))            // [T, d]
            let rowOffsets = Tensor.concatenate([labels, .zeros([rowCount - trainCount, d])], alongAxis: 0)
            var cells = valueEncoder(Tensor(shape: [count, rowCount, 1], scalars: column))        // [F, N, d]
            cells = cells + featurePositions(Array(0..<count)).reshaped(to: [count, 1, d]) + rowOffsets.reshaped(to: [1, rowCount, d])
            cells = columns(cells, contextCount: trainCount)
            let summary = summaryTokens.value.reshaped(to: [1, summaryCount, d]).broadcast(to: [rowCount, summaryCount, d])
            let sequence = Tensor.concatenate([cells.permuted([1, 0, 2]), summary], alongAxis: 1)   // [N, F + S, d]
            return output(rows(sequence, lastPositions: summaryCount).reshaped(to: [rowCount, summaryCount * d]))
        }
        return Tensor.stack(offsets, alongAxis: 0)
    }
}
