import Foundation
import MesaCore
import MesaNN

/// A prior-data fitted network for tables (Müller et al. 2022; Hollmann et al. 2023, TabPFN):
/// every row is a token, labelled rows carry their label, and one forward pass predicts the
/// unlabelled rows.
///
/// A row's token is `W_x · pad(x) · √(F_max / F)` (features zero-padded to ``TabularModelConfiguration/maximumFeatures``
/// and rescaled so tables of any width give tokens of similar size), plus, for a labelled row,
/// an embedding of its class (classification) or `w_y · y` (regression). A pre-LayerNorm
/// Transformer encoder then lets **every row attend to the labelled rows only**: labelled rows
/// to each other, unlabelled rows to the labelled ones and never to each other. With no
/// positional encoding, predictions are invariant to the order of the labelled rows and do not
/// depend on which or how many other rows are predicted with them. A linear head gives class
/// logits, or logits over ``TabularModelConfiguration/binCount`` bins of the standardised
/// target (a piecewise-constant predictive density, as TabPFN's regression head).
public final class TabularTransformer: Module {
    /// The sizes.
    public let configuration: TabularModelConfiguration
    /// Features → token.
    public let featureEncoder: Linear
    /// Class → token offset (classification).
    public let labelEmbedding: Embedding?
    /// Target → token offset (regression).
    public let targetEncoder: Linear?
    /// The row-attention layers.
    public let encoder: TransformerEncoder
    /// Token → class or bin logits.
    public let head: Linear
    /// The per-cell front end, when ``TabularModelConfiguration/cells`` is set.
    public let cells: TabularCellEmbedding?

    /// Creates a freshly initialised model.
    public init(configuration c: TabularModelConfiguration, using generator: inout RandomGenerator) {
        configuration = c
        featureEncoder = Linear(inputSize: c.maximumFeatures, outputSize: c.modelSize, using: &generator)
        labelEmbedding = c.kind == .classification ? Embedding(count: c.maximumClasses, dimension: c.modelSize, using: &generator) : nil
        targetEncoder = c.kind == .regression ? Linear(inputSize: 1, outputSize: c.modelSize, using: &generator) : nil
        encoder = TransformerEncoder(layerCount: c.layerCount, modelSize: c.modelSize, headCount: c.headCount,
                                     feedForwardSize: c.feedForwardSize, activation: .gelu, placement: .pre, finalNorm: true,
                                     using: &generator)
        head = Linear(inputSize: c.modelSize, outputSize: c.outputCount, using: &generator)
        cells = c.cells.map { TabularCellEmbedding(configuration: $0, model: c, using: &generator) }
    }

    /// Pads row-major `[rows, featureCount]` features to `[rows, maximumFeatures]`, scaled by
    /// `√(maximumFeatures / featureCount)`.
    public func paddedFeatures(_ features: [Float], rows: Int, featureCount: Int) -> [Float] {
        let width = configuration.maximumFeatures
        precondition(featureCount <= width, "TabularTransformer: \(featureCount) features exceed the model's \(width)")
        let scale = (Float(width) / Float(Swift.max(featureCount, 1))).squareRoot()
        var padded = [Float](repeating: 0, count: rows * width)
        for row in 0..<rows {
            for j in 0..<featureCount { padded[row * width + j] = features[row * featureCount + j] * scale }
        }
        return padded
    }

    /// The logits of the unlabelled rows.
    ///
    /// - Parameters:
    ///   - features: padded features `[batch, rows, maximumFeatures]`, labelled rows first.
    ///   - trainTargets: the labelled rows' classes or standardised targets, `batch × trainCount` values.
    ///   - trainCount: the number of labelled rows per table.
    ///   - featureCounts: each table's feature count before padding; required by a model with
    ///     ``cells``, ignored by one without.
    /// - Returns: `[batch, rows − trainCount, outputCount]`.
    public func logits(features: Tensor, trainTargets: [Float], trainCount: Int, featureCounts: [Int]? = nil) -> Tensor {
        // In inference the last block computes the unlabelled rows only.
        head(encoded(features: features, trainTargets: trainTargets, trainCount: trainCount, featureCounts: featureCounts,
                     lastPositions: features.shape[1] - trainCount))
    }

