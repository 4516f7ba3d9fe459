import Foundation
import MesaCore

/// MetaDE (Chen, Feng & Cheng 2025, *MetaDE: Evolving Differential Evolution by Differential
/// Evolution*, IEEE TEVC): a meta-level DE evolves the parameters and strategy of the lower-level
/// DE that runs on the problem itself, judging each configuration by the progress it makes there.
///
/// A configuration is the paper's six-number vector `θ = (F, CR, p, s, k, c)` in
/// `[0, 1] × [0, 1] × [0, 4) × [0, 4) × [1, 5) × [0, 3)`, decoded (``strategy(for:)``) into the scale
/// factor, the crossover rate, the primary and secondary base vectors (`⌊p⌋`, `⌊s⌋` ∈ random, best,
/// pBest, current), the number of differences `⌊k⌋` ∈ 1…4 and the crossover `⌊c⌋` ∈ binomial,
/// exponential, arithmetic (``DifferentialEvolutionStrategy``). The meta level is DE/rand/1/bin
/// with `F = 0.5`, `CR = 0.9`. Two departures from the paper's decoding: the best-member base is
/// read as pBest (a random one of the best 5 %), and arithmetic crossover as binomial. On a shared
/// population the improvement share favours configurations that pull members towards the elite
/// as a whole (elite bases with arithmetic crossover), the population collapses and
/// ill-conditioned functions are not followed (docs/evolution.md).
///
/// **One continuing lower population.** The paper judges every configuration by a fresh lower-level
/// run of its own; on a CPU budget that spends most evaluations on runs that are then thrown away,
/// and judges on short horizons. Here the lower level is one DE population of
/// ``Configuration/lowerPopulationSize`` members that lives for the whole run, and the
/// configurations of a meta generation share it:
///
/// 1. The first `ask` is the lower population's initial members, uniform in the box.
/// 2. A meta generation lasts ``Configuration/lowerGenerations`` lower generations. Its `B`
///    configurations are the meta DE's initial population (`B = M`) in meta generation 0, later
///    its `M` trials `u_m` followed by its `M` members `x_m` (`B = 2M`: the parents are judged
///    again, on the same generations as their trials). In every lower generation the members are
///    dealt at random to the configurations (`⌊NP/B⌋` or `⌈NP/B⌉` each) and each member's trial is
///    built with its configuration (``DifferentialEvolution/ask(settings:)``): the lower level
///    vectorised over the meta population, one batch for `--parallel`.
/// 3. Selection is DE's, member by member, so every evaluation can advance the population. A
///    configuration's score is its share of each generation's improvement `Σᵢ max(0, f(xᵢ) − f(uᵢ))`,
///    summed over the meta generation and divided by its number of trials; its meta fitness is the
///    score negated. The meta DE re-scores its members (``DifferentialEvolution/reassess(values:)``)
///    and selects between each trial and its parent.
///
/// The lower DE is seeded by `seed` alone and the dealing of members by its own generator, so a
/// lower-level DE from ``makeLowerLevel()`` asked with the same ``memberSettings`` replays the run.
///
/// **Power-up.** The paper ends with the best configuration run once more for longer. Here, after
/// ``Configuration/metaGenerations`` meta generations (if set), every member follows the best
/// configuration of the last meta generation for as long as the caller keeps asking: the rest of
/// the budget, continuing the same population. Its bases and crossover are kept with one
/// difference (``powerUpStrategy(for:)``, a third departure from the paper), and its `F` (scaled
/// by `√k`) and `CR` become the starting locations of JADE's adaptation (``JADEAdaptation``,
/// ``powerUpAdaptation``): each member draws its own pair every generation and the locations
/// follow the successful ones, so the long final run can follow a function whose needs change as
/// it converges.
public struct MetaDE: AskTellOptimizer, Sendable {
    /// The sizes of the two levels.
    public struct Configuration: Sendable, Equatable, Codable {
        /// `M`, the configurations of the meta DE's population.
        public var metaPopulationSize: Int
        /// `NP`, the members of the lower population.
        public var lowerPopulationSize: Int
        /// The lower generations of one meta generation.
        public var lowerGenerations: Int
        /// Meta generations before the power-up (nil: meta generations for the whole run).
        public var metaGenerations: Int?

