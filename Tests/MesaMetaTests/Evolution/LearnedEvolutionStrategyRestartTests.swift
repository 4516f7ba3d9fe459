import Foundation
import MesaCore
import XCTest
@testable import MesaMeta

/// IPOP restarts of the learned evolution strategy (``IPOPLearnedEvolutionStrategy``).
final class LearnedEvolutionStrategyRestartTests: XCTestCase {
    let lower = Array(repeating: -4.0, count: 4), upper = Array(repeating: 4.0, count: 4)

    func sphere(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 } }

    func shipped() throws -> LearnedEvolutionNetwork.Forward { try LearnedEvolutionNetwork.load().forward }

    /// Asks and tells `objective` until the first restart; returns the generations it took.
    func runUntilRestart(_ ipop: inout IPOPLearnedEvolutionStrategy, _ objective: ([Double]) -> Double, limit: Int = 5_000) throws -> Int {
        for generation in 1...limit {
            let points = ipop.ask()
            try ipop.tell(points, values: points.map(objective))
            if ipop.restarts > 0 { return generation }
        }
        XCTFail("no restart in \(limit) generations")
        return limit
    }

    func testOnTheSphereTheStepSizesCollapseAndTheRunRestartsWithTwiceThePopulationAndTheFirstStepSize() throws {
        var ipop = try IPOPLearnedEvolutionStrategy(lowerBounds: lower, upperBounds: upper, stepSize: 2, network: try shipped(), seed: 3)
        XCTAssertEqual(ipop.current.populationSize, 16)
        var lastMean: [Double] = []
        var lastStepSizes: [Double] = []
        for _ in 1...5_000 where ipop.restarts == 0 {
            lastMean = ipop.current.mean
            lastStepSizes = ipop.current.stepSizes
            let points = ipop.ask()
            try ipop.tell(points, values: points.map(sphere))
        }
        XCTAssertEqual(ipop.restarts, 1)
        // The run had converged far below 10⁻¹⁰ with budget left: its step sizes had collapsed.
        XCTAssertLessThan(ipop.bestValue, 1e-10)
        XCTAssertLessThan(lastStepSizes.max()!, 1e-5, "\(lastStepSizes)")
        let reason = try XCTUnwrap(ipop.stopReasons.first)
        XCTAssertTrue([.functionValueTolerance, .stepTolerance, .noEffectAxis, .noEffectCoordinate].contains(reason), "\(reason)")
        // The new run: twice the population, σ₀ in every dimension, a fresh uniform mean in the box.
        XCTAssertEqual(ipop.current.populationSize, 32)
        XCTAssertEqual(ipop.current.generation, 0)
        XCTAssertEqual(ipop.current.stepSizes, Array(repeating: 2, count: 4))
        XCTAssertTrue(zip(ipop.current.mean, zip(lower, upper)).allSatisfy { $0 >= $1.0 && $0 <= $1.1 })
        XCTAssertGreaterThan(zip(ipop.current.mean, lastMean).map { abs($0 - $1) }.max()!, 1e-3)
        XCTAssertEqual(ipop.ask().count, 32)
    }

    func testOnAPlateauTheFunctionValueToleranceRestartsTheRunAfterItsSpanOfGenerations() throws {
        var ipop = try IPOPLearnedEvolutionStrategy(lowerBounds: lower, upperBounds: upper, stepSize: 1, populationGrowth: 1, network: try shipped(), seed: 8)
        let generations = try runUntilRestart(&ipop) { _ in 7 }
        // 10 + ⌈30 n / N⌉ = 10 + ⌈120 / 16⌉ generations of equal values.
        XCTAssertEqual(generations, 18)
        XCTAssertEqual(ipop.stopReasons, [.functionValueTolerance])
        XCTAssertEqual(ipop.current.populationSize, 16, "a growth of 1 keeps the population")
    }

    func testBeforeItsFirstRestartItAsksWhatThePlainStrategyAsksAndAcrossRestartsItIsReproducibleFromItsSeed() throws {
        let network = try shipped()
        var ipop = try IPOPLearnedEvolutionStrategy(lowerBounds: lower, upperBounds: upper, stepSize: 2, network: network, seed: 21)
        var generator = RandomGenerator(seed: 21)
        let mean = (0..<4).map { _ in -4 + 8 * Double(generator.nextUniform()) }
        let plain = try LearnedEvolutionStrategy(mean: mean, stepSize: 2, network: network, seed: generator.next())
        for _ in 0..<20 {
            let points = ipop.ask()
            XCTAssertEqual(points, plain.ask())
            try ipop.tell(points, values: points.map(sphere))
            try plain.tell(points, values: points.map(sphere))
        }
        func trace(seed: UInt64) throws -> [[Double]] {
            var ipop = try IPOPLearnedEvolutionStrategy(lowerBounds: lower, upperBounds: upper, stepSize: 2, network: network, seed: seed)
            _ = try runUntilRestart(&ipop, sphere)
            var asked: [[Double]] = []
            for _ in 0..<3 {
                let points = ipop.ask()
                asked += points
                try ipop.tell(points, values: points.map(sphere))
            }
            return asked + [[ipop.bestValue, Double(ipop.restarts)]]
        }
        XCTAssertEqual(try trace(seed: 5), try trace(seed: 5))
        XCTAssertNotEqual(try trace(seed: 5), try trace(seed: 6))
    }

    func testBadSettingsAreClearErrors() throws {
        let network = try shipped()
        XCTAssertThrowsError(try IPOPLearnedEvolutionStrategy(lowerBounds: lower, upperBounds: upper, stepSize: 2, populationGrowth: 0.5, network: network, seed: 1)) { error in
            XCTAssertEqual("\(error)", "the IPOP population growth must be at least 1, got 0.5")
        }
        XCTAssertThrowsError(try IPOPLearnedEvolutionStrategy(lowerBounds: lower, upperBounds: upper, stepSize: 0, network: network, seed: 1)) { error in
            XCTAssertEqual("\(error)", "the IPOP restarts' step size must be positive, got 0.0")
        }
        XCTAssertThrowsError(try IPOPLearnedEvolutionStrategy(lowerBounds: lower, upperBounds: upper, stepSize: 2, populationSize: 1, network: network, seed: 1)) { error in
            XCTAssertEqual("\(error)", "the learned evolution strategy needs a population of at least 2, got 1")
        }
        XCTAssertThrowsError(try IPOPLearnedEvolutionStrategy(lowerBounds: upper, upperBounds: lower, stepSize: 2, network: network, seed: 1)) { error in
            XCTAssertEqual("\(error)", "IPOP restarts need a box with lower bounds below upper bounds in every coordinate")
        }
        XCTAssertThrowsError(try IPOPLearnedEvolutionStrategy(lowerBounds: lower, upperBounds: upper, mean: [0, 0], stepSize: 2, network: network, seed: 1)) { error in
            XCTAssertEqual("\(error)", "the first mean has 2 coordinates but the box has 4")
        }
    }

    func testTheLesMethodRestartsAndLesNoRestartsRunsOnce() throws {
        func make(_ method: EvolutionMethod) throws -> any AskTellOptimizer {
            try method.makeOptimizer(lowerBounds: Array(repeating: -5, count: 3), upperBounds: Array(repeating: 5, count: 3),
                                     initialLowerBounds: Array(repeating: -4, count: 3), initialUpperBounds: Array(repeating: 4, count: 3),
                                     stepSize: 2, evaluations: 3000, seed: 9)
        }
        let restarted = try XCTUnwrap(try make(.les) as? IPOPLearnedEvolutionStrategy)
        XCTAssertEqual(restarted.populationGrowth, 2)
        let plain = try XCTUnwrap(try make(.lesNoRestarts) as? LearnedEvolutionStrategy)
        // Same first run: the same first points.
        var first = restarted
        XCTAssertEqual(first.ask(), plain.ask())
        for method in EvolutionMethod.allCases { XCTAssertEqual(EvolutionMethod(rawValue: method.rawValue), method) }
        XCTAssertNil(EvolutionMethod(rawValue: "pso"))
    }
}
