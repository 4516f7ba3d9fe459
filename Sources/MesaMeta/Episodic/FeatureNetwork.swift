import MesaCore
import MesaNN

/// An MLP whose output also goes through the activation: a feature extractor (ANIL's body,
/// the Prototypical Network's embedding).
public final class FeatureNetwork: Layer {
    /// The layers.
    public let network: MLP

    /// Creates `sizes.count − 1` layers with the activation after every one.
    public init(sizes: [Int], activation: Activation, using generator: inout RandomGenerator) {
        network = MLP(sizes: sizes, activation: activation, using: &generator)
    }

    /// `activation(MLP(x))`.
    public func callAsFunction(_ input: Tensor) -> Tensor { network.activation(network(input)) }
}
