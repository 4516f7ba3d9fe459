import Foundation
import MesaCore
import MesaMeta
import XCTest

final class GaussianProcessTests: XCTestCase {
    private let hyperparameters = GaussianProcessHyperparameters(lengthScales: [0.4], outputScale: 1.3, noiseVariance: 0.01, mean: 0.2)

    func testPosteriorMatchesTheClosedFormWithTwoPoints() {
        // Two observations in 1-D: K = [[s² + σ², k₁₂], [k₁₂, s² + σ²]] inverted by hand.
        let inputs = [[0.1], [0.6]], targets = [0.5, -1.0]
        let process = GaussianProcess(inputs: inputs, values: targets, hyperparameters: hyperparameters)
        let (mean, deviation) = GaussianProcess.standardization(of: targets)
        let t = targets.map { ($0 - mean) / deviation }
        let kernel = hyperparameters.kernel
        let a = 1.3 + 0.01, b = kernel([0.1], [0.6]), determinant = a * a - b * b
        let r = t.map { $0 - 0.2 }
        let alpha = [(a * r[0] - b * r[1]) / determinant, (-b * r[0] + a * r[1]) / determinant]
        for x in [0.0, 0.1, 0.35, 0.9] {
            let k = [kernel([x], [0.1]), kernel([x], [0.6])]
            let expectedMean = 0.2 + k[0] * alpha[0] + k[1] * alpha[1]
            let quadratic = (a * k[0] * k[0] - 2 * b * k[0] * k[1] + a * k[1] * k[1]) / determinant
            let moments = process.moments(at: [x], withGradient: false)
            XCTAssertEqual(moments.mean, expectedMean, accuracy: 1e-12)
            XCTAssertEqual(moments.variance, 1.3 - quadratic, accuracy: 1e-12)
            let prediction = process.prediction(at: [x])
            XCTAssertEqual(prediction.mean, mean + deviation * expectedMean, accuracy: 1e-10)
        }
        // The Matérn-5/2 kernel's closed form at r = 1.
        XCTAssertEqual(kernel([0], [0.4]), 1.3 * (1 + 5.0.squareRoot() + 5.0 / 3) * exp(-5.0.squareRoot()), accuracy: 1e-12)
    }

    func testTheRBFKernelMatchesItsClosedForm() {
        let kernel = StationaryKernel(family: .rbf, lengthScales: [0.5, 0.25], outputScale: 1.7)
        // r² = (0.3/0.5)² + (0.1/0.25)² = 0.36 + 0.16
        XCTAssertEqual(kernel([0.1, 0.2], [0.4, 0.3]), 1.7 * exp(-0.5 * 0.52), accuracy: 1e-12)
        XCTAssertEqual(kernel.valueAndSlope([0.1, 0.2], [0.4, 0.3]).slope, kernel([0.1, 0.2], [0.4, 0.3]), accuracy: 1e-15)
        XCTAssertEqual(GaussianProcessHyperparameters(lengthScales: [0.5, 0.25], outputScale: 1.7, noiseVariance: 0.1, mean: 0, family: .rbf).kernel, kernel)
    }

    func testMomentGradientsMatchFiniteDifferences() {
        for family in StationaryKernel.Family.allCases { checkMomentGradients(family: family) }
    }

    private func checkMomentGradients(family: StationaryKernel.Family) {
        var generator = RandomGenerator(seed: 5)
        let inputs = (0..<7).map { _ in (0..<3).map { _ in Double(generator.nextUniform()) } }
        let values = inputs.map { sin(3 * $0[0]) + $0[1] * $0[2] }
        let process = GaussianProcess(inputs: inputs, values: values, hyperparameters: GaussianProcessHyperparameters(
            lengthScales: [0.3, 0.5, 0.8], outputScale: 0.9, noiseVariance: 1e-4, mean: 0, family: family))
        let x = [0.41, 0.27, 0.66]
        let moments = process.moments(at: x, withGradient: true)
        for j in 0..<3 {
            var plus = x, minus = x
            plus[j] += 1e-6
            minus[j] -= 1e-6
            let up = process.moments(at: plus, withGradient: false), down = process.moments(at: minus, withGradient: false)
            XCTAssertEqual(moments.meanGradient[j], (up.mean - down.mean) / 2e-6, accuracy: 1e-5)
            XCTAssertEqual(moments.varianceGradient[j], (up.variance - down.variance) / 2e-6, accuracy: 1e-5)
            for acquisition in [Acquisition.logExpectedImprovement, .upperConfidenceBound(beta: 2)] {
                let gradient = process.acquisitionValue(acquisition, at: x, withGradient: true).gradient!
                let numeric = (process.acquisitionValue(acquisition, at: plus, withGradient: false).value
                    - process.acquisitionValue(acquisition, at: minus, withGradient: false).value) / 2e-6
                XCTAssertEqual(gradient[j], numeric, accuracy: 1e-4 * Swift.max(1, Swift.abs(numeric)), "\(acquisition) coordinate \(j)")
            }
        }
    }

    func testFantasyConditioningEqualsRefittingWithThePoint() {
        let inputs = [[0.1, 0.2], [0.7, 0.4], [0.3, 0.9]], values = [1.0, -0.5, 0.25]
        let h = GaussianProcessHyperparameters(lengthScales: [0.5, 0.3], outputScale: 1, noiseVariance: 1e-3, mean: 0.1)
        let process = GaussianProcess(inputs: inputs, values: values, hyperparameters: h)
        let x = [0.5, 0.5]
        let fantasy = process.moments(at: x, withGradient: false).mean
        let conditioned = process.conditioned(on: x, target: fantasy)
        // The mean is unchanged at x; the variance there drops to about the noise.
        XCTAssertEqual(conditioned.moments(at: x, withGradient: false).mean, fantasy, accuracy: 1e-9)
        XCTAssertLessThan(conditioned.moments(at: x, withGradient: false).variance, 2e-3)
        XCTAssertEqual(conditioned.incumbent, Swift.min(process.incumbent, fantasy))
        XCTAssertEqual(conditioned.inputs.count, 4)
    }
}
