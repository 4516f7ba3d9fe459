import MesaCore

/// Inverted dropout (Srivastava et al. 2014): while training, zeroes each element with
/// probability `p` and scales the survivors by `1 / (1 − p)`, so the expected output equals
/// the input; outside training (or when `p = 0`) it is the identity.
///
/// Shapes: any → the same shape. The layer owns its random stream (a ``RandomGenerator``), so
/// a network built from the same seed drops the same elements on every run. It starts in
/// training mode, as PyTorch's modules do; ``Module/setTraining(_:)`` switches a whole network.
///
/// ```swift
/// let dropout = Dropout(probability: 0.1, seed: 7)
/// let y = dropout(x)          // random mask
/// network.setTraining(false)  // every Dropout inside becomes the identity
/// ```
public final class Dropout: Layer, TrainingModeSettable {
    /// The probability `p` of zeroing an element, in `[0, 1]`.
    public let probability: Float
    /// Whether elements are dropped (`true`) or passed through unchanged (`false`).
    public var isTraining = true
    /// The random stream the masks are drawn from.
    public var generator: RandomGenerator

    /// Creates a dropout layer with its own stream seeded by `seed`.
    public convenience init(probability: Float, seed: UInt64 = 0) {
        self.init(probability: probability, generator: RandomGenerator(seed: seed))
    }

    /// Creates a dropout layer whose stream is split off `generator` (see ``RandomGenerator/split()``).
    public convenience init(probability: Float, using generator: inout RandomGenerator) {
        self.init(probability: probability, generator: generator.split())
    }

    /// Creates a dropout layer drawing its masks from `generator`.
    public init(probability: Float, generator: RandomGenerator) {
        precondition((0...1).contains(probability), "Dropout: probability \(probability) is outside [0, 1]")
        self.probability = probability
        self.generator = generator
    }

    /// `x ⊙ m / (1 − p)` with `m ~ Bernoulli(1 − p)` elementwise while training; `x` otherwise.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard isTraining, probability > 0 else { return input }
        if probability == 1 { return input * 0 }
        let keep = 1 - probability
        let mask = Tensor.randomBernoulli(input.shape, probability: keep, using: &generator)
        return input * (mask / keep)
    }
}
