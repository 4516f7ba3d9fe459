import MesaCore

/// A fully connected layer `y = x Wᵀ + b`.
///
/// Shapes: input `[…, inputSize]` → output `[…, outputSize]`; `weight` is `[outputSize, inputSize]`
/// (PyTorch's layout, so checkpoints interoperate), `bias` `[outputSize]`. Initialised as
/// PyTorch does: `U(−1/√inputSize, 1/√inputSize)` for both (He et al. 2015's Kaiming-uniform
/// with `a = √5`).
public final class Linear: Layer {
    /// The weight matrix `[outputSize, inputSize]`.
    public let weight: Parameter
    /// The bias `[outputSize]`, if any.
    public let bias: Parameter?

    /// The number of input features.
    public var inputSize: Int { weight.shape[1] }
    /// The number of output features.
    public var outputSize: Int { weight.shape[0] }

    /// Creates a layer with freshly initialised parameters.
    public init(inputSize: Int, outputSize: Int, bias: Bool = true, using generator: inout RandomGenerator) {
        let bound = 1 / Float(max(inputSize, 1)).squareRoot()
        weight = Parameter(.randomUniform([outputSize, inputSize], low: -bound, high: bound, using: &generator))
        self.bias = bias ? Parameter(.randomUniform([outputSize], low: -bound, high: bound, using: &generator)) : nil
    }

    /// Creates a layer from given values (`weight` `[out, in]`, `bias` `[out]`).
    public init(weight: Tensor, bias: Tensor?) {
        self.weight = Parameter(weight)
        self.bias = bias.map(Parameter.init)
    }

    /// `x Wᵀ + b` (``Tensor/linear(_:weight:bias:)``).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        Tensor.linear(input, weight: weight.value, bias: bias?.value)
    }
}
