import Foundation
import MesaCore
import MesaMeta
import XCTest

final class GaussianProcessFunctionSamplerTests: XCTestCase {
    private func features(_ function: BenchmarkFunction) -> RandomFourierFunction {
        guard case .sampled(let features) = function.definition else { fatalError("not a sampled function") }
        return features
    }

    func testFunctionsAreFixedBySplitAndIndex() {
        var sampler = GaussianProcessFunctionSampler()
        sampler.minimumSearchSize = 256
        let a = sampler.function(index: 3, dimension: 2, split: .metaTest), b = sampler.function(index: 3, dimension: 2, split: .metaTest)
        XCTAssertEqual(features(a), features(b))
        XCTAssertEqual(a.minimum, b.minimum)
        XCTAssertNotEqual(features(a), features(sampler.function(index: 3, dimension: 2, split: .metaTraining)))
        XCTAssertNotEqual(features(a), features(sampler.function(index: 4, dimension: 2, split: .metaTest)))
        XCTAssertEqual(a.name, "gp-d2-03")
        XCTAssertEqual(sampler.heldOutFunctions(count: 5, dimensions: [2, 3, 4, 6]).map(\.dimension), [2, 3, 4, 6, 2])
    }

    func testTheEstimatedMinimumIsBelowEveryRandomPointAndGradientsAreExact() {
        var sampler = GaussianProcessFunctionSampler()
        sampler.minimumSearchSize = 1024
        var generator = RandomGenerator(seed: 8)
        for dimension in [1, 3] {
            let function = sampler.function(index: 0, dimension: dimension, split: .metaTraining)
            XCTAssertEqual(function.value(at: function.minimizers[0]), function.minimum, accuracy: 1e-12)
            for _ in 0..<2000 {
                let x = (0..<dimension).map { _ in Double(generator.nextUniform()) }
                XCTAssertGreaterThanOrEqual(function.value(at: x), function.minimum - 1e-9)
            }
            let f = features(function), x = (0..<dimension).map { _ in Double(generator.nextUniform()) }
            let (value, gradient) = f.valueAndGradient(at: x)
            XCTAssertEqual(value, f.value(at: x), accuracy: 1e-12)
            for j in 0..<dimension {
                var plus = x, minus = x
                plus[j] += 1e-6
                minus[j] -= 1e-6
                XCTAssertEqual(gradient[j], (f.value(at: plus) - f.value(at: minus)) / 2e-6, accuracy: 1e-5 * Swift.max(1, abs(gradient[j])))
            }
        }
    }

    func testDrawsHaveTheKernelsCovariance() {
        // Fixed hyperparameters: cov(f(x), f(x′)) over many draws is s² k(r).
        for kernel in GaussianProcessFunctionSampler.Kernel.allCases {
            var sampler = GaussianProcessFunctionSampler()
            sampler.kernels = [kernel]
            sampler.lengthScales = 0.25...0.25
            sampler.outputScales = 1...1
            sampler.featureCount = 128
            sampler.minimumSearchSize = 1
            sampler.minimumRefinements = 0
            var generator = RandomGenerator(seed: 2)
            let x = [0.2, 0.5], y = [0.4, 0.5]          // r = 0.2 / 0.25 = 0.8
            var sumXX = 0.0, sumXY = 0.0
            let count = 3000
            for _ in 0..<count {
                let function = sampler.sample(dimension: 2, using: &generator)
                let fx = function.value(at: x), fy = function.value(at: y)
                sumXX += fx * fx
                sumXY += fx * fy
            }
            let r = 0.8
            let expected = kernel == .rbf ? exp(-r * r / 2) : (1 + 5.0.squareRoot() * r + 5 * r * r / 3) * exp(-5.0.squareRoot() * r)
            XCTAssertEqual(sumXX / Double(count), 1, accuracy: 0.08, "\(kernel)")
            XCTAssertEqual(sumXY / Double(count), expected, accuracy: 0.08, "\(kernel)")
        }
    }
}
