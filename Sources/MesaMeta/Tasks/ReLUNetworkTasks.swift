import MesaCore

/// Random two-layer ReLU networks (Garg et al. 2022, §5):
/// `f(x) = Σᵢ₌₁ʳ αᵢ ReLU(wᵢᵀx) + ε` with `wᵢ ~ N(0, I_d)`, `αᵢ ~ N(0, 2/r)`, `r` = ``hiddenSize``,
/// `ε ~ N(0, σ²)`, and inputs `x ~ N(0, I_d)`.
///
/// The `2/r` output scale is Garg et al.'s: it makes `E[f(x)²] = d` for `x ~ N(0, I_d)` (since
/// `E_w[ReLU(wᵀx)²] = ‖x‖²/2`), the same scale as a linear task with `w ~ N(0, I_d)`.
public struct ReLUNetworkTasks: TaskDistribution {
    /// The width `d` of each input.
    public let inputDimension: Int
    /// The number `r` of hidden units.
    public let hiddenSize: Int
    /// The noise standard deviation `σ`.
    public let noise: Float

    /// Always ``TaskKind/regression``.
    public var kind: TaskKind { .regression }
    /// For example `"ReLU network (d = 20, r = 100)"`.
    public var name: String {
        "ReLU network (d = \(inputDimension), r = \(hiddenSize)\(noise > 0 ? ", σ = \(noise)" : ""))"
    }

    /// Creates the distribution.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for a non-positive dimension or
    ///   hidden size, or a negative noise.
    public init(inputDimension: Int, hiddenSize: Int = 100, noise: Float = 0) throws {
        let context = "ReLU network"
        try validateInputDimension(inputDimension, in: context)
        guard hiddenSize > 0 else {
            throw InContextError.invalidConfiguration("\(context): hiddenSize must be positive, got \(hiddenSize)")
        }
        try validateNoise(noise, in: context)
        self.inputDimension = inputDimension
        self.hiddenSize = hiddenSize
        self.noise = noise
    }

    /// Draws `W` `[r, d]` (row by row), then `α` `[r]`.
    public func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction {
        let hiddenWeights = (0..<(hiddenSize * inputDimension)).map { _ in generator.nextNormal() }
        let outputScale = (2 / Float(hiddenSize)).squareRoot()
        let outputWeights = (0..<hiddenSize).map { _ in outputScale * generator.nextNormal() }
        return ReLUNetworkFunction(hiddenWeights: hiddenWeights, outputWeights: outputWeights, noise: noise)
    }
}

/// `f(x) = Σᵢ αᵢ ReLU(wᵢᵀx) + ε`, `ε ~ N(0, σ²)`: one task of ``ReLUNetworkTasks``.
public struct ReLUNetworkFunction: TaskFunction {
    /// The hidden weights `W`, row-major `[r, d]` (row `i` is `wᵢ`).
    public var hiddenWeights: [Float]
    /// The output weights `α` `[r]`.
    public var outputWeights: [Float]
    /// The noise standard deviation `σ`.
    public var noise: Float

    /// The input width `d`.
    public var inputDimension: Int { outputWeights.isEmpty ? 0 : hiddenWeights.count / outputWeights.count }

    /// Creates the function; `hiddenWeights.count` must be a multiple of `outputWeights.count`.
    public init(hiddenWeights: [Float], outputWeights: [Float], noise: Float = 0) {
        precondition(!outputWeights.isEmpty && hiddenWeights.count % outputWeights.count == 0,
                     "ReLUNetworkFunction: \(hiddenWeights.count) hidden weights do not fill \(outputWeights.count) rows")
        self.hiddenWeights = hiddenWeights
        self.outputWeights = outputWeights
        self.noise = noise
    }

    /// The network's outputs at `count` inputs `[count, d]`, plus noise from `generator`.
    public func targets(for inputs: [Float], count: Int, using generator: inout RandomGenerator) -> [Float] {
        let d = inputDimension
        return (0..<count).map { point in
            var output: Float = 0
            for unit in outputWeights.indices {
                var preactivation: Float = 0
                for coordinate in 0..<d { preactivation += hiddenWeights[unit * d + coordinate] * inputs[point * d + coordinate] }
                output += outputWeights[unit] * max(preactivation, 0)
            }
            return noise > 0 ? output + noise * generator.nextNormal() : output
        }
    }
}

extension ReLUNetworkTasks: ConfigurableTaskDistribution {
    /// The distribution of a ``TaskConfiguration`` of this family.
    public init(configuration c: TaskConfiguration) throws {
        try self.init(inputDimension: c.inputDimension, hiddenSize: c.hiddenSize, noise: c.noise)
    }
}
