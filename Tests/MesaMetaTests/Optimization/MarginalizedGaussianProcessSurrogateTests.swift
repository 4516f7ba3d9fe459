import Foundation
import MesaCore
import MesaMeta
import XCTest

final class MarginalizedGaussianProcessSurrogateTests: XCTestCase {
    private let observations: [Observation] = {
        var generator = RandomGenerator(seed: 3)
        return (0..<8).map { _ in
            let x = [Double(generator.nextUniform()), Double(generator.nextUniform())]
            return Observation(point: x, value: sin(5 * x[0]) + x[1] * x[1])
        }
    }()
    private let draws = [GaussianProcessFunctionSampler.Hyperparameters(kernel: .matern52, lengthScales: [0.4, 0.2], outputScale: 0.8),
                         GaussianProcessFunctionSampler.Hyperparameters(kernel: .rbf, lengthScales: [0.3, 0.6], outputScale: 1.4)]

    private func fit(_ surrogate: MarginalizedGaussianProcessSurrogate) throws -> GaussianProcessMixture {
        var generator = RandomGenerator(seed: 9)
        return try surrogate.mixture(on: observations, using: &generator)
    }

    func testOneDrawIsThePlainProcessWithThoseHyperparameters() throws {
        for draw in draws {
            let mixture = try fit(MarginalizedGaussianProcessSurrogate(draws: [draw]))
            var oracle = try OracleGaussianProcessSurrogate(hyperparameters: draw)
            var generator = RandomGenerator(seed: 9)
            let process = try XCTUnwrap(oracle.fit(to: observations, using: &generator) as? GaussianProcess)
            XCTAssertEqual(mixture.weights, [1])
            XCTAssertEqual(mixture.effectiveSampleSize, 1)
            XCTAssertEqual(mixture.incumbent, process.incumbent)
            for x in [[0.1, 0.9], [0.5, 0.5], observations[2].point] {
                let m = mixture.moments(at: x, withGradient: true), p = process.moments(at: x, withGradient: true)
                XCTAssertEqual(m.mean, p.mean, accuracy: 1e-12)
                XCTAssertEqual(m.variance, p.variance, accuracy: 1e-12)
                for acquisition in [Acquisition.logExpectedImprovement, .upperConfidenceBound(beta: 2)] {
                    let a = mixture.acquisitionValue(acquisition, at: x, withGradient: true), b = process.acquisitionValue(acquisition, at: x, withGradient: true)
                    XCTAssertEqual(a.value, b.value, accuracy: 1e-10, "\(acquisition)")
                    for j in 0..<2 { XCTAssertEqual(a.gradient![j], b.gradient![j], accuracy: 1e-9, "\(acquisition)") }
                }
            }
            // Fantasies too.
            let x = [0.3, 0.4]
            let a = mixture.conditionedOnFantasy(at: x).acquisitionValue(.logExpectedImprovement, at: [0.31, 0.42], withGradient: false).value
            let b = process.conditionedOnFantasy(at: x).acquisitionValue(.logExpectedImprovement, at: [0.31, 0.42], withGradient: false).value
            XCTAssertEqual(a, b, accuracy: 1e-10)
        }
    }

    func testTheMixtureWeighsDrawsByLikelihoodAndAveragesExpectedImprovement() throws {
        let mixture = try fit(MarginalizedGaussianProcessSurrogate(draws: draws))
        var generator = RandomGenerator(seed: 9)
        let processes = try draws.map { draw -> GaussianProcess in
            var oracle = try OracleGaussianProcessSurrogate(hyperparameters: draw)
            return try XCTUnwrap(oracle.fit(to: observations, using: &generator) as? GaussianProcess)
        }
        // w₁ / w₀ = p(D | θ₁) / p(D | θ₀).
        let likelihoods = processes.map(\.logMarginalLikelihood)
        XCTAssertEqual(mixture.weights.count, 2)
        XCTAssertEqual(log(mixture.weights[1] / mixture.weights[0]), likelihoods[1] - likelihoods[0], accuracy: 1e-9)
        XCTAssertEqual(mixture.weights.reduce(0, +), 1, accuracy: 1e-12)
        for x in [[0.05, 0.95], [0.6, 0.1], [0.45, 0.45]] {
            // log EI of the mixture = log Σ wₖ EIₖ; its gradient against finite differences.
            let perDraw = processes.map { exp($0.acquisitionValue(.logExpectedImprovement, at: x, withGradient: false).value) }
            let expected = log(zip(mixture.weights, perDraw).reduce(0) { $0 + $1.0 * $1.1 })
            let (value, gradient) = mixture.acquisitionValue(.logExpectedImprovement, at: x, withGradient: true)
            XCTAssertEqual(value, expected, accuracy: 1e-10)
            for acquisition in [Acquisition.logExpectedImprovement, .upperConfidenceBound(beta: 2)] {
                let analytic = mixture.acquisitionValue(acquisition, at: x, withGradient: true).gradient!
                for j in 0..<2 {
                    var plus = x, minus = x
                    plus[j] += 1e-6
                    minus[j] -= 1e-6
                    let numeric = (mixture.acquisitionValue(acquisition, at: plus, withGradient: false).value
                        - mixture.acquisitionValue(acquisition, at: minus, withGradient: false).value) / 2e-6
                    XCTAssertEqual(analytic[j], numeric, accuracy: 1e-4 * Swift.max(1, Swift.abs(numeric)), "\(acquisition) at \(x)")
                }
            }
            XCTAssertEqual(gradient!.count, 2)
            // The mixture's mean and variance by the law of total variance.
            let moments = processes.map { $0.moments(at: x, withGradient: false) }
            let mean = zip(mixture.weights, moments).reduce(0) { $0 + $1.0 * $1.1.mean }
            let second = zip(mixture.weights, moments).reduce(0) { $0 + $1.0 * ($1.1.variance + $1.1.mean * $1.1.mean) }
            XCTAssertEqual(mixture.moments(at: x, withGradient: false).mean, mean, accuracy: 1e-12)
            XCTAssertEqual(mixture.moments(at: x, withGradient: false).variance, second - mean * mean, accuracy: 1e-12)
        }
    }

