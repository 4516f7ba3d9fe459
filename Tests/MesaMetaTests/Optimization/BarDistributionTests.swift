import Foundation
import MesaCore
import MesaMeta
import XCTest

final class BarDistributionTests: XCTestCase {
    /// Five bins of width 1 from −2.5: tails below −1.5 and above 1.5, inner bins centred on −1, 0, 1.
    private let distribution = BarDistribution(probabilities: [0.1, 0.2, 0.3, 0.25, 0.15], lowerEdge: -2.5, binWidth: 1, tailScale: 0.5)

    /// A draw: pick a bin by its probability, then uniform inside (inner) or half-normal (tails).
    private func draw(_ d: BarDistribution, using generator: inout RandomGenerator) -> Double {
        var u = Double(generator.next() >> 11) * 0x1p-53, b = 0
        while b < d.probabilities.count - 1 && u >= d.probabilities[b] { u -= d.probabilities[b]; b += 1 }
        let lower = d.lowerEdge + Double(b) * d.binWidth
        if b == 0 { return lower + d.binWidth - d.tailScale * abs(Double(generator.nextNormal())) }
        if b == d.probabilities.count - 1 { return lower + d.tailScale * abs(Double(generator.nextNormal())) }
        return lower + Double(generator.next() >> 11) * 0x1p-53 * d.binWidth
    }

    func testExpectedImprovementFollowsThePerBinFormula() {
        let tau = 0.5, k = (2 / Double.pi).squareRoot()
        // f* = −0.2 lies inside bin 2 ([−0.5, 0.5]): bin 1 entirely below, bin 2 partly.
        let reference = -0.2
        let h = { (z: Double) in LogExpectedImprovement.normalDensity(z) + z * LogExpectedImprovement.normalCumulative(z) }
        let expected = 0.1 * (reference - (-1.5) + tau * k)          // lower tail, f* above its edge
            + 0.2 * (reference - (-1.0))                             // bin 1: f* − centre
            + 0.3 * (reference - (-0.5)) * (reference - (-0.5)) / 2  // bin 2: (f* − l)²/2w
        XCTAssertEqual(distribution.expectedImprovement(below: reference), expected, accuracy: 1e-12)
        XCTAssertEqual(distribution.logExpectedImprovement(below: reference), log(expected), accuracy: 1e-12)
        // Below every inner bin: only the tail, 2τ h(−a) with a = (u₀ − f*)/τ.
        let low = -3.0, a = (-1.5 - low) / tau
        XCTAssertEqual(distribution.expectedImprovement(below: low), 0.1 * 2 * tau * h(-a), accuracy: 1e-14)
        // Above the upper tail's edge: the upper tail contributes 2τ[c(Φ(c) − ½) − φ(0) + φ(c)].
        let high = 2.0, c = (high - 1.5) / tau
        let upper = 2 * tau * (c * (LogExpectedImprovement.normalCumulative(c) - 0.5) - LogExpectedImprovement.normalDensity(0) + LogExpectedImprovement.normalDensity(c))
        let inner = 0.2 * (high + 1) + 0.3 * high + 0.25 * (high - 1)
        XCTAssertEqual(distribution.expectedImprovement(below: high), 0.1 * (high + 1.5 + tau * k) + inner + 0.15 * upper, accuracy: 1e-12)
    }

    func testExpectedImprovementMeanAndVarianceAgreeWithAMonteCarloEstimate() {
        var generator = RandomGenerator(seed: 5)
        let draws = (0..<400_000).map { _ in draw(distribution, using: &generator) }
        let n = Double(draws.count)
        for reference in [-4.0, -1.7, -0.2, 0.9, 2.5] {
            let estimate = draws.reduce(0) { $0 + Swift.max(reference - $1, 0) } / n
            XCTAssertEqual(distribution.expectedImprovement(below: reference), estimate, accuracy: 0.01 * estimate + 2e-5, "f* = \(reference)")
            XCTAssertEqual(distribution.cumulative(reference), Double(draws.filter { $0 <= reference }.count) / n, accuracy: 3e-3, "f* = \(reference)")
        }
        let mean = draws.reduce(0, +) / n
        XCTAssertEqual(distribution.mean, mean, accuracy: 5e-3)
        XCTAssertEqual(distribution.variance, draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n, accuracy: 1e-2)
    }

    func testLogExpectedImprovementStaysFiniteFarBelowTheBins() {
        var previous = Double.infinity
        for reference in [-3.0, -10, -50, -200] {
            let value = distribution.logExpectedImprovement(below: reference)
            XCTAssertTrue(value.isFinite, "f* = \(reference)")
            XCTAssertLessThan(value, previous)
            previous = value
        }
        // Without mass in the lower tail, nothing below the grid can improve.
        let noTail = BarDistribution(probabilities: [0, 0.5, 0.5], lowerEdge: 0, binWidth: 1, tailScale: 1)
        XCTAssertEqual(noTail.logExpectedImprovement(below: 0.5), -.infinity)
        XCTAssertEqual(noTail.expectedImprovement(below: 1.5), 0.5 * 0.5 * 0.5 / 2, accuracy: 1e-15)
    }

    func testLogitsGiveASoftmaxOverTheRange() {
        let d = BarDistribution(logits: [Float](repeating: 0.3, count: 8), range: 2)
        XCTAssertEqual(d.binWidth, 0.5)
        XCTAssertEqual(d.lowerEdge, -2)
        XCTAssertEqual(d.tailScale, 0.5)
        XCTAssertEqual(d.probabilities.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(d.mean, 0, accuracy: 1e-12)
    }
}
