import MesaCore

/// The induced set attention block of the Set Transformer (Lee et al. 2019):
/// `ISAB(X) = MAB(X, H)` with `H = MAB(I, X)`, where `I` holds `m` learned inducing points. A set of
/// `n` elements is summarised into `m` vectors and then read back, so the cost is `O(n·m)`
/// instead of self-attention's `O(n²)`.
///
/// As in TabICL's column embedding (Qu et al. 2025), the summary may read only a prefix of the
/// set (`contextCount`): `H = MAB(I, X[:contextCount])`, so that, for a column of a table,
/// statistics come from the labelled rows only and every row's output depends on the labelled
/// rows and on itself, never on the other unlabelled rows.
///
/// Shapes: `[batch, n, modelSize]` → the same.
public final class InducedSetAttentionBlock: Module {
    /// The inducing points `I`, `[m, modelSize]`.
    public let inducingPoints: Parameter
    /// `H = MAB(I, X)`.
    public let summarise: CrossAttentionBlock
    /// `MAB(X, H)`.
    public let broadcast: CrossAttentionBlock

    /// Creates a freshly initialised block with `inducingPointCount` inducing points.
    public init(modelSize: Int, headCount: Int, inducingPointCount: Int, feedForwardSize: Int, using generator: inout RandomGenerator) {
        inducingPoints = Parameter(.randomNormal([inducingPointCount, modelSize], standardDeviation: 1 / Float(modelSize).squareRoot(),
                                                 using: &generator))
        summarise = CrossAttentionBlock(modelSize: modelSize, headCount: headCount, feedForwardSize: feedForwardSize, using: &generator)
        broadcast = CrossAttentionBlock(modelSize: modelSize, headCount: headCount, feedForwardSize: feedForwardSize, using: &generator)
    }

    /// `ISAB(X)`, the summary reading the first `contextCount` elements of each set (all when `nil`).
    public func callAsFunction(_ input: Tensor, contextCount: Int? = nil) -> Tensor {
        let count = input.shape[input.rank - 2]
        let context = contextCount.map { input.slice(alongAxis: input.rank - 2, from: 0, to: $0) } ?? input
        var shape = input.shape
        shape[input.rank - 2] = inducingPoints.shape[0]
        precondition(contextCount.map { $0 >= 1 && $0 <= count } ?? true, "InducedSetAttentionBlock: context of \(contextCount!) out of \(count)")
        let summary = summarise(inducingPoints.value.broadcast(to: shape), context: context)
        return broadcast(input, context: summary)
    }
}
