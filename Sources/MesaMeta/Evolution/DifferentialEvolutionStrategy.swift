/// How differential evolution builds a trial vector: the parameterised form of MetaDE (Chen, Feng
/// & Cheng 2025, *MetaDE: Evolving Differential Evolution by Differential Evolution*, its "PDE"),
/// which covers the classic strategies.
///
/// For target `xᵢ` with scale factor `F`: base `b = p + F (s − p)` from a primary and a secondary
/// base vector, mutant `v = b + F Σₖ (x_{r₂ₖ₋₁} − x̃_{r₂ₖ})` over `differenceCount` random
/// differences (`x̃` from the population or, with an archive, from population ∪ archive), then a
/// crossover with `xᵢ` at rate `CR`.
///
/// - DE/rand/1/bin (Storn & Price 1997): primary = secondary = random, one difference, binomial.
/// - DE/current-to-pbest/1/bin (JADE): primary current, secondary a random one of the best `100p %`.
public struct DifferentialEvolutionStrategy: Sendable, Equatable, Codable, CustomStringConvertible {
    /// A base vector.
    public enum BaseVector: Int, Sendable, Codable, CaseIterable {
        /// A random member other than the target.
        case random
        /// The best member.
        case best
        /// A random member of the best `100p %` (`p` = ``DifferentialEvolution/Configuration/greedyFraction``).
        case pBest
        /// The target itself.
        case current
    }

    /// How the mutant and the target are combined.
    public enum Crossover: Int, Sendable, Codable, CaseIterable {
        /// Each coordinate from the mutant with probability `CR`, one random coordinate always.
        case binomial
        /// A run of consecutive coordinates (cyclic) from a random start, extended while `u < CR`.
        case exponential
        /// `u = x + CR (v − x)`.
        case arithmetic
    }

    /// The primary base vector `p`.
    public var primaryBase: BaseVector
    /// The secondary base vector `s`.
    public var secondaryBase: BaseVector
    /// The number of difference vectors (1–4).
    public var differenceCount: Int
    /// The crossover.
    public var crossover: Crossover

    /// A strategy.
    public init(primaryBase: BaseVector, secondaryBase: BaseVector, differenceCount: Int, crossover: Crossover) {
        self.primaryBase = primaryBase
        self.secondaryBase = secondaryBase
        self.differenceCount = differenceCount
        self.crossover = crossover
    }

    /// DE/rand/1/bin.
    public static let rand1Binomial = DifferentialEvolutionStrategy(primaryBase: .random, secondaryBase: .random, differenceCount: 1, crossover: .binomial)
    /// DE/current-to-pbest/1/bin.
    public static let currentToPBest1Binomial = DifferentialEvolutionStrategy(primaryBase: .current, secondaryBase: .pBest, differenceCount: 1, crossover: .binomial)

    /// E.g. `current→pBest/1/binomial`.
    public var description: String {
        let base = primaryBase == secondaryBase ? "\(primaryBase)" : "\(primaryBase)→\(secondaryBase)"
        return "\(base)/\(differenceCount)/\(crossover)"
    }
}
