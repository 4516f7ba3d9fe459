import Foundation
import MesaCore

/// Differential evolution (Storn & Price 1997, *Differential Evolution – A Simple and Efficient
/// Heuristic for Global Optimization over Continuous Spaces*) over a box, ask/tell, with the
/// strategies of ``DifferentialEvolutionStrategy`` and, optionally, JADE's parameter adaptation
/// and external archive (Zhang & Sanderson 2009).
///
/// The first `ask` returns the initial population (uniform in the box); each later `ask` returns
/// one trial `uᵢ` per member `xᵢ`, and `tell` keeps `uᵢ` when `f(uᵢ) ≤ f(xᵢ)`. A trial that is
/// strictly better is a *success*: its `F` and `CR` feed ``JADEAdaptation`` and, with an archive,
/// the replaced parent joins it (at most `NP` members, random ones dropped beyond). A coordinate
/// that leaves the box is set halfway between the parent's and the bound (JADE's rule).
///
/// ```swift
/// var de = try DifferentialEvolution(lowerBounds: [-5, -5], upperBounds: [5, 5], configuration: .jade(populationSize: 20), seed: 1)
/// de.minimize({ $0[0] * $0[0] + $0[1] * $0[1] }, evaluations: 2000)
/// ```
public struct DifferentialEvolution: AskTellOptimizer, Sendable {
    /// The settings of a run.
    public struct Configuration: Sendable, Equatable, Codable {
        /// `NP`, the number of members.
        public var populationSize: Int
        /// How trials are built.
        public var strategy: DifferentialEvolutionStrategy
        /// `F` when not adapted.
        public var scaleFactor: Double
        /// `CR` when not adapted.
        public var crossoverRate: Double
        /// JADE's adaptation of `F` and `CR` (nil: the fixed values above).
        public var adaptation: JADEAdaptation?
        /// `p` of the `pBest` base vector: a random one of the best `max(1, round(p NP))`.
        public var greedyFraction: Double
        /// Whether replaced parents are archived and used as the second vector of each difference.
        public var usesArchive: Bool

        /// A configuration.
        public init(populationSize: Int, strategy: DifferentialEvolutionStrategy, scaleFactor: Double = 0.5, crossoverRate: Double = 0.9,
                    adaptation: JADEAdaptation? = nil, greedyFraction: Double = 0.05, usesArchive: Bool = false) {
            self.populationSize = populationSize
            self.strategy = strategy
            self.scaleFactor = scaleFactor
            self.crossoverRate = crossoverRate
            self.adaptation = adaptation
            self.greedyFraction = greedyFraction
            self.usesArchive = usesArchive
        }

        /// Classic DE/rand/1/bin with `F = 0.5`, `CR = 0.9`.
        public static func classic(populationSize: Int) -> Configuration {
            Configuration(populationSize: populationSize, strategy: .rand1Binomial)
        }

        /// JADE: DE/current-to-pbest/1/bin with archive, `p = 0.05`, `c = 0.1`.
        public static func jade(populationSize: Int) -> Configuration {
            Configuration(populationSize: populationSize, strategy: .currentToPBest1Binomial, adaptation: JADEAdaptation(), usesArchive: true)
        }

        func validate() throws {
            let needed = 2 * strategy.differenceCount + 2
            guard (1...4).contains(strategy.differenceCount) else {
                throw EvolutionError.invalidConfiguration("DE uses 1 to 4 difference vectors, got \(strategy.differenceCount)")
            }
            guard populationSize >= Swift.max(4, needed) else {
                throw EvolutionError.invalidConfiguration("a DE population with \(strategy.differenceCount) difference vector(s) needs at least \(Swift.max(4, needed)) members, got \(populationSize)")
            }
            guard scaleFactor > 0, scaleFactor <= 2, (0...1).contains(crossoverRate) else {
                throw EvolutionError.invalidConfiguration("DE needs 0 < F ≤ 2 and 0 ≤ CR ≤ 1, got F = \(scaleFactor), CR = \(crossoverRate)")
            }
            guard greedyFraction > 0, greedyFraction <= 1 else {
                throw EvolutionError.invalidConfiguration("the DE pBest fraction p must be in (0, 1], got \(greedyFraction)")
            }
        }
    }

    public let dimension: Int
    /// The settings.
    public let configuration: Configuration
    /// The members, once the initial population has been told.
    public private(set) var population: [[Double]] = []
    /// Their values.
    public private(set) var values: [Double] = []
    /// JADE's state (nil without adaptation).
    public private(set) var adaptation: JADEAdaptation?
    /// The external archive of replaced parents.
    public private(set) var archive: [[Double]] = []
    public private(set) var bestPoint: [Double]?
    public private(set) var bestValue = Double.infinity
    /// The number of completed generations (the initial population is generation 0).
    public private(set) var generation = 0