    /// The encoder's output for every row, labelled rows first: the representation
    /// ``logits(features:trainTargets:trainCount:)`` reads its head from, and that other heads
    /// (``NAPPolicy``'s acquisition and value) read too.
    ///
    /// - Returns: `[batch, rows, modelSize]`, or its last `lastPositions` rows when given (in
    /// inference the final block then computes those rows alone).
    public func encoded(features: Tensor, trainTargets: [Float], trainCount: Int, featureCounts: [Int]? = nil,
                        lastPositions: Int? = nil) -> Tensor {
        let (batch, rows, d) = (features.shape[0], features.shape[1], configuration.modelSize)
        precondition(trainTargets.count == batch * trainCount && trainCount >= 1 && trainCount < rows,
                     "TabularTransformer: \(trainTargets.count) targets for \(batch) tables of \(trainCount) labelled rows out of \(rows)")
        var tokens = featureEncoder(features)                                                   // [B, N, d]
        if let cells {
            guard let featureCounts else { preconditionFailure("TabularTransformer: a model with cells needs each table's feature count") }
            tokens = tokens + cells(features: features, featureCounts: featureCounts, trainTargets: trainTargets, trainCount: trainCount)
        }
        let labelled: Tensor
        if let labelEmbedding {
            labelled = labelEmbedding(trainTargets.map { Int($0) }).reshaped(to: [batch, trainCount, d])
        } else {
            labelled = targetEncoder!(Tensor(shape: [batch, trainCount, 1], scalars: trainTargets))
        }
        let offsets = Tensor.concatenate([labelled, Tensor.zeros([batch, rows - trainCount, d])], alongAxis: 1)
        // Every row attends to the labelled rows only: mask [rows, rows], 1 at keys < trainCount.
        var mask = [Float](repeating: 0, count: rows * rows)
        for query in 0..<rows { for key in 0..<trainCount { mask[query * rows + key] = 1 } }
        let input = tokens + offsets, attention = AttentionMask.custom(Tensor(shape: [rows, rows], scalars: mask))
        return lastPositions.map { encoder(input, mask: attention, lastPositions: $0) } ?? encoder(input, mask: attention)
    }

    /// The centres of the regression bins.
    public var binCenters: [Float] {
        let c = configuration, width = 2 * c.binRange / Float(c.binCount)
        return (0..<c.binCount).map { -c.binRange + (Float($0) + 0.5) * width }
    }

    /// The bin of a standardised target (clamped to the end bins).
    public func bin(of value: Float) -> Int {
        let c = configuration
        let position = Int(((value + c.binRange) / (2 * c.binRange) * Float(c.binCount)).rounded(.down))
        return Swift.min(Swift.max(position, 0), c.binCount - 1)
    }

    /// The training loss of a batch: cross-entropy of the unlabelled rows' classes (logits of
    /// classes a table does not have are masked out) or target bins.
    public func loss(features: Tensor, targets: [Float], trainCount: Int, classCounts: [Int], featureCounts: [Int]? = nil) -> Tensor {
        let (batch, rows) = (features.shape[0], features.shape[1])
        let trainTargets = (0..<batch).flatMap { b in targets[(b * rows)..<(b * rows + trainCount)] }
        var logits = self.logits(features: features, trainTargets: trainTargets, trainCount: trainCount, featureCounts: featureCounts)
        let testCount = rows - trainCount, outputs = configuration.outputCount
        var labels: [Int] = []
        for b in 0..<batch {
            for i in trainCount..<rows { labels.append(configuration.kind == .classification ? Int(targets[b * rows + i]) : bin(of: targets[b * rows + i])) }
        }
        if configuration.kind == .classification {
            var penalty = [Float](repeating: 0, count: batch * outputs)
            for b in 0..<batch { for c in classCounts[b]..<outputs { penalty[b * outputs + c] = -1e4 } }
            logits = logits + Tensor(shape: [batch, 1, outputs], scalars: penalty)
        }
        return Tensor.crossEntropy(logits: logits.reshaped(to: [batch * testCount, outputs]), labels: labels)
    }
}
