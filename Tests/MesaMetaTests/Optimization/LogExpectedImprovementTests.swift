import Foundation
import MesaCore
import MesaMeta
import XCTest

final class LogExpectedImprovementTests: XCTestCase {
    /// `h(z) = φ(z) + z Φ(z)` computed naively (fine where it does not underflow).
    private func h(_ z: Double) -> Double {
        LogExpectedImprovement.normalDensity(z) + z * LogExpectedImprovement.normalCumulative(z)
    }

    func testLogHMatchesTheFormulaWhereItIsRepresentable() {
        for z in stride(from: -20.0, through: 5, by: 0.25) {
            XCTAssertEqual(LogExpectedImprovement.logH(z), log(h(z)), accuracy: 1e-6 * Swift.max(1, Swift.abs(log(h(z)))), "z = \(z)")
        }
    }

    func testLogHStaysFiniteAndDecreasingFarFromTheIncumbent() {
        var previous = Double.infinity
        for z in [-30.0, -40, -100, -1e3, -1e5, -1e8, -1e12] {
            let value = LogExpectedImprovement.logH(z)
            XCTAssertTrue(value.isFinite, "z = \(z)")
            XCTAssertLessThan(value, previous)
            previous = value
            // Asymptote: log h(z) = −z²/2 − ½ log 2π − 2 log|z| + O(1/z²)
            let asymptote = -z * z / 2 - 0.5 * log(2 * Double.pi) - 2 * log(-z)
            XCTAssertEqual(value, asymptote, accuracy: 4 / (z * z) + 1e-9 * Swift.abs(asymptote), "z = \(z)")
        }
    }

    func testNormalQuantileInvertsTheDistributionFunction() {
        for p in [1e-12, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999] {
            XCTAssertEqual(LogExpectedImprovement.normalCumulative(LogExpectedImprovement.normalQuantile(p)), p, accuracy: 1e-12 * Swift.max(1, p / 1e-3))
        }
        XCTAssertEqual(LogExpectedImprovement.normalQuantile(0.975), 1.959963984540054, accuracy: 1e-12)
    }

    func testDerivativeMatchesFiniteDifferences() {
        for z in [-50.0, -12, -3, -1.0001, -0.9999, -0.5, 0, 1, 4] {
            let step = 1e-5 * Swift.max(1, Swift.abs(z))
            let numeric = (LogExpectedImprovement.logH(z + step) - LogExpectedImprovement.logH(z - step)) / (2 * step)
            XCTAssertEqual(LogExpectedImprovement.logHDerivative(z), numeric, accuracy: 1e-5 * Swift.max(1, Swift.abs(numeric)), "z = \(z)")
        }
    }

    func testExpectedImprovementAgreesWithAMonteCarloEstimate() {
        var generator = RandomGenerator(seed: 11)
        for (mean, deviation, incumbent) in [(0.3, 0.5, 0.0), (-0.2, 1.5, 0.1), (1.0, 0.4, 0.2)] {
            let count = 400_000
            var sum = 0.0
            for _ in 0..<count { sum += Swift.max(incumbent - (mean + deviation * Double(generator.nextNormal())), 0) }
            let estimate = sum / Double(count)
            let exact = exp(Acquisition.logExpectedImprovement.value(PosteriorMoments(mean: mean, variance: deviation * deviation), incumbent: incumbent).value)
            XCTAssertEqual(exact, deviation * h((incumbent - mean) / deviation), accuracy: 1e-12)
            XCTAssertEqual(estimate, exact, accuracy: 4 * deviation / Double(count).squareRoot() + 1e-4 * exact, "μ = \(mean), σ = \(deviation)")
        }
    }
}
