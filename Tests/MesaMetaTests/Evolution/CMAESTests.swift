import XCTest
@testable import MesaMeta

final class CMAESTests: XCTestCase {
    static func sphere(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 } }
    static func rosenbrock(_ x: [Double]) -> Double {
        var total = 0.0
        for i in 0..<(x.count - 1) {
            let a = x[i] * x[i] - x[i + 1], b = 1 - x[i]
            total += 100 * a * a + b * b
        }
        return total
    }

    /// The usual counts (Hansen's tutorial, pycma): about 1,500–2,000 evaluations to 10⁻⁸ on the
    /// 10-D sphere, about 6,000–8,000 on the 10-D Rosenbrock function.
    func testSolvesTenDimensionalSphereWithinTheUsualEvaluations() throws {
        var cma = try CMAES(mean: Array(repeating: 3, count: 10), stepSize: 2, seed: 1)
        let used = cma.minimize(Self.sphere, evaluations: 3000, target: 1e-8)
        XCTAssertLessThanOrEqual(cma.bestValue, 1e-8)
        XCTAssertLessThan(used, 2500, "sphere took \(used) evaluations")
        XCTAssertEqual(cma.populationSize, 10)
    }

    func testSolvesTenDimensionalRosenbrockWithinTheUsualEvaluations() throws {
        var cma = try CMAES(mean: Array(repeating: 0, count: 10), stepSize: 0.5, seed: 2)
        let used = cma.minimize(Self.rosenbrock, evaluations: 15000, target: 1e-8)
        XCTAssertLessThanOrEqual(cma.bestValue, 1e-8)
        XCTAssertLessThan(used, 10000, "Rosenbrock took \(used) evaluations")
    }

    func testSeparableVariantSolvesAnIllConditionedSeparableEllipsoid() throws {
        let ellipsoid: ([Double]) -> Double = { x in
            var total = 0.0
            for i in 0..<x.count { total += pow(1e6, Double(i) / 9) * x[i] * x[i] }
            return total
        }
        var separable = try CMAES(mean: Array(repeating: 1, count: 10), stepSize: 1, separable: true, seed: 3)
        let usedSeparable = separable.minimize(ellipsoid, evaluations: 20000, target: 1e-8)
        var full = try CMAES(mean: Array(repeating: 1, count: 10), stepSize: 1, seed: 3)
        let usedFull = full.minimize(ellipsoid, evaluations: 20000, target: 1e-8)
        XCTAssertLessThanOrEqual(separable.bestValue, 1e-8)
        XCTAssertLessThan(usedSeparable, usedFull, "sep-CMA-ES learns a diagonal faster than a full covariance")
    }

    func testAskTellRoundTripIsSeededAndChecksItsInput() throws {
        var a = try CMAES(mean: [1, 2, 3], stepSize: 0.3, seed: 9)
        var b = try CMAES(mean: [1, 2, 3], stepSize: 0.3, seed: 9)
        for _ in 0..<5 {
            let pa = a.ask(), pb = b.ask()
            XCTAssertEqual(pa, pb)
            try a.tell(pa, values: pa.map(Self.sphere))
            try b.tell(pb, values: pb.map(Self.sphere))
        }
        XCTAssertEqual(a.mean, b.mean)
        let points = a.ask()
        XCTAssertThrowsError(try a.tell(Array(points.dropLast()), values: Array(points.dropLast()).map(Self.sphere))) { error in
            XCTAssertEqual("\(error)", "tell got \(points.count - 1) points and \(points.count - 1) values; the last ask proposed \(points.count)")
        }
        XCTAssertThrowsError(try a.tell(points, values: points.map { _ in .nan }))
        XCTAssertThrowsError(try CMAES(mean: [0], stepSize: 0, seed: 1)) { error in
            XCTAssertEqual("\(error)", "the CMA-ES step size must be positive, got 0.0")
        }
    }

    func testIPOPRestartsWithTwiceThePopulationWhenARunStops() throws {
        var ipop = try IPOPCMAES(lowerBounds: Array(repeating: -5, count: 4), upperBounds: Array(repeating: 5, count: 4), stepSize: 2, seed: 4)
        let first = ipop.current.populationSize
        // The sphere converges until the function-value tolerance stops the run.
        ipop.minimize(Self.sphere, evaluations: 4000)
        XCTAssertGreaterThanOrEqual(ipop.restarts, 1)
        XCTAssertEqual(ipop.current.populationSize, first << ipop.restarts)
        XCTAssertEqual(ipop.stopReasons.count, ipop.restarts)
        XCTAssertLessThan(ipop.bestValue, 1e-12)
    }
}

extension CMAESTests {
    func testActiveCovarianceUpdateLearnsAnEllipsoidFasterThanThePassiveOne() throws {
        let problem = try BBOBProblem(function: .ellipsoid, dimension: 10, instance: 1)
        let objective: ([Double]) -> Double = { problem.value(at: $0) - problem.optimalValue }
        var active = try CMAES(mean: Array(repeating: 0, count: 10), stepSize: 2, seed: 5)
        let usedActive = active.minimize(objective, evaluations: 40000, target: 1e-8)
        var passive = try CMAES(mean: Array(repeating: 0, count: 10), stepSize: 2, active: false, seed: 5)
        let usedPassive = passive.minimize(objective, evaluations: 40000, target: 1e-8)
        XCTAssertLessThanOrEqual(active.bestValue, 1e-8)
        XCTAssertLessThanOrEqual(passive.bestValue, 1e-8)
        XCTAssertLessThan(Double(usedActive), 0.8 * Double(usedPassive), "active \(usedActive), passive \(usedPassive) evaluations")
    }
}
