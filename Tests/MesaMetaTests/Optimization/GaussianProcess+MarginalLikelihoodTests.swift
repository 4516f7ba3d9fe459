import Foundation
import MesaCore
import MesaMeta
import XCTest

final class GaussianProcessMarginalLikelihoodTests: XCTestCase {
    func testValueMatchesTheClosedFormForOnePoint() {
        // n = 1: log N(t; c, s² + σ²).
        let vector = [log(0.3), log(1.7), log(0.05), 0.4]
        let (value, _) = GaussianProcess.logMarginalLikelihood(inputs: [[0.2]], targets: [1.1], vector: vector)
        let variance = 1.7 + 0.05
        XCTAssertEqual(value, -0.5 * (1.1 - 0.4) * (1.1 - 0.4) / variance - 0.5 * log(2 * Double.pi * variance), accuracy: 1e-12)
    }

    func testGradientMatchesFiniteDifferences() {
        var generator = RandomGenerator(seed: 21)
        for family in StationaryKernel.Family.allCases {
            for d in [1, 3] {
                let inputs = (0..<9).map { _ in (0..<d).map { _ in Double(generator.nextUniform()) } }
                let targets = inputs.map { x in x.reduce(0) { $0 + sin(4 * $1) } + 0.1 * Double(generator.nextNormal()) }
                let vector = (0..<d).map { _ in log(0.2 + 0.5 * Double(generator.nextUniform())) } + [log(1.2), log(0.02), -0.3]
                let (value, gradient) = GaussianProcess.logMarginalLikelihood(inputs: inputs, targets: targets, vector: vector, family: family)
                // The process's own value, from its factor, is the same number.
                let process = GaussianProcess(inputs: inputs, values: targets, hyperparameters: GaussianProcessHyperparameters(vector: vector, dimension: d, family: family))
                let (mean, deviation) = GaussianProcess.standardization(of: targets)
                let standardized = GaussianProcess.logMarginalLikelihood(inputs: inputs, targets: targets.map { ($0 - mean) / deviation }, vector: vector, family: family)
                XCTAssertEqual(process.logMarginalLikelihood, standardized.value, accuracy: 1e-9, "\(family)")
                for k in 0..<vector.count {
                    var plus = vector, minus = vector
                    plus[k] += 1e-6
                    minus[k] -= 1e-6
                    let numeric = (GaussianProcess.logMarginalLikelihood(inputs: inputs, targets: targets, vector: plus, family: family).value
                        - GaussianProcess.logMarginalLikelihood(inputs: inputs, targets: targets, vector: minus, family: family).value) / 2e-6
                    XCTAssertEqual(gradient[k], numeric, accuracy: 1e-5 * Swift.max(1, Swift.abs(numeric)), "\(family), d = \(d), hyperparameter \(k)")
                }
                XCTAssertTrue(value.isFinite)
            }
        }
        // The two families give different likelihoods (the family is used, not ignored).
        let inputs = [[0.1], [0.5], [0.8]], targets = [0.3, -1.0, 0.7], vector = [log(0.3), 0, log(1e-3), 0]
        XCTAssertNotEqual(GaussianProcess.logMarginalLikelihood(inputs: inputs, targets: targets, vector: vector, family: .rbf).value,
                          GaussianProcess.logMarginalLikelihood(inputs: inputs, targets: targets, vector: vector).value, accuracy: 1e-3)
    }

    func testPriorGradientMatchesFiniteDifferences() {
        let prior = GaussianProcessPrior()
        let vector = [log(0.3), log(2.0), log(0.7), log(0.01), 0.5]
        let (_, gradient) = prior.logDensity(vector, dimension: 2)
        for k in 0..<vector.count {
            var plus = vector, minus = vector
            plus[k] += 1e-6
            minus[k] -= 1e-6
            let numeric = (prior.logDensity(plus, dimension: 2).value - prior.logDensity(minus, dimension: 2).value) / 2e-6
            XCTAssertEqual(gradient[k], numeric, accuracy: 1e-6)
        }
    }

    func testTheFitRecoversALengthScale() throws {
        // Values of a smooth 1-D function: the fitted process interpolates them and is confident nearby.
        let inputs = (0..<12).map { [Double($0) / 11] }
        let observations = inputs.map { Observation(point: $0, value: sin(6 * $0[0])) }
        var surrogate = GaussianProcessSurrogate()
        var generator = RandomGenerator(seed: 1)
        let process = surrogate.fitProcess(to: observations, using: &generator)
        for observation in observations {
            XCTAssertEqual(process.prediction(at: observation.point).mean, observation.value, accuracy: 1e-2)
        }
        XCTAssertEqual(process.prediction(at: [0.5]).mean, sin(3.0), accuracy: 0.02)
        XCTAssertGreaterThan(process.hyperparameters.lengthScales[0], 0.05)
        XCTAssertLessThan(process.hyperparameters.lengthScales[0], 2)
        XCTAssertEqual(surrogate.lastHyperparameters, process.hyperparameters)
    }
}
