import Foundation
import MesaCore

/// Gaussian-process regression tasks: `f ~ GP(0, k)` with the RBF (squared-exponential) kernel
///
///     k(x, x′) = s² exp(−‖x − x′‖² / (2ℓ²)),
///
/// observed as `y = f(x) + ε`, `ε ~ N(0, σ²)`, with `x` drawn coordinate-wise from ``inputs``
/// (Rasmussen & Williams 2006, "Gaussian Processes for Machine Learning", §2.2 and appendix A.2;
/// the GP prior used to study in-context learning as Bayesian inference, e.g. by Müller et al.
/// 2022, "Transformers Can Do Bayesian Inference"). `s²` is ``signalVariance``, `ℓ` ``lengthScale``.
///
/// **Sampling.** A function drawn from a GP has no finite description, so a task is sampled
/// exactly and *jointly at the inputs it is given*: for inputs `x₁…xₙ` the task forms
/// `K = [k(xᵢ, xⱼ)] + δ·I`, factors `K = L Lᵀ` (Cholesky, in `Double`) and returns
/// `f = L z` with `z ~ N(0, I_n)`. The jitter `δ` is `10⁻⁸ s²`, raised a hundredfold at a time (up
/// to `10⁻² s²`) only when rounding makes the factorisation fail, e.g. for repeated inputs; it adds
/// at most that much variance to each value.
///
/// **What a task fixes.** A task holds the seed of its `z`, not a function: evaluated twice at
/// the same inputs it gives the same values, and at a prefix of those inputs the values of that
/// prefix (`L` is lower triangular; barring a jitter increase), but at other inputs its values
/// are a fresh joint draw, unrelated to the earlier ones. A finite ``TaskPool`` of GP tasks
/// therefore fixes the random draws `z`, not the functions. The noise `ε` comes from the
/// caller's generator.
public struct GaussianProcessTasks: TaskDistribution {
    /// The width `d` of each input.
    public let inputDimension: Int
    /// The kernel's length scale `ℓ`.
    public let lengthScale: Float
    /// The kernel's signal variance `s²` (the prior variance of each `f(x)`).
    public let signalVariance: Float
    /// The noise standard deviation `σ`.
    public let noise: Float
    /// The distribution of each input coordinate.
    public let inputs: InputDistribution

    /// Always ``TaskKind/regression``.
    public var kind: TaskKind { .regression }
    /// For example `"Gaussian process (d = 1, ℓ = 0.5, s² = 1)"`.
    public var name: String {
        "Gaussian process (d = \(inputDimension), ℓ = \(lengthScale), s² = \(signalVariance)\(noise > 0 ? ", σ = \(noise)" : ""))"
    }

    /// Creates the distribution.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for a non-positive dimension, length
    ///   scale or signal variance, a negative noise or an improper input distribution.
    public init(inputDimension: Int, lengthScale: Float, signalVariance: Float = 1, noise: Float = 0,
                inputs: InputDistribution = .standardNormal) throws {
        let context = "Gaussian process"
        try validateInputDimension(inputDimension, in: context)
        guard lengthScale > 0, lengthScale.isFinite else {
            throw InContextError.invalidConfiguration("\(context): lengthScale must be positive and finite, got \(lengthScale)")
        }
        guard signalVariance > 0, signalVariance.isFinite else {
            throw InContextError.invalidConfiguration("\(context): signalVariance must be positive and finite, got \(signalVariance)")
        }
        try validateNoise(noise, in: context)
        try inputs.validate(in: context)
        self.inputDimension = inputDimension
        self.lengthScale = lengthScale
        self.signalVariance = signalVariance
        self.noise = noise
        self.inputs = inputs
    }

    /// Draws the seed of the task's standard-normal vector `z` (one generator output).
    public func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction {
        GaussianProcessFunction(inputDimension: inputDimension, lengthScale: lengthScale, signalVariance: signalVariance,
                                noise: noise, seed: generator.next())
    }

    /// Inputs drawn coordinate-wise from ``inputs``.
    public func sampleInputs(count: Int, for task: any TaskFunction, using generator: inout RandomGenerator) -> [Float] {
        inputs.sample(count: count * inputDimension, using: &generator)
    }
}