    func testNegligibleDrawsAreDroppedAndFreshDrawsComeFromTheSamplersPrior() throws {
        // A draw 30 nats less likely than another weighs e⁻³⁰ < 10⁻⁶: dropped.
        let process = try XCTUnwrap({ () throws -> GaussianProcess? in
            var oracle = try OracleGaussianProcessSurrogate(hyperparameters: draws[0])
            var generator = RandomGenerator(seed: 1)
            return try oracle.fit(to: observations, using: &generator) as? GaussianProcess
        }())
        let mixture = GaussianProcessMixture(components: [process, process], logWeights: [0, -30])
        XCTAssertEqual(mixture.weights, [1])
        XCTAssertEqual(GaussianProcessMixture(components: [process, process], logWeights: [0, .nan]).weights, [1])
        // 64 fresh draws: each kept component's hyperparameters lie in the sampler's ranges; the
        // same generator gives the same mixture, another generator another.
        var sampler = GaussianProcessFunctionSampler()
        sampler.kernels = [.rbf]
        let surrogate = try MarginalizedGaussianProcessSurrogate(sampler: sampler, drawCount: 64)
        XCTAssertEqual(surrogate.name, "gp-bayes")
        var a = RandomGenerator(seed: 5), b = RandomGenerator(seed: 5), c = RandomGenerator(seed: 6)
        let first = try surrogate.mixture(on: observations, using: &a)
        XCTAssertEqual(first.weights, try surrogate.mixture(on: observations, using: &b).weights)
        XCTAssertNotEqual(first.weights, try surrogate.mixture(on: observations, using: &c).weights)
        XCTAssertGreaterThan(first.components.count, 1)
        for component in first.components {
            XCTAssertEqual(component.hyperparameters.family, .rbf)
            XCTAssertTrue(component.hyperparameters.lengthScales.allSatisfy { sampler.lengthScales.contains($0) })
        }
    }

    func testBadInputIsAClearError() {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message { _ = try MarginalizedGaussianProcessSurrogate(drawCount: 0) }.contains("at least 1 hyperparameter draw, got 0"))
        XCTAssertTrue(message { _ = try MarginalizedGaussianProcessSurrogate(draws: []) }.contains("at least 1 hyperparameter draw, got none"))
        XCTAssertTrue(message { _ = try MarginalizedGaussianProcessSurrogate(draws: [draws[0], .init(kernel: .rbf, lengthScales: [0.2], outputScale: 1)]) }
            .contains("same number of length-scales, got [1, 2]"))
        XCTAssertTrue(message { _ = try MarginalizedGaussianProcessSurrogate(draws: [.init(kernel: .rbf, lengthScales: [0.2], outputScale: -1)]) }
            .contains("positive finite output scale"))
        var empty = GaussianProcessFunctionSampler()
        empty.kernels = []
        XCTAssertTrue(message { _ = try MarginalizedGaussianProcessSurrogate(sampler: empty) }.contains("at least one kernel"))
        XCTAssertTrue(message { _ = try MarginalizedGaussianProcessSurrogate(noiseVariance: 0) }.contains("positive finite noise variance, got 0.0"))
        XCTAssertTrue(message {
            var surrogate = try MarginalizedGaussianProcessSurrogate(draws: [.init(kernel: .rbf, lengthScales: [0.2], outputScale: 1)])
            var generator = RandomGenerator(seed: 1)
            _ = try surrogate.fit(to: observations, using: &generator)
        }.contains("has 1 length-scales, and the observations have 2 coordinates"))
    }
}
