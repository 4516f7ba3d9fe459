import MesaCore

/// A lookup table from whole-number indices to learned vectors (PyTorch's `nn.Embedding`).
///
/// Shapes: `weight` is `[count, dimension]`; indices of shape `S` → output `S + [dimension]`,
/// e.g. token ids `[batch, sequence]` → `[batch, sequence, dimension]`. Row `i` of the output
/// is row `indices[i]` of `weight`, and the gradient adds back into the rows looked up
/// (repeated indices accumulate). Initialised as PyTorch does: `N(0, 1)`.
///
/// ```swift
/// let embedding = Embedding(count: 100, dimension: 16, using: &generator)
/// let vectors = embedding([3, 1, 4])   // [3, 16]
/// ```
public final class Embedding: Layer {
    /// The table `[count, dimension]`, one row per index.
    public let weight: Parameter

    /// The number of rows (valid indices are `0..<count`).
    public var count: Int { weight.shape[0] }
    /// The length of each vector.
    public var dimension: Int { weight.shape[1] }

    /// Creates a table with rows drawn from `N(0, 1)`.
    public init(count: Int, dimension: Int, using generator: inout RandomGenerator) {
        weight = Parameter(.randomNormal([count, dimension], using: &generator))
    }

    /// Creates a table from a given `[count, dimension]` tensor.
    public init(weight: Tensor) {
        self.weight = Parameter(weight)
    }

    /// The rows at `indices`: `[indices.count, dimension]`.
    ///
    /// An index outside `0..<count` reports ``TensorError/Kind/indexOutOfRange``.
    public func callAsFunction(_ indices: [Int]) -> Tensor {
        weight.value.indexSelect(alongAxis: 0, indices: indices)
    }

    /// The rows at the whole-number `indices` of any shape `S`: `S + [dimension]`.
    ///
    /// An element that is not a whole number in `0..<count` (including NaN) reports
    /// ``TensorError/Kind/indexOutOfRange``. The indices receive no gradient.
    public func callAsFunction(_ indices: Tensor) -> Tensor {
        // `Int(Float)` traps on NaN and huge values, so invalid entries become -1, which
        // indexSelect reports as out of range.
        let whole = indices.scalars.map { value -> Int in
            value.rounded() == value && value >= 0 && value < Float(count) ? Int(value) : -1
        }
        return self(whole).reshaped(to: indices.shape + [dimension])
    }
}
