import MesaCore

/// A multilayer perceptron: ``Linear`` layers with an ``Activation`` between them (none after
/// the last).
///
/// `sizes = [input, hidden₁, …, output]` gives `sizes.count − 1` layers; layer `i` maps
/// `sizes[i]` to `sizes[i + 1]` features. Shapes: input `[…, sizes.first]` → output
/// `[…, sizes.last]`. Parameters are named `layers.0.weight`, `layers.0.bias`, `layers.1.weight`, ….
///
/// ```swift
/// let network = MLP(sizes: [2, 32, 32, 1], activation: .tanh, using: &generator)
/// let y = network(x)   // [batch, 2] → [batch, 1]
/// ```
public final class MLP: Layer {
    /// The linear layers, first to last.
    public let layers: [Linear]
    /// The nonlinearity applied after every layer but the last.
    public let activation: Activation

    /// Creates the layers with PyTorch's default ``Linear`` initialisation.
    ///
    /// - Parameter sizes: the feature counts `[input, hidden…, output]`; at least two.
    public init(sizes: [Int], activation: Activation = .relu, bias: Bool = true, using generator: inout RandomGenerator) {
        precondition(sizes.count >= 2, "MLP: sizes \(sizes) need at least an input and an output size")
        var layers: [Linear] = []
        for (inputSize, outputSize) in zip(sizes, sizes.dropFirst()) {
            layers.append(Linear(inputSize: inputSize, outputSize: outputSize, bias: bias, using: &generator))
        }
        self.layers = layers
        self.activation = activation
    }

    /// Creates a perceptron from existing layers.
    public init(layers: [Linear], activation: Activation = .relu) {
        precondition(!layers.isEmpty, "MLP: needs at least one layer")
        self.layers = layers
        self.activation = activation
    }

    /// The feature counts `[input, hidden…, output]`.
    public var sizes: [Int] { [layers[0].inputSize] + layers.map(\.outputSize) }

    /// Applies the layers in order, with the activation between consecutive ones.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        var x = input
        for (index, layer) in layers.enumerated() {
            x = layer(x)
            if index < layers.count - 1 { x = activation(x) }
        }
        return x
    }
}
