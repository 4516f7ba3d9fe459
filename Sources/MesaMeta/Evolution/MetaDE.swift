import Foundation
import MesaCore

/// MetaDE (Chen, Feng & Cheng 2025, *MetaDE: Evolving Differential Evolution by Differential
/// Evolution*, IEEE TEVC): a meta-level DE evolves the parameters and strategy of lower-level DEs
/// that run on the problem itself; a configuration's fitness is the best value its lower-level run
/// finds.
///
/// A configuration is the paper's six-number vector `θ = (F, CR, p, s, k, c)` in
/// `[0, 1] × [0, 1] × [0, 4) × [0, 4) × [1, 5) × [0, 3)`, decoded (``strategy(for:)``) into the scale
/// factor, the crossover rate, the primary and secondary base vectors (`⌊p⌋`, `⌊s⌋` ∈ random, best,
/// pBest, current), the number of differences `⌊k⌋` ∈ 1…4 and the crossover `⌊c⌋` ∈ binomial,
/// exponential, arithmetic (``DifferentialEvolutionStrategy``).
///
/// Each meta generation runs all ``Configuration/metaPopulationSize`` lower-level DEs in lockstep
/// for ``Configuration/lowerGenerations`` generations from fresh random populations; `ask` returns
/// all their members at once (the lower level vectorised over the meta population, as the paper
/// runs it on a GPU; here a batch for `--parallel`). The lower run of configuration `m` in meta
/// generation `g` is seeded by `(seed, g, m)` alone, so it can be replayed
/// (``lowerLevel(parameters:metaGeneration:member:)``). The meta level is DE/rand/1/bin with
/// `F = 0.5`, `CR = 0.9`.
///
/// **Power-up.** The paper ends with the best configuration run once more with five times the
/// steps. Here, after ``Configuration/metaGenerations`` meta generations (if set), the best
/// configuration's DE runs on by itself (seeded like member 0 of the next meta generation) for as
/// long as the caller keeps asking: the rest of the budget.
public struct MetaDE: AskTellOptimizer, Sendable {
    /// The sizes of the two levels.
    public struct Configuration: Sendable, Equatable, Codable {
        /// Configurations per meta generation (the meta DE's population).
        public var metaPopulationSize: Int
        /// The population of each lower-level DE.
        public var lowerPopulationSize: Int
        /// Generations of each lower-level run after its initial population.
        public var lowerGenerations: Int
        /// Meta generations before the power-up run (nil: meta generations forever).
        public var metaGenerations: Int?

        /// A configuration.
        public init(metaPopulationSize: Int = 10, lowerPopulationSize: Int = 20, lowerGenerations: Int = 30, metaGenerations: Int? = nil) {
            self.metaPopulationSize = metaPopulationSize
            self.lowerPopulationSize = lowerPopulationSize
            self.lowerGenerations = lowerGenerations
            self.metaGenerations = metaGenerations
        }

        /// The evaluations of one meta generation: `M · P · (G + 1)`.
        public var evaluationsPerMetaGeneration: Int { metaPopulationSize * lowerPopulationSize * (lowerGenerations + 1) }
    }

    /// The lower corner of `θ`'s box.
    public static let parameterLowerBounds: [Double] = [0, 0, 0, 0, 1, 0]
    /// The upper corner of `θ`'s box (exclusive for the four discrete entries).
    public static let parameterUpperBounds: [Double] = [1, 1, 4, 4, 5, 3]

    public let dimension: Int
    /// The settings.
    public let configuration: Configuration
    /// The meta-level DE over `θ`.
    public private(set) var meta: DifferentialEvolution
    /// The configurations being evaluated.
    public private(set) var configurations: [[Double]] = []
    /// The best configuration so far and the value its lower run reached.
    public private(set) var bestConfiguration: (parameters: [Double], value: Double)?
    public private(set) var bestPoint: [Double]?
    public private(set) var bestValue = Double.infinity
    /// The number of completed meta generations.
    public private(set) var metaGeneration = 0
    /// The power-up run of the best configuration, once it has started.
    public private(set) var powerUp: DifferentialEvolution?

    let lowerBounds: [Double]
    let upperBounds: [Double]
    let seed: UInt64
    var lower: [DifferentialEvolution] = []
    var lowerStep = 0
    var pendingCounts: [Int] = []

