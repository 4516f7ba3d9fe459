import XCTest
@testable import MesaMeta

final class MetaDETests: XCTestCase {
    let low = Array(repeating: -5.0, count: 4), high = Array(repeating: 5.0, count: 4)
    static func sphere(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 } }

    /// One ask and tell on the sphere.
    static func step(_ metaDE: inout MetaDE) throws {
        let points = metaDE.ask()
        try metaDE.tell(points, values: points.map(sphere))
    }

    func testDecodesThePapersParameterVector() {
        let decoded = MetaDE.strategy(for: [0.3, 0.8, 3.7, 2.1, 4.99, 1.5])
        XCTAssertEqual(decoded.strategy, DifferentialEvolutionStrategy(primaryBase: .current, secondaryBase: .pBest, differenceCount: 4, crossover: .exponential))
        XCTAssertEqual(decoded.scaleFactor, 0.3)
        XCTAssertEqual(decoded.crossoverRate, 0.8)
        XCTAssertEqual(MetaDE.strategy(for: [0.5, 0.9, 0, 0, 1, 0]).strategy, .rand1Binomial)
        // The paper's best-member base is read as pBest, its arithmetic crossover as binomial.
        XCTAssertEqual(MetaDE.strategy(for: [0.5, 0.9, 1.2, 1.7, 2.5, 2.2]).strategy,
                       DifferentialEvolutionStrategy(primaryBase: .pBest, secondaryBase: .pBest, differenceCount: 2, crossover: .binomial))
        for p in stride(from: 0.0, to: 4, by: 0.25) {
            let strategy = MetaDE.strategy(for: [0.5, 0.9, p, p, 1, 0.75 * p]).strategy
            XCTAssertNotEqual(strategy.primaryBase, .best)
            XCTAssertNotEqual(strategy.crossover, .arithmetic)
        }
        XCTAssertEqual(MetaDE.classicConfigurations.map { MetaDE.setting(for: $0) },
                       [.init(strategy: .currentToPBest1Binomial, scaleFactor: 0.5, crossoverRate: 0.9),
                        .init(strategy: .rand1Binomial, scaleFactor: 0.5, crossoverRate: 0.9)])
    }

    func testLowerLevelIsReproducibleFromItsSeed() throws {
        let configuration = MetaDE.Configuration(metaPopulationSize: 4, lowerPopulationSize: 12, lowerGenerations: 3)
        var metaDE = try MetaDE(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 11)
        var twin = try MetaDE(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 11)
        var other = try MetaDE(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 12)
        var replay = metaDE.makeLowerLevel()
        for step in 0..<10 {   // the initial population and three meta generations
            let points = metaDE.ask()
            let replayed = step == 0 ? replay.ask() : try replay.ask(settings: metaDE.memberSettings)
            XCTAssertEqual(points, replayed, "step \(step): the lower DE asked with the dealt settings replays the run")
            XCTAssertEqual(twin.ask(), points, "step \(step): the same seed gives the same run")
            XCTAssertNotEqual(other.ask(), points, "step \(step): another seed gives another run")
            let values = points.map(Self.sphere)
            try metaDE.tell(points, values: values)
            try replay.tell(points, values: values)
            try twin.tell(points, values: values)
            try other.tell(points, values: points.map(Self.sphere))
        }
        XCTAssertEqual(metaDE.metaGeneration, 3)
        XCTAssertEqual(replay.population, metaDE.lower.population)
    }

    func testConfigurationsShareOneLowerPopulation() throws {
        let configuration = MetaDE.Configuration(metaPopulationSize: 4, lowerPopulationSize: 18, lowerGenerations: 2)
        var metaDE = try MetaDE(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 3)
        XCTAssertEqual(metaDE.ask().count, 18, "the initial population")
        XCTAssertTrue(metaDE.memberSettings.isEmpty)
        try metaDE.tell(metaDE.lower.pending, values: metaDE.lower.pending.map(Self.sphere))
        for metaGeneration in 0..<3 {
            for _ in 0..<configuration.lowerGenerations {
                XCTAssertEqual(metaDE.ask().count, 18, "one trial per member: the evaluations of every configuration advance one population")
                let count = metaGeneration == 0 ? 4 : 8
                XCTAssertEqual(metaDE.configurations.count, count, "M configurations first, then M trials and their M parents")
                if metaGeneration > 0 { XCTAssertEqual(Array(metaDE.configurations[4...]), metaDE.meta.population) }
                if metaGeneration == 0 { XCTAssertEqual(Array(metaDE.configurations[..<2]), MetaDE.classicConfigurations) }
                let settings = metaDE.configurations.map(MetaDE.setting(for:))
                let dealt = settings.map { setting in metaDE.memberSettings.filter { $0 == setting }.count }
                XCTAssertEqual(dealt.reduce(0, +), 18)
                XCTAssertTrue(dealt.allSatisfy { $0 == 18 / count || $0 == (18 + count - 1) / count }, "\(dealt): dealt evenly")
                let trials = metaDE.lower.pending
                try metaDE.tell(trials, values: trials.map(Self.sphere))
            }
            XCTAssertEqual(metaDE.metaGeneration, metaGeneration + 1)
        }
    }

    func testScoresAreSharesOfEachGenerationsImprovement() throws {
        // Meta generation 0: 5 configurations dealt 4 members each for 3 generations, so a
        // configuration's fitness is −(its shares)/12 and the shares of a generation sum to 1.
        let configuration = MetaDE.Configuration(metaPopulationSize: 5, lowerPopulationSize: 20, lowerGenerations: 3)
        var metaDE = try MetaDE(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 9)
        for _ in 0..<4 { try Self.step(&metaDE) }
        XCTAssertEqual(metaDE.metaGeneration, 1)
        let fitness = metaDE.meta.values
        XCTAssertTrue(fitness.allSatisfy { $0 <= 0 })
        XCTAssertEqual(fitness.reduce(0) { $0 - $1 * 12 }, 3, accuracy: 1e-12, "three generations, each sharing out all its improvement")
        let best = try XCTUnwrap(metaDE.bestConfiguration)
        XCTAssertEqual(best.fitness, fitness.min())
        // No improvement at all in a generation gives no share to anyone.
        var flat = try MetaDE(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 9)
        for _ in 0..<4 {
            let points = flat.ask()
            try flat.tell(points, values: Array(repeating: 1, count: points.count))
        }
        XCTAssertEqual(flat.meta.values, Array(repeating: 0, count: 5))
    }

    func testMetaGenerationsImproveOnTheSphere() throws {
        let configuration = MetaDE.Configuration(metaPopulationSize: 4, lowerPopulationSize: 20, lowerGenerations: 10)
        var metaDE = try MetaDE(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 5)
        metaDE.minimize(Self.sphere, evaluations: 20 + 8 * configuration.evaluationsPerMetaGeneration)
        XCTAssertEqual(metaDE.metaGeneration, 8)
        XCTAssertNil(metaDE.powerUpConfiguration)
        XCTAssertLessThan(metaDE.bestValue, 1e-3, "random search with 1,620 points reaches about 1 here")
        XCTAssertEqual(metaDE.bestValue, metaDE.lower.values.min())
    }

    func testRefusesBadSizes() {
        XCTAssertThrowsError(try MetaDE(lowerBounds: low, upperBounds: high, configuration: .init(lowerPopulationSize: 6), seed: 1)) { error in
            XCTAssertEqual("\(error)", "the MetaDE lower-level population must be at least 10 (four difference vectors need it) and twice the meta population 5, got 6")
        }
        XCTAssertThrowsError(try MetaDE(lowerBounds: low, upperBounds: high, configuration: .init(metaPopulationSize: 8, lowerPopulationSize: 12), seed: 1)) { error in
            XCTAssertEqual("\(error)", "the MetaDE lower-level population must be at least 10 (four difference vectors need it) and twice the meta population 8, got 12")
        }
        XCTAssertThrowsError(try MetaDE(lowerBounds: low, upperBounds: high, configuration: .init(metaPopulationSize: 3), seed: 1)) { error in
            XCTAssertEqual("\(error)", "the MetaDE meta population must be at least 4, got 3")
        }
        XCTAssertThrowsError(try MetaDE(lowerBounds: low, upperBounds: high, configuration: .init(lowerGenerations: 0), seed: 1)) { error in
            XCTAssertEqual("\(error)", "MetaDE needs at least one lower-level generation per meta generation, got 0")
        }
    }
}

