import MesaCore

/// An elementwise nonlinearity, chosen by name (so configurations can store it).
///
/// | case       | formula                                   |
/// |------------|-------------------------------------------|
/// | `relu`     | `max(x, 0)`                               |
/// | `gelu`     | `x · Φ(x)`, the exact (erf) form, PyTorch's default (Hendrycks & Gimpel 2016) |
/// | `tanh`     | `tanh(x)`                                 |
/// | `sigmoid`  | `1 / (1 + e⁻ˣ)`                           |
/// | `identity` | `x`                                       |
///
/// Shapes: any → the same shape.
///
/// ```swift
/// let activation = Activation.gelu
/// let y = activation(x)
/// ```
public enum Activation: String, ConfigurationChoice {
    /// Rectified linear unit `max(x, 0)`.
    case relu
    /// Gaussian error linear unit `x · Φ(x)` (exact form).
    case gelu
    /// Hyperbolic tangent.
    case tanh
    /// Logistic sigmoid.
    case sigmoid
    /// No nonlinearity.
    case identity

    /// Applies the nonlinearity elementwise.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        switch self {
        case .relu: input.relu()
        case .gelu: input.gelu()
        case .tanh: input.tanh()
        case .sigmoid: input.sigmoid()
        case .identity: input
        }
    }
}