    /// MetaDE over the box `[lowerBounds, upperBounds]`.
    ///
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` for an empty or inverted box, a meta
    ///   population below 4, a lower population below 10 (four differences need it) or no lower generations.
    public init(lowerBounds: [Double], upperBounds: [Double], configuration: Configuration = Configuration(), seed: UInt64) throws {
        guard configuration.metaPopulationSize >= 4 else {
            throw EvolutionError.invalidConfiguration("the MetaDE meta population must be at least 4, got \(configuration.metaPopulationSize)")
        }
        guard configuration.lowerPopulationSize >= 10 else {
            throw EvolutionError.invalidConfiguration("the MetaDE lower-level population must be at least 10 (four difference vectors need it), got \(configuration.lowerPopulationSize)")
        }
        guard configuration.lowerGenerations >= 1 else {
            throw EvolutionError.invalidConfiguration("MetaDE needs at least one lower-level generation, got \(configuration.lowerGenerations)")
        }
        guard !lowerBounds.isEmpty, lowerBounds.count == upperBounds.count, zip(lowerBounds, upperBounds).allSatisfy({ $0 < $1 }) else {
            throw EvolutionError.invalidConfiguration("MetaDE needs a box with lower bounds below upper bounds in every coordinate")
        }
        dimension = lowerBounds.count
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        self.configuration = configuration
        self.seed = seed
        meta = try DifferentialEvolution(lowerBounds: Self.parameterLowerBounds, upperBounds: Self.parameterUpperBounds.map { $0 - 1e-9 },
                                         configuration: .classic(populationSize: configuration.metaPopulationSize), seed: seed)
    }

    /// The lower-level strategy, `F` and `CR` encoded by `θ` (see the type).
    public static func strategy(for parameters: [Double]) -> (strategy: DifferentialEvolutionStrategy, scaleFactor: Double, crossoverRate: Double) {
        func pick(_ value: Double, _ count: Int, offset: Int = 0) -> Int { Swift.min(count - 1, Swift.max(0, Int(value.rounded(.down)) - offset)) }
        let strategy = DifferentialEvolutionStrategy(
            primaryBase: DifferentialEvolutionStrategy.BaseVector(rawValue: pick(parameters[2], 4))!,
            secondaryBase: DifferentialEvolutionStrategy.BaseVector(rawValue: pick(parameters[3], 4))!,
            differenceCount: pick(parameters[4], 4, offset: 1) + 1,
            crossover: DifferentialEvolutionStrategy.Crossover(rawValue: pick(parameters[5], 3))!)
        return (strategy, Swift.min(1, Swift.max(1e-3, parameters[0])), Swift.min(1, Swift.max(0, parameters[1])))
    }

    /// The lower-level DE that configuration `member` of meta generation `metaGeneration` runs
    /// with parameters `θ`; the same arguments give the same run.
    public func lowerLevel(parameters: [Double], metaGeneration: Int, member: Int) throws -> DifferentialEvolution {
        let decoded = Self.strategy(for: parameters)
        let settings = DifferentialEvolution.Configuration(populationSize: configuration.lowerPopulationSize, strategy: decoded.strategy,
                                                           scaleFactor: decoded.scaleFactor, crossoverRate: decoded.crossoverRate)
        var mixer = RandomGenerator(seed: seed ^ (UInt64(metaGeneration) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(member + 1) &* 0xBF58_476D_1CE4_E5B9))
        return try DifferentialEvolution(lowerBounds: lowerBounds, upperBounds: upperBounds, configuration: settings, seed: mixer.next())
    }

    /// All lower-level members or trials of the current step, configuration by configuration.
    public mutating func ask() -> [[Double]] {
        if let limit = configuration.metaGenerations, metaGeneration >= limit, let best = bestConfiguration {
            if powerUp == nil { powerUp = try! lowerLevel(parameters: best.parameters, metaGeneration: metaGeneration, member: 0) }
            let points = powerUp!.ask()
            pendingCounts = [points.count]
            return points
        }
        if lower.isEmpty {
            configurations = meta.ask()
            // The configurations come from validated boxes, so building their DEs cannot fail.
            lower = configurations.enumerated().map { member, parameters in
                try! lowerLevel(parameters: parameters, metaGeneration: metaGeneration, member: member)
            }
            lowerStep = 0
        }
        var points: [[Double]] = []
        pendingCounts = []
        for index in lower.indices {
            let batch = lower[index].ask()
            pendingCounts.append(batch.count)
            points += batch
        }
        return points
    }

    /// Tells each lower-level DE its values; after the last lower generation, tells the meta DE
    /// each configuration's best value.
    public mutating func tell(_ points: [[Double]], values: [Double]) throws {
        try validateTell(points, values, expected: pendingCounts.reduce(0, +), dimension: dimension)
        if powerUp != nil {
            try powerUp!.tell(points, values: values)
            for (point, value) in zip(points, values) where value < bestValue { bestValue = value; bestPoint = point }
            return
        }
        var start = 0
        for index in lower.indices {
            let range = start..<(start + pendingCounts[index])
            try lower[index].tell(Array(points[range]), values: Array(values[range]))
            start = range.upperBound
        }
        for (point, value) in zip(points, values) where value < bestValue { bestValue = value; bestPoint = point }
        lowerStep += 1
        guard lowerStep > configuration.lowerGenerations else { return }
        let fitness = lower.map(\.bestValue)
        for (parameters, value) in zip(configurations, fitness) where value < (bestConfiguration?.value ?? .infinity) {
            bestConfiguration = (parameters, value)
        }
        try meta.tell(configurations, values: fitness)
        lower = []
        metaGeneration += 1
    }
}