        /// A configuration.
        public init(metaPopulationSize: Int = 5, lowerPopulationSize: Int = 20, lowerGenerations: Int = 20, metaGenerations: Int? = nil) {
            self.metaPopulationSize = metaPopulationSize
            self.lowerPopulationSize = lowerPopulationSize
            self.lowerGenerations = lowerGenerations
            self.metaGenerations = metaGenerations
        }

        /// The evaluations of one meta generation: `NP · G`.
        public var evaluationsPerMetaGeneration: Int { lowerPopulationSize * lowerGenerations }
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
    /// The lower-level DE: the one population, continued for the whole run.
    public private(set) var lower: DifferentialEvolution
    /// The configurations of the running meta generation: the meta DE's trials, then (after meta
    /// generation 0) its members.
    public private(set) var configurations: [[Double]] = []
    /// The settings of the pending lower generation, one per member (empty for the initial population).
    public private(set) var memberSettings: [DifferentialEvolution.TrialSetting] = []
    /// The configuration with the best score in the last completed meta generation, and its fitness
    /// (the negated score, see the type).
    public private(set) var bestConfiguration: (parameters: [Double], fitness: Double)?
    /// The number of completed meta generations.
    public private(set) var metaGeneration = 0
    /// The configuration every member follows once the power-up has started.
    public private(set) var powerUpConfiguration: [Double]?

    public var bestPoint: [Double]? { lower.bestPoint }
    public var bestValue: Double { lower.bestValue }

    let seed: UInt64
    var dealer: RandomGenerator
    /// For each member, the index of its configuration in the pending generation.
    var assignment: [Int] = []
    var lowerStep = 0
    var shares: [Double] = []
    var trialCounts: [Int] = []
    /// The power-up's adaptation of `F` and `CR` (nil before the power-up).
    public private(set) var powerUpAdaptation: JADEAdaptation?

