import Foundation
import MesaCore
import MesaMeta
import XCTest

final class OracleGaussianProcessSurrogateTests: XCTestCase {
    private let truth = GaussianProcessFunctionSampler.Hyperparameters(kernel: .rbf, lengthScales: [0.3], outputScale: 1.5)

    func testThePosteriorIsTheZeroMeanProcessOnTheRawValues() throws {
        // Two raw observations, prior mean 0, covariance s² k: μ(x) = k*ᵀ K⁻¹ y and
        // σ²(x) = s² − k*ᵀ K⁻¹ k*, by hand; the surrogate standardises internally and must give the same.
        let inputs = [[0.2], [0.55]], values = [3.0, 1.0]
        var surrogate = try OracleGaussianProcessSurrogate(hyperparameters: truth, noiseVariance: 1e-9)
        var generator = RandomGenerator(seed: 1)
        let process = try XCTUnwrap(surrogate.fit(to: zip(inputs, values).map { Observation(point: $0, value: $1) }, using: &generator) as? GaussianProcess)
        let k = truth.covariance, a = k([0.2], [0.2]), b = k([0.2], [0.55]), determinant = a * a - b * b
        for x in [0.0, 0.2, 0.4, 0.9] {
            let kx = [k([x], [0.2]), k([x], [0.55])]
            let mean = (kx[0] * (a * values[0] - b * values[1]) + kx[1] * (-b * values[0] + a * values[1])) / determinant
            let variance = 2.25 - (a * kx[0] * kx[0] - 2 * b * kx[0] * kx[1] + a * kx[1] * kx[1]) / determinant
            let prediction = process.prediction(at: [x])
            XCTAssertEqual(prediction.mean, mean, accuracy: 1e-6)
            XCTAssertEqual(prediction.variance, variance, accuracy: 1e-6)
        }
        XCTAssertEqual(process.hyperparameters.family, .rbf)
        XCTAssertEqual(surrogate.name, "gp-oracle")
    }

    func testBadInputIsAClearError() {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message { _ = try OracleGaussianProcessSurrogate(hyperparameters: .init(kernel: .rbf, lengthScales: [0.3, -1], outputScale: 1)) }
            .contains("each a positive finite number, got [0.3, -1.0]"))
        XCTAssertTrue(message { _ = try OracleGaussianProcessSurrogate(hyperparameters: .init(kernel: .rbf, lengthScales: [], outputScale: 1)) }
            .contains("at least one length-scale"))
        XCTAssertTrue(message { _ = try OracleGaussianProcessSurrogate(hyperparameters: .init(kernel: .matern52, lengthScales: [0.3], outputScale: 0)) }
            .contains("positive finite output scale, got 0.0"))
        XCTAssertTrue(message { _ = try OracleGaussianProcessSurrogate(hyperparameters: truth, noiseVariance: .nan) }.contains("noise variance"))
        XCTAssertTrue(message {
            var surrogate = try OracleGaussianProcessSurrogate(hyperparameters: truth)
            var generator = RandomGenerator(seed: 1)
            _ = try surrogate.fit(to: [Observation(point: [0.1, 0.2], value: 1)], using: &generator)
        }.contains("has 1 length-scales, and the observations have 2 coordinates"))
        XCTAssertTrue(message {
            var surrogate = try OracleGaussianProcessSurrogate(hyperparameters: truth)
            var generator = RandomGenerator(seed: 1)
            _ = try surrogate.fit(to: [], using: &generator)
        }.contains("at least one observation"))
    }
}