    let lowerBounds: [Double]
    let upperBounds: [Double]
    var generator: RandomGenerator
    var pending: [[Double]] = []
    var pendingParameters: [(scaleFactor: Double, crossoverRate: Double)] = []

    /// A run over the box `[lowerBounds, upperBounds]`.
    ///
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` for an empty or inverted box or a setting out of range.
    public init(lowerBounds: [Double], upperBounds: [Double], configuration: Configuration, seed: UInt64) throws {
        guard !lowerBounds.isEmpty, lowerBounds.count == upperBounds.count, zip(lowerBounds, upperBounds).allSatisfy({ $0 < $1 }) else {
            throw EvolutionError.invalidConfiguration("DE needs a box with lower bounds below upper bounds in every coordinate")
        }
        try configuration.validate()
        dimension = lowerBounds.count
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
        self.configuration = configuration
        adaptation = configuration.adaptation
        generator = RandomGenerator(seed: seed)
    }

    /// The initial population (first call), then one trial per member.
    public mutating func ask() -> [[Double]] {
        let n = dimension, size = configuration.populationSize
        if population.isEmpty {
            pending = []
            for _ in 0..<size {
                var point = [Double](repeating: 0, count: n)
                for j in 0..<n { point[j] = lowerBounds[j] + uniform() * (upperBounds[j] - lowerBounds[j]) }
                pending.append(point)
            }
            return pending
        }
        let ranked = values.indices.sorted { values[$0] < values[$1] }
        let greedyCount = Swift.max(1, Int((configuration.greedyFraction * Double(size)).rounded()))
        pendingParameters = []
        pending = []
        for target in 0..<size {
            let parameters: (scaleFactor: Double, crossoverRate: Double) =
                adaptation?.sample(using: &generator) ?? (configuration.scaleFactor, configuration.crossoverRate)
            pendingParameters.append(parameters)
            pending.append(trial(for: target, ranked: ranked, greedyCount: greedyCount, strategy: configuration.strategy,
                                 scaleFactor: parameters.scaleFactor, crossoverRate: parameters.crossoverRate))
        }
        return pending
    }

    /// How one member's trial is built in one generation (``ask(settings:)``).
    public struct TrialSetting: Sendable, Equatable, Codable {
        /// The strategy.
        public var strategy: DifferentialEvolutionStrategy
        /// `F`.
        public var scaleFactor: Double
        /// `CR`.
        public var crossoverRate: Double

        /// A setting.
        public init(strategy: DifferentialEvolutionStrategy, scaleFactor: Double, crossoverRate: Double) {
            self.strategy = strategy
            self.scaleFactor = scaleFactor
            self.crossoverRate = crossoverRate
        }
    }

    /// One trial per member, member `i`'s built with `settings[i]` instead of the configuration's
    /// strategy, `F` and `CR` (MetaDE's lower level, whose members follow different configurations);
    /// `tell` selects as usual. The configuration's population size, `p` and archive still apply.
    ///
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` before the initial population has been
    ///   told, for a count other than `NP`, or for a setting out of range (as the configuration's).
    public mutating func ask(settings: [TrialSetting]) throws -> [[Double]] {
        guard !population.isEmpty else {
            throw EvolutionError.invalidConfiguration("a DE takes per-member settings only after its initial population has been told")
        }
        guard settings.count == population.count else {
            throw EvolutionError.invalidConfiguration("a DE generation needs one setting per member (\(population.count)), got \(settings.count)")
        }
        for setting in settings {
            var check = configuration
            (check.strategy, check.scaleFactor, check.crossoverRate) = (setting.strategy, setting.scaleFactor, setting.crossoverRate)
            try check.validate()
        }
        let ranked = values.indices.sorted { values[$0] < values[$1] }
        let greedyCount = Swift.max(1, Int((configuration.greedyFraction * Double(population.count)).rounded()))
        pendingParameters = settings.map { ($0.scaleFactor, $0.crossoverRate) }
        pending = []
        for (target, setting) in settings.enumerated() {
            pending.append(trial(for: target, ranked: ranked, greedyCount: greedyCount, strategy: setting.strategy,
                                 scaleFactor: setting.scaleFactor, crossoverRate: setting.crossoverRate))
        }
        return pending
    }

    /// A uniform number in `[0, 1)` with 53 random bits.
    mutating func uniform() -> Double { Double(generator.next() >> 11) * 0x1p-53 }

