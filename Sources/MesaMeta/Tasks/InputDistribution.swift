import MesaCore

/// The distribution of each input coordinate, independent across coordinates.
public enum InputDistribution: Equatable, Sendable, Codable {
    /// `xⱼ ~ N(0, σ²)`.
    case normal(standardDeviation: Float)
    /// `xⱼ ~ U[low, high)` (von Oswald et al. 2023 use `U(−0.5, 0.5)`; Finn et al. `U(−5, 5)`).
    case uniform(low: Float, high: Float)

    /// The standard normal, `N(0, 1)`.
    public static let standardNormal = InputDistribution.normal(standardDeviation: 1)

    /// Draws `count` values.
    public func sample(count: Int, using generator: inout RandomGenerator) -> [Float] {
        switch self {
        case .normal(let standardDeviation):
            return (0..<count).map { _ in standardDeviation * generator.nextNormal() }
        case .uniform(let low, let high):
            return (0..<count).map { _ in low + (high - low) * generator.nextUniform() }
        }
    }

    /// The second moment `E[xⱼ²]`.
    public var secondMoment: Float {
        switch self {
        case .normal(let standardDeviation): return standardDeviation * standardDeviation
        case .uniform(let low, let high): return (low * low + low * high + high * high) / 3
        }
    }
}
