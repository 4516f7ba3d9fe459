import XCTest
@testable import MesaMeta

final class MetaDETests: XCTestCase {
    let low = Array(repeating: -5.0, count: 4), high = Array(repeating: 5.0, count: 4)
    static func sphere(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 } }

    func testDecodesThePapersParameterVector() {
        let decoded = MetaDE.strategy(for: [0.3, 0.8, 3.7, 2.1, 4.99, 1.5])
        XCTAssertEqual(decoded.strategy, DifferentialEvolutionStrategy(primaryBase: .current, secondaryBase: .pBest, differenceCount: 4, crossover: .exponential))
        XCTAssertEqual(decoded.scaleFactor, 0.3)
        XCTAssertEqual(decoded.crossoverRate, 0.8)
        XCTAssertEqual(MetaDE.strategy(for: [0.5, 0.9, 0, 0, 1, 0]).strategy, .rand1Binomial)
    }

    func testLowerLevelIsReproducibleFromItsSeed() throws {
        let metaDE = try MetaDE(lowerBounds: low, upperBounds: high, seed: 11)
        let theta = [0.5, 0.9, 2.5, 1.2, 2.0, 0.5]
        var first = try metaDE.lowerLevel(parameters: theta, metaGeneration: 3, member: 2)
        var second = try metaDE.lowerLevel(parameters: theta, metaGeneration: 3, member: 2)
        first.minimize(Self.sphere, evaluations: 400)
        second.minimize(Self.sphere, evaluations: 400)
        XCTAssertEqual(first.population, second.population)
        XCTAssertEqual(first.bestValue, second.bestValue)
        var other = try metaDE.lowerLevel(parameters: theta, metaGeneration: 3, member: 1)
        other.minimize(Self.sphere, evaluations: 400)
        XCTAssertNotEqual(first.population, other.population, "another member gets another seed")
    }

    func testMetaGenerationsEvaluateWholeLowerRunsAndImprove() throws {
        let configuration = MetaDE.Configuration(metaPopulationSize: 6, lowerPopulationSize: 10, lowerGenerations: 9)
        var metaDE = try MetaDE(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 5)
        XCTAssertEqual(metaDE.ask().count, 60, "the lower level is vectorised over the meta population")
        metaDE = try MetaDE(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 5)
        metaDE.minimize(Self.sphere, evaluations: 5 * configuration.evaluationsPerMetaGeneration)
        XCTAssertEqual(metaDE.metaGeneration, 5)
        XCTAssertNotNil(metaDE.bestConfiguration)
        XCTAssertLessThan(metaDE.bestValue, 0.1, "random search with 3,000 points reaches about 1 here")
        XCTAssertThrowsError(try MetaDE(lowerBounds: low, upperBounds: high, configuration: .init(lowerPopulationSize: 6), seed: 1)) { error in
            XCTAssertEqual("\(error)", "the MetaDE lower-level population must be at least 10 (four difference vectors need it), got 6")
        }
    }
}

extension MetaDETests {
    func testPowerUpRunsTheBestConfigurationAfterTheMetaGenerations() throws {
        let configuration = MetaDE.Configuration(metaPopulationSize: 4, lowerPopulationSize: 10, lowerGenerations: 4, metaGenerations: 2)
        var metaDE = try MetaDE(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 8)
        metaDE.minimize(Self.sphere, evaluations: 2 * configuration.evaluationsPerMetaGeneration)
        XCTAssertNil(metaDE.powerUp)
        let best = try XCTUnwrap(metaDE.bestConfiguration)
        metaDE.minimize(Self.sphere, evaluations: 300)
        let powerUp = try XCTUnwrap(metaDE.powerUp)
        XCTAssertEqual(metaDE.metaGeneration, 2, "no meta generation after the power-up starts")
        XCTAssertEqual(powerUp.configuration.strategy, MetaDE.strategy(for: best.parameters).strategy)
        XCTAssertEqual(powerUp.generation, 29, "the initial population and 29 generations of 10 members")
    }
}