    /// A random index in `0..<count`.
    mutating func randomIndex(_ count: Int) -> Int { Int(generator.next() % UInt64(count)) }

    /// One trial vector for member `target`.
    mutating func trial(for target: Int, ranked: [Int], greedyCount: Int, strategy: DifferentialEvolutionStrategy,
                        scaleFactor f: Double, crossoverRate cr: Double) -> [Double] {
        let n = dimension, size = population.count
        var used: Set<Int> = [target]
        func draw(_ generator: inout RandomGenerator) -> Int {
            var index: Int
            repeat { index = Int(generator.next() % UInt64(size)) } while used.contains(index)
            used.insert(index)
            return index
        }
        let randomBase = draw(&generator)
        let pBest = ranked[randomIndex(greedyCount)]
        func vector(_ base: DifferentialEvolutionStrategy.BaseVector) -> [Double] {
            switch base {
            case .random: population[randomBase]
            case .best: population[ranked[0]]
            case .pBest: population[pBest]
            case .current: population[target]
            }
        }
        let primary = vector(strategy.primaryBase), secondary = vector(strategy.secondaryBase)
        var mutant = (0..<n).map { primary[$0] + f * (secondary[$0] - primary[$0]) }
        for _ in 0..<strategy.differenceCount {
            let first = population[draw(&generator)]
            let second: [Double]
            if configuration.usesArchive && !archive.isEmpty {
                // x̃ from population ∪ archive, avoiding the indices already used in the population.
                var pick: Int
                repeat { pick = randomIndex(size + archive.count) } while pick < size && used.contains(pick)
                if pick < size { used.insert(pick); second = population[pick] } else { second = archive[pick - size] }
            } else {
                second = population[draw(&generator)]
            }
            for j in 0..<n { mutant[j] += f * (first[j] - second[j]) }
        }
        let parent = population[target]
        var child = parent
        switch strategy.crossover {
        case .binomial:
            let always = randomIndex(n)
            for j in 0..<n where j == always || uniform() < cr { child[j] = mutant[j] }
        case .exponential:
            var j = randomIndex(n), copied = 0
            repeat {
                child[j] = mutant[j]
                j = (j + 1) % n
                copied += 1
            } while copied < n && uniform() < cr
        case .arithmetic:
            for j in 0..<n { child[j] = parent[j] + cr * (mutant[j] - parent[j]) }
        }
        for j in 0..<n {
            if child[j] < lowerBounds[j] { child[j] = (lowerBounds[j] + parent[j]) / 2 }
            if child[j] > upperBounds[j] { child[j] = (upperBounds[j] + parent[j]) / 2 }
        }
        return child
    }

    /// Replaces the values of the current members, for an objective that changes during the run
    /// (MetaDE's meta level, where a configuration's worth depends on the lower population it
    /// continues): the next `tell` selects between the pending trials and the members by these
    /// values. ``bestPoint`` and ``bestValue`` keep what was told before.
    ///
    /// - Throws: ``EvolutionError/invalidTell(_:)`` before the initial population has been told, or
    ///   for a count other than `NP` or a NaN.
    public mutating func reassess(values newValues: [Double]) throws {
        guard !population.isEmpty else {
            throw EvolutionError.invalidTell("a DE can reassess its members only after its initial population has been told")
        }
        guard newValues.count == population.count, !newValues.contains(where: \.isNaN) else {
            throw EvolutionError.invalidTell("reassess needs one value (not NaN) for each of the \(population.count) members, got \(newValues.count)")
        }
        values = newValues
    }

    /// Takes the initial population's values, or selects between members and trials (see the type).
    public mutating func tell(_ points: [[Double]], values told: [Double]) throws {
        try validateTell(points, told, expected: pending.count, dimension: dimension)
        for (point, value) in zip(points, told) where value < bestValue { bestValue = value; bestPoint = point }
        if population.isEmpty {
            population = points
            values = told
            return
        }
        var scales: [Double] = [], rates: [Double] = []
        for i in 0..<points.count where told[i] <= values[i] {
            if told[i] < values[i] {
                scales.append(pendingParameters[i].scaleFactor)
                rates.append(pendingParameters[i].crossoverRate)
                if configuration.usesArchive { archive.append(population[i]) }
            }
            population[i] = points[i]
            values[i] = told[i]
        }
        while archive.count > configuration.populationSize { archive.remove(at: randomIndex(archive.count)) }
        adaptation?.adapt(successfulScaleFactors: scales, successfulCrossoverRates: rates)
        generation += 1
    }
}
