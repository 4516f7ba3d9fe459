import MesaCore

/// Noisy linear regression (Garg et al. 2022, §3): `y = wᵀx + ε` with `w ~ N(0, τ² I_d)`,
/// `x` drawn coordinate-wise from ``inputs`` (`N(0, I_d)` by default), `ε ~ N(0, σ²)`.
///
/// With `σ = 0` the Bayes-optimal predictor is minimum-norm least squares; with `σ > 0` it is
/// ridge regression with penalty `σ²/τ²` (the posterior mean of `w`).
public struct LinearRegressionTasks: TaskDistribution {
    public let inputDimension: Int
    /// The noise standard deviation `σ`.
    public let noise: Float
    /// The prior standard deviation `τ` of each weight.
    public let weightScale: Float
    /// The distribution of each input coordinate.
    public let inputs: InputDistribution

    public var kind: TaskKind { .regression }
    public var name: String { "linear regression (d = \(inputDimension)\(noise > 0 ? ", σ = \(noise)" : ""))" }

    /// Creates the distribution.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for a non-positive dimension or
    ///   weight scale, or a negative noise.
    public init(inputDimension: Int, noise: Float = 0, weightScale: Float = 1, inputs: InputDistribution = .standardNormal) throws {
        guard inputDimension > 0 else { throw InContextError.invalidConfiguration("linear regression: inputDimension must be positive, got \(inputDimension)") }
        guard noise >= 0, noise.isFinite, weightScale > 0, weightScale.isFinite else {
            throw InContextError.invalidConfiguration("linear regression: noise must be ≥ 0 and weightScale > 0, got σ = \(noise), τ = \(weightScale)")
        }
        self.inputDimension = inputDimension
        self.noise = noise
        self.weightScale = weightScale
        self.inputs = inputs
    }

    public func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction {
        LinearFunction(weights: (0..<inputDimension).map { _ in weightScale * generator.nextNormal() }, noise: noise)
    }

    public func sampleInputs(count: Int, for task: any TaskFunction, using generator: inout RandomGenerator) -> [Float] {
        inputs.sample(count: count * inputDimension, using: &generator)
    }
}

/// `y = wᵀx + ε`, `ε ~ N(0, σ²)`: one task of ``LinearRegressionTasks`` (and of other linear families).
public struct LinearFunction: TaskFunction {
    /// The weights `w` `[d]`.
    public var weights: [Float]
    /// The noise standard deviation `σ`.
    public var noise: Float

    /// Creates the function.
    public init(weights: [Float], noise: Float = 0) {
        self.weights = weights
        self.noise = noise
    }

    public func targets(for inputs: [Float], count: Int, using generator: inout RandomGenerator) -> [Float] {
        let d = weights.count
        return (0..<count).map { point in
            var sum: Float = 0
            for coordinate in 0..<d { sum += weights[coordinate] * inputs[point * d + coordinate] }
            return noise > 0 ? sum + noise * generator.nextNormal() : sum
        }
    }
}

extension LinearRegressionTasks: ConfigurableTaskDistribution {
    /// The distribution of a ``TaskConfiguration`` of this family.
    public init(configuration c: TaskConfiguration) throws {
        try self.init(inputDimension: c.inputDimension, noise: c.noise, weightScale: c.weightScale, inputs: c.inputs ?? .standardNormal)
    }
}