/// One task of ``GaussianProcessTasks``: a joint draw `f = L z` of the GP at the inputs it is
/// given, where `L Lᵀ = K + δI` and `z` comes from a generator seeded with ``seed``.
public struct GaussianProcessFunction: TaskFunction {
    /// The width `d` of each input.
    public var inputDimension: Int
    /// The kernel's length scale `ℓ`.
    public var lengthScale: Float
    /// The kernel's signal variance `s²`.
    public var signalVariance: Float
    /// The noise standard deviation `σ`.
    public var noise: Float
    /// The seed of the standard-normal vector `z`.
    public var seed: UInt64

    /// The first jitter tried, relative to `s²`.
    public static let relativeJitter: Double = 1e-8
    /// How many jitters are tried: `10⁻⁸ s²`, `10⁻⁶ s²`, `10⁻⁴ s²`, `10⁻² s²`.
    public static let jitterAttempts = 4

    /// Creates the task.
    public init(inputDimension: Int, lengthScale: Float, signalVariance: Float, noise: Float = 0, seed: UInt64) {
        self.inputDimension = inputDimension
        self.lengthScale = lengthScale
        self.signalVariance = signalVariance
        self.noise = noise
        self.seed = seed
    }

    /// The kernel `k(x, x′) = s² exp(−‖x − x′‖² / (2ℓ²))` between inputs `i` and `j` of `inputs` `[n, d]`.
    public func kernel(_ inputs: [Float], _ i: Int, _ j: Int) -> Double {
        let d = inputDimension
        var squaredDistance = 0.0
        for coordinate in 0..<d {
            let difference = Double(inputs[i * d + coordinate]) - Double(inputs[j * d + coordinate])
            squaredDistance += difference * difference
        }
        let length = Double(lengthScale)
        return Double(signalVariance) * exp(-squaredDistance / (2 * length * length))
    }

    /// The lower Cholesky factor of `K + δI` at `count` inputs `[count, d]`, row-major `[count, count]`,
    /// with the smallest jitter `δ` (see ``GaussianProcessTasks``) for which the factorisation succeeds.
    public func choleskyFactor(for inputs: [Float], count: Int) -> [Double] {
        var covariance = [Double](repeating: 0, count: count * count)
        for i in 0..<count {
            for j in 0...i {
                let value = kernel(inputs, i, j)
                covariance[i * count + j] = value
                covariance[j * count + i] = value
            }
        }
        // K + δI is positive definite in exact arithmetic for any δ > 0; only rounding can make
        // a pivot non-positive, so a larger jitter always ends the loop.
        var jitter = Self.relativeJitter * Double(signalVariance)
        for _ in 0..<Self.jitterAttempts - 1 {
            if let factor = CholeskyFactor.strict(matrix: covariance, size: count, diagonalShift: jitter) { return factor.lowerTriangle }
            jitter *= 100
        }
        guard let factor = CholeskyFactor.strict(matrix: covariance, size: count, diagonalShift: jitter)?.lowerTriangle else {
            preconditionFailure("GaussianProcessFunction: the kernel matrix stays singular with jitter \(jitter)")
        }
        return factor
    }

    /// The GP's values at `count` inputs `[count, d]`, jointly drawn, plus noise from `generator`.
    public func targets(for inputs: [Float], count: Int, using generator: inout RandomGenerator) -> [Float] {
        guard count > 0 else { return [] }
        let factor = choleskyFactor(for: inputs, count: count)
        var standardNormals = RandomGenerator(seed: seed)
        let z = (0..<count).map { _ in Double(standardNormals.nextNormal()) }
        return (0..<count).map { i in
            var value = 0.0
            for j in 0...i { value += factor[i * count + j] * z[j] }
            return noise > 0 ? Float(value) + noise * generator.nextNormal() : Float(value)
        }
    }
}

extension GaussianProcessTasks: ConfigurableTaskDistribution {
    /// The distribution of a ``TaskConfiguration`` of this family.
    public init(configuration c: TaskConfiguration) throws {
        try self.init(inputDimension: c.inputDimension, lengthScale: c.lengthScale, signalVariance: c.signalVariance, noise: c.noise,
                      inputs: c.inputs ?? .standardNormal)
    }
}
