import MesaCore

/// Sparse linear regression (Garg et al. 2022, "What Can Transformers Learn In-Context? A Case
/// Study of Simple Function Classes", §5): `y = wᵀx + ε` where `w` has exactly `k` non-zero
/// coordinates, at a support drawn uniformly among the `C(d, k)` subsets of `0..<d`, with values
/// `N(0, 1)`; `x` is drawn coordinate-wise from ``inputs`` (`N(0, I_d)` by default), `ε ~ N(0, σ²)`.
///
/// With `σ = 0` and enough points, the Lasso (or basis pursuit) recovers `w` from far fewer than
/// `d` points, which is the baseline Garg et al. compare against.
///
/// ```swift
/// let tasks = try SparseLinearRegressionTasks(inputDimension: 20, nonZeroCount: 3)
/// ```
public struct SparseLinearRegressionTasks: TaskDistribution {
    /// The width `d` of each input.
    public let inputDimension: Int
    /// The number `k` of non-zero weights of each task.
    public let nonZeroCount: Int
    /// The noise standard deviation `σ`.
    public let noise: Float
    /// The distribution of each input coordinate.
    public let inputs: InputDistribution

    /// Always ``TaskKind/regression``.
    public var kind: TaskKind { .regression }
    /// For example `"sparse linear regression (d = 20, k = 3)"`.
    public var name: String {
        "sparse linear regression (d = \(inputDimension), k = \(nonZeroCount)\(noise > 0 ? ", σ = \(noise)" : ""))"
    }

    /// Creates the distribution.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for a non-positive dimension, a
    ///   `nonZeroCount` outside `1...inputDimension`, a negative noise or an improper input distribution.
    public init(inputDimension: Int, nonZeroCount: Int, noise: Float = 0, inputs: InputDistribution = .standardNormal) throws {
        let context = "sparse linear regression"
        try validateInputDimension(inputDimension, in: context)
        guard (1...inputDimension).contains(nonZeroCount) else {
            throw InContextError.invalidConfiguration(
                "\(context): nonZeroCount must be in 1...\(inputDimension) (the input dimension), got \(nonZeroCount)")
        }
        try validateNoise(noise, in: context)
        try inputs.validate(in: context)
        self.inputDimension = inputDimension
        self.nonZeroCount = nonZeroCount
        self.noise = noise
        self.inputs = inputs
    }

    /// Draws the support (the first `k` entries of a uniform random permutation), then its values.
    public func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction {
        let support = Tensor.randomPermutation(inputDimension, using: &generator).prefix(nonZeroCount).sorted()
        var weights = [Float](repeating: 0, count: inputDimension)
        for coordinate in support { weights[coordinate] = generator.nextNormal() }
        return LinearFunction(weights: weights, noise: noise)
    }

    /// Inputs drawn coordinate-wise from ``inputs``.
    public func sampleInputs(count: Int, for task: any TaskFunction, using generator: inout RandomGenerator) -> [Float] {
        inputs.sample(count: count * inputDimension, using: &generator)
    }
}

extension SparseLinearRegressionTasks: ConfigurableTaskDistribution {
    /// The distribution of a ``TaskConfiguration`` of this family.
    public init(configuration c: TaskConfiguration) throws {
        try self.init(inputDimension: c.inputDimension, nonZeroCount: c.nonZeroCount, noise: c.noise, inputs: c.inputs ?? .standardNormal)
    }
}
