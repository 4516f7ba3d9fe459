import Foundation
import MesaCore

/// Random Fourier series on `[−L, L]`, the Bayesian-prism setting of Panwar, Ahuja & Goyal 2024
/// ("In-Context Learning through the Bayesian Prism", ICLR 2024):
///
///     f(x) = c · (a₀ + Σₙ₌₁ᴺ (aₙ cos(nπx/L) + bₙ sin(nπx/L))) + ε,   x ~ U[−L, L],
///
/// with `a₀, aₙ, bₙ ~ N(0, 1)`, `ε ~ N(0, σ²)` and one-dimensional inputs. `L` is ``halfRange``.
///
/// - Frequencies: with ``minimumFrequency`` equal to ``maximumFrequency`` every task has `N` =
///   ``maximumFrequency``; otherwise each task draws `N` uniformly from
///   `minimumFrequency...maximumFrequency` (the paper's mixture over maximum frequencies, which it
///   uses to study simplicity bias).
/// - Normalisation: by default `c = 1` (raw `N(0, 1)` coefficients), so `Var f(x) = N + 1` at
///   every `x` and higher-frequency tasks have larger outputs. With `normalizesVariance`,
///   `c = 1/√(N + 1)`, so `Var f(x) = 1` whatever `N` is.
public struct FourierSeriesTasks: TaskDistribution {
    /// The smallest number `N` of frequencies a task can have.
    public let minimumFrequency: Int
    /// The largest number `N` of frequencies a task can have.
    public let maximumFrequency: Int
    /// The half-period `L`: the series has period `2L` and inputs are drawn from `U[−L, L]`.
    public let halfRange: Float
    /// The noise standard deviation `σ`.
    public let noise: Float
    /// Whether coefficients are scaled by `1/√(N + 1)` so that `Var f(x) = 1`.
    public let normalizesVariance: Bool

    /// Always 1.
    public var inputDimension: Int { 1 }
    /// Always ``TaskKind/regression``.
    public var kind: TaskKind { .regression }
    /// For example `"Fourier series (N = 1...10, L = 5)"`.
    public var name: String {
        let frequencies = minimumFrequency == maximumFrequency ? "\(maximumFrequency)" : "\(minimumFrequency)...\(maximumFrequency)"
        return "Fourier series (N = \(frequencies), L = \(halfRange)\(noise > 0 ? ", σ = \(noise)" : "")\(normalizesVariance ? ", normalised" : ""))"
    }

    /// Creates the distribution.
    ///
    /// - Parameters:
    ///   - maximumFrequency: the largest `N`.
    ///   - minimumFrequency: the smallest `N`; `nil` (the default) means `maximumFrequency`, a single frequency count.
    ///   - halfRange: `L`, 5 in the paper.
    ///   - noise: `σ`.
    ///   - normalizesVariance: scale coefficients by `1/√(N + 1)`.
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for `maximumFrequency < 1`, a
    ///   `minimumFrequency` outside `1...maximumFrequency`, a non-positive `halfRange` or a negative noise.
    public init(maximumFrequency: Int, minimumFrequency: Int? = nil, halfRange: Float = 5, noise: Float = 0,
                normalizesVariance: Bool = false) throws {
        let context = "Fourier series"
        guard maximumFrequency >= 1 else {
            throw InContextError.invalidConfiguration("\(context): maximumFrequency must be ≥ 1, got \(maximumFrequency)")
        }
        let minimum = minimumFrequency ?? maximumFrequency
        guard (1...maximumFrequency).contains(minimum) else {
            throw InContextError.invalidConfiguration(
                "\(context): minimumFrequency must be in 1...\(maximumFrequency) (the maximum frequency), got \(minimum)")
        }
        guard halfRange > 0, halfRange.isFinite else {
            throw InContextError.invalidConfiguration("\(context): halfRange must be positive and finite, got \(halfRange)")
        }
        try validateNoise(noise, in: context)
        self.minimumFrequency = minimum
        self.maximumFrequency = maximumFrequency
        self.halfRange = halfRange
        self.noise = noise
        self.normalizesVariance = normalizesVariance
    }

    /// Draws `N` (only when the range holds more than one value), then `a₀`, then `(aₙ, bₙ)` for `n = 1…N`.
    public func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction {
        let frequencyCount = minimumFrequency == maximumFrequency
            ? maximumFrequency
            : minimumFrequency + generator.nextIndex(below: maximumFrequency - minimumFrequency + 1)
        let scale = normalizesVariance ? 1 / Float(frequencyCount + 1).squareRoot() : 1
        let constant = scale * generator.nextNormal()
        var cosines: [Float] = [], sines: [Float] = []
        for _ in 0..<frequencyCount {
            cosines.append(scale * generator.nextNormal())
            sines.append(scale * generator.nextNormal())
        }
        return FourierSeriesFunction(halfRange: halfRange, constant: constant, cosineCoefficients: cosines,
                                     sineCoefficients: sines, noise: noise)
    }

    /// Inputs `x ~ U[−L, L]`.
    public func sampleInputs(count: Int, for task: any TaskFunction, using generator: inout RandomGenerator) -> [Float] {
        (0..<count).map { _ in generator.nextUniform(from: -halfRange, to: halfRange) }
    }
}

/// `f(x) = a₀ + Σₙ (aₙ cos(nπx/L) + bₙ sin(nπx/L)) + ε`: one task of ``FourierSeriesTasks``
/// (coefficients already scaled).
public struct FourierSeriesFunction: TaskFunction {
    /// The half-period `L`.
    public var halfRange: Float
    /// The constant term `a₀`.
    public var constant: Float
    /// `a₁ … a_N`.
    public var cosineCoefficients: [Float]
    /// `b₁ … b_N`.
    public var sineCoefficients: [Float]
    /// The noise standard deviation `σ`.
    public var noise: Float

    /// Creates the series; both coefficient arrays must have the same length `N`.
    public init(halfRange: Float, constant: Float, cosineCoefficients: [Float], sineCoefficients: [Float], noise: Float = 0) {
        precondition(cosineCoefficients.count == sineCoefficients.count,
                     "FourierSeriesFunction: \(cosineCoefficients.count) cosine and \(sineCoefficients.count) sine coefficients")
        self.halfRange = halfRange
        self.constant = constant
        self.cosineCoefficients = cosineCoefficients
        self.sineCoefficients = sineCoefficients
        self.noise = noise
    }

    /// The series at `count` scalar inputs, plus noise from `generator`.
    public func targets(for inputs: [Float], count: Int, using generator: inout RandomGenerator) -> [Float] {
        (0..<count).map { point in
            // The angles are computed in Double: nπx/L reaches ~30 rad for N = 10.
            let angle = Double.pi * Double(inputs[point]) / Double(halfRange)
            var sum = Double(constant)
            for index in cosineCoefficients.indices {
                let frequency = Double(index + 1)
                sum += Double(cosineCoefficients[index]) * cos(frequency * angle) + Double(sineCoefficients[index]) * sin(frequency * angle)
            }
            let value = Float(sum)
            return noise > 0 ? value + noise * generator.nextNormal() : value
        }
    }
}

extension FourierSeriesTasks: ConfigurableTaskDistribution {
    /// The distribution of a ``TaskConfiguration`` of this family.
    public init(configuration c: TaskConfiguration) throws {
        try self.init(maximumFrequency: c.maximumFrequency, minimumFrequency: c.minimumFrequency, noise: c.noise)
    }
}