extension MetaDETests {
    func testPowerUpUsesOneDifferenceWithTheSameSpread() {
        let decoded = MetaDE.powerUpStrategy(for: [0.2, 0.7, 2.5, 3.2, 4.5, 0.4])
        XCTAssertEqual(decoded.strategy, DifferentialEvolutionStrategy(primaryBase: .pBest, secondaryBase: .current, differenceCount: 1, crossover: .binomial))
        XCTAssertEqual(decoded.scaleFactor, 0.4, accuracy: 1e-12, "F √k with k = 4")
        XCTAssertEqual(decoded.crossoverRate, 0.7)
        XCTAssertEqual(MetaDE.powerUpStrategy(for: [0.9, 0.5, 0, 0, 3.5, 1.2]).scaleFactor, 1, "capped at 1")
        XCTAssertEqual(MetaDE.powerUpStrategy(for: [0.3, 0.5, 0, 0, 1.5, 0]).scaleFactor, 0.3, "one difference: unchanged")
    }

    func testPowerUpRunsTheBestConfigurationOnTheSamePopulation() throws {
        let configuration = MetaDE.Configuration(metaPopulationSize: 4, lowerPopulationSize: 10, lowerGenerations: 4, metaGenerations: 2)
        var metaDE = try MetaDE(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 8)
        metaDE.minimize(Self.sphere, evaluations: 10 + 2 * configuration.evaluationsPerMetaGeneration)
        XCTAssertNil(metaDE.powerUpConfiguration)
        let best = try XCTUnwrap(metaDE.bestConfiguration)
        let population = metaDE.lower.population, generation = metaDE.lower.generation
        let points = metaDE.ask()
        XCTAssertEqual(points.count, 10, "trials of the same population, not a new initial population")
        XCTAssertEqual(metaDE.lower.population, population)
        XCTAssertEqual(metaDE.powerUpConfiguration, best.parameters)
        // The best configuration's strategy (with one difference) for everyone; F and CR drawn
        // around its own, as JADE draws them.
        let decoded = MetaDE.powerUpStrategy(for: best.parameters)
        XCTAssertTrue(metaDE.memberSettings.allSatisfy { $0.strategy == decoded.strategy })
        XCTAssertEqual(metaDE.powerUpAdaptation, JADEAdaptation(meanCrossoverRate: decoded.crossoverRate, meanScaleFactor: decoded.scaleFactor))
        XCTAssertGreaterThan(Set(metaDE.memberSettings.map(\.scaleFactor)).count, 1)
        // Told, the locations move towards the trials that replaced their parents (JADE's update).
        let before = metaDE.lower.values, settings = metaDE.memberSettings, values = points.map(Self.sphere)
        var expected = try XCTUnwrap(metaDE.powerUpAdaptation)
        let won = values.indices.filter { values[$0] < before[$0] }
        XCTAssertFalse(won.isEmpty)
        expected.adapt(successfulScaleFactors: won.map { settings[$0].scaleFactor }, successfulCrossoverRates: won.map { settings[$0].crossoverRate })
        try metaDE.tell(points, values: values)
        XCTAssertEqual(metaDE.powerUpAdaptation, expected)
        metaDE.minimize(Self.sphere, evaluations: 290)
        XCTAssertEqual(metaDE.metaGeneration, 2, "no meta generation after the power-up starts")
        XCTAssertEqual(metaDE.lower.generation, generation + 30, "the population continues: 30 more generations of 10 members")
    }
}