    /// MetaDE over the box `[lowerBounds, upperBounds]`.
    ///
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` for an empty or inverted box, a meta
    ///   population below 4, a lower population below 10 (four differences need it) or below `2M`
    ///   (each configuration needs a member), or no lower generations.
    public init(lowerBounds: [Double], upperBounds: [Double], configuration: Configuration = Configuration(), seed: UInt64) throws {
        guard configuration.metaPopulationSize >= 4 else {
            throw EvolutionError.invalidConfiguration("the MetaDE meta population must be at least 4, got \(configuration.metaPopulationSize)")
        }
        guard configuration.lowerPopulationSize >= Swift.max(10, 2 * configuration.metaPopulationSize) else {
            throw EvolutionError.invalidConfiguration(
                "the MetaDE lower-level population must be at least 10 (four difference vectors need it) and twice the meta population \(configuration.metaPopulationSize), got \(configuration.lowerPopulationSize)")
        }
        guard configuration.lowerGenerations >= 1 else {
            throw EvolutionError.invalidConfiguration("MetaDE needs at least one lower-level generation per meta generation, got \(configuration.lowerGenerations)")
        }
        guard !lowerBounds.isEmpty, lowerBounds.count == upperBounds.count, zip(lowerBounds, upperBounds).allSatisfy({ $0 < $1 }) else {
            throw EvolutionError.invalidConfiguration("MetaDE needs a box with lower bounds below upper bounds in every coordinate")
        }
        dimension = lowerBounds.count
        self.configuration = configuration
        self.seed = seed
        meta = try DifferentialEvolution(lowerBounds: Self.parameterLowerBounds, upperBounds: Self.parameterUpperBounds.map { $0 - 1e-9 },
                                         configuration: .classic(populationSize: configuration.metaPopulationSize), seed: seed)
        lower = try DifferentialEvolution(lowerBounds: lowerBounds, upperBounds: upperBounds,
                                          configuration: .init(populationSize: configuration.lowerPopulationSize, strategy: .rand1Binomial, usesArchive: true),
                                          seed: Self.lowerSeed(seed))
        dealer = RandomGenerator(seed: seed ^ 0xBF58_476D_1CE4_E5B9)
    }

    /// The two classic configurations that start in the meta DE's initial population (the rest is
    /// uniform): DE/current-to-pBest/1/bin and DE/rand/1/bin, both with `F = 0.5`, `CR = 0.9`.
    public static let classicConfigurations: [[Double]] = [[0.5, 0.9, 3.5, 2.5, 1.5, 0.5], [0.5, 0.9, 0.5, 0.5, 1.5, 0.5]]

    static func lowerSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x9E37_79B9_7F4A_7C15 }

    /// The lower-level strategy, `F` and `CR` encoded by `θ` (see the type).
    public static func strategy(for parameters: [Double]) -> (strategy: DifferentialEvolutionStrategy, scaleFactor: Double, crossoverRate: Double) {
        func pick(_ value: Double, _ count: Int, offset: Int = 0) -> Int { Swift.min(count - 1, Swift.max(0, Int(value.rounded(.down)) - offset)) }
        let strategy = DifferentialEvolutionStrategy(
            primaryBase: base(pick(parameters[2], 4)),
            secondaryBase: base(pick(parameters[3], 4)),
            differenceCount: pick(parameters[4], 4, offset: 1) + 1,
            crossover: crossover(pick(parameters[5], 3)))
        return (strategy, Swift.min(1, Swift.max(1e-3, parameters[0])), Swift.min(1, Swift.max(0, parameters[1])))
    }

    /// The power-up's strategy and the starting locations of its adaptation for configuration
    /// `θ`: `θ`'s bases and crossover with **one** difference, `F` started at `min(1, F_θ √k)`
    /// and `CR` at `CR_θ`. A sum of `k` differences spreads the mutant `√k` times as far as one,
    /// so the start keeps the configuration's step; JADE's adaptation of `F` (the Lehmer mean of
    /// the successful ones) is made for one difference, and the meta level tends to pair 3–4
    /// differences with a small `F` (docs/evolution.md, "An eighth try").
    public static func powerUpStrategy(for parameters: [Double]) -> (strategy: DifferentialEvolutionStrategy, scaleFactor: Double, crossoverRate: Double) {
        var decoded = strategy(for: parameters)
        decoded.scaleFactor = Swift.min(1, decoded.scaleFactor * Double(decoded.strategy.differenceCount).squareRoot())
        decoded.strategy.differenceCount = 1
        return decoded
    }

    /// The base vector of index `⌊p⌋` or `⌊s⌋`: the paper's random, best, pBest, current, with best
    /// read as pBest (see the type: a configuration that pulls every member towards the single
    /// best point contracts the population).
    static func base(_ index: Int) -> DifferentialEvolutionStrategy.BaseVector {
        let base = DifferentialEvolutionStrategy.BaseVector(rawValue: index)!
        return base == .best ? .pBest : base
    }

    /// The crossover of index `⌊c⌋`: the paper's binomial, exponential, arithmetic, with arithmetic
    /// read as binomial (see the type: `u = x + CR (v − x)` moves a member towards its mutant as a
    /// whole, and with elite bases the population collapses).
    static func crossover(_ index: Int) -> DifferentialEvolutionStrategy.Crossover {
        let crossover = DifferentialEvolutionStrategy.Crossover(rawValue: index)!
        return crossover == .arithmetic ? .binomial : crossover
    }

    /// The lower generation's setting for configuration `θ`.
    public static func setting(for parameters: [Double]) -> DifferentialEvolution.TrialSetting {
        let decoded = strategy(for: parameters)
        return .init(strategy: decoded.strategy, scaleFactor: decoded.scaleFactor, crossoverRate: decoded.crossoverRate)
    }

    /// A fresh lower-level DE as this MetaDE starts it, seeded by the seed alone: asked with each
    /// generation's ``memberSettings`` and told the same values, it replays the lower level.
    public func makeLowerLevel() -> DifferentialEvolution {
        // Built from the configuration the initialiser has already validated.
        try! DifferentialEvolution(lowerBounds: lower.lowerBounds, upperBounds: lower.upperBounds, configuration: lower.configuration,
                                   seed: Self.lowerSeed(seed))
    }

    /// The initial population, then one trial per member (see the type).
    public mutating func ask() -> [[Double]] {
        guard !lower.population.isEmpty else {
            memberSettings = []
            return lower.ask()
        }
        if let limit = configuration.metaGenerations, metaGeneration >= limit, let best = bestConfiguration {
            powerUpConfiguration = best.parameters
            let decoded = Self.powerUpStrategy(for: best.parameters)
            let adaptation = powerUpAdaptation ?? JADEAdaptation(meanCrossoverRate: decoded.crossoverRate, meanScaleFactor: decoded.scaleFactor)
            memberSettings = (0..<configuration.lowerPopulationSize).map { _ in
                let (f, cr) = adaptation.sample(using: &dealer)
                return DifferentialEvolution.TrialSetting(strategy: decoded.strategy, scaleFactor: f, crossoverRate: cr)
            }
            powerUpAdaptation = adaptation
        } else {
            if configurations.isEmpty { startMetaGeneration() }
            // Deal the members to the configurations: a random permutation, cut in turns.
            var order = Array(0..<configuration.lowerPopulationSize)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(dealer.next() % UInt64(i + 1))) }
            assignment = Array(repeating: 0, count: order.count)
            for (turn, member) in order.enumerated() { assignment[member] = turn % configurations.count }
            let settings = configurations.map(Self.setting(for:))
            memberSettings = assignment.map { settings[$0] }
        }
        // The settings are decoded into their valid ranges and the population exists, so this cannot fail.
        return try! lower.ask(settings: memberSettings)
    }

    /// Takes the meta DE's next configurations (see the type, step 2).
    mutating func startMetaGeneration() {
        var trials = meta.ask()
        if meta.population.isEmpty { trials.replaceSubrange(0..<Self.classicConfigurations.count, with: Self.classicConfigurations) }
        configurations = meta.population.isEmpty ? trials : trials + meta.population
        shares = Array(repeating: 0, count: configurations.count)
        trialCounts = Array(repeating: 0, count: configurations.count)
        lowerStep = 0
    }

    /// Tells the lower DE its values; adds each configuration's share of the improvement; after the
    /// meta generation's last lower generation, tells the meta DE (see the type, step 3).
    public mutating func tell(_ points: [[Double]], values told: [Double]) throws {
        try validateTell(points, told, expected: lower.population.isEmpty ? configuration.lowerPopulationSize : memberSettings.count,
                         dimension: dimension)
        let before = lower.values
        try lower.tell(points, values: told)
        if powerUpConfiguration != nil, !memberSettings.isEmpty {
            // The power-up adapts F and CR as JADE does, from the trials that replaced their parents.
            let won = told.indices.filter { told[$0] < before[$0] }
            powerUpAdaptation?.adapt(successfulScaleFactors: won.map { memberSettings[$0].scaleFactor },
                                     successfulCrossoverRates: won.map { memberSettings[$0].crossoverRate })
        }
        guard !memberSettings.isEmpty, powerUpConfiguration == nil else { return }
        let improvements = zip(before, told).map { old, new in new < old ? old - new : 0 }
        // An infinite parent (a failed evaluation) makes the total infinite: that generation scores nobody.
        let total = improvements.reduce(0, +)
        for (member, configurationIndex) in assignment.enumerated() {
            trialCounts[configurationIndex] += 1
            if total > 0, total.isFinite { shares[configurationIndex] += improvements[member] / total }
        }
        lowerStep += 1
        if lowerStep >= configuration.lowerGenerations { try finishMetaGeneration() }
    }

    /// Scores the configurations, tells the meta DE and keeps the best.
    mutating func finishMetaGeneration() throws {
        let fitness = zip(shares, trialCounts).map { share, count in -share / Double(Swift.max(1, count)) }
        let size = configuration.metaPopulationSize
        if meta.population.isEmpty {
            try meta.tell(configurations, values: fitness)
        } else {
            try meta.reassess(values: Array(fitness[size...]))
            try meta.tell(Array(configurations[..<size]), values: Array(fitness[..<size]))
        }
        let winner = fitness.indices.min { fitness[$0] < fitness[$1] }!
        bestConfiguration = (configurations[winner], fitness[winner])
        configurations = []
        metaGeneration += 1
    }
}
