import MesaCore

/// Layer normalisation over the last axis (Ba, Kiros & Hinton 2016), PyTorch's `nn.LayerNorm`.
///
/// `y = (x − μ) / √(σ² + ε) ⊙ γ + β`, with `μ` and `σ²` the mean and biased variance of each
/// row of the last axis. Shapes: input `[…, featureCount]` → the same shape; the gain `γ` and
/// bias `β` are `[featureCount]`, named `weight` and `bias` as in PyTorch so checkpoints
/// interoperate. Initialised as PyTorch does: `γ = 1`, `β = 0` (no randomness, so no generator).
public final class LayerNorm: Layer {
    /// The gain `γ` `[featureCount]` (PyTorch's `weight`).
    public let weight: Parameter
    /// The bias `β` `[featureCount]`.
    public let bias: Parameter
    /// The `ε` added to the variance for numerical stability.
    public let epsilon: Float

    /// The size of the normalised (last) axis.
    public var featureCount: Int { weight.shape[0] }

    /// Creates a layer with unit gain and zero bias.
    public init(featureCount: Int, epsilon: Float = 1e-5) {
        weight = Parameter(.ones([featureCount]))
        bias = Parameter(.zeros([featureCount]))
        self.epsilon = epsilon
    }

    /// Creates a layer from a given gain and bias, both `[featureCount]`.
    public init(weight: Tensor, bias: Tensor, epsilon: Float = 1e-5) {
        self.weight = Parameter(weight)
        self.bias = Parameter(bias)
        self.epsilon = epsilon
    }

    /// Normalises each row of the last axis, then scales and shifts it.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        input.layerNormalized(gain: weight.value, bias: bias.value, epsilon: epsilon)
    }
}
