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

    func testTheSamplerReturnsTheHyperparametersItDrewWith() {
        // A function's covariance over its weights and phases, given its frequencies, is
        // (a²/2) Σₘ cos(ωₘ · Δ), which tends to s² k(Δ) as M grows: with 40,000 features it must
        // match the returned kernel, length-scales and output scale within Monte-Carlo error
        // (≈ s²/√(2M) ≈ 0.004 s²), far closer than another family (0.08 apart at r = 1) or a
        // length-scale 20 % off.
        var sampler = GaussianProcessFunctionSampler()
        sampler.featureCount = 40_000
        var generator = RandomGenerator(seed: 31)
        var seen = Set<GaussianProcessFunctionSampler.Kernel>()
        for index in 0..<8 {
            let dimension = [1, 2, 3, 6][index % 4]
            let function = sampler.fourierFunction(index: index, dimension: dimension, split: .metaTraining)
            guard let truth = function.hyperparameters else { return XCTFail("the sampler kept no hyperparameters") }
            seen.insert(truth.kernel)
            XCTAssertEqual(truth.dimension, dimension)
            XCTAssertTrue(truth.lengthScales.allSatisfy { sampler.lengthScales.contains($0) } && sampler.outputScales.contains(truth.outputScale))
            XCTAssertEqual(function.amplitude, truth.outputScale * (2 / 40_000.0).squareRoot(), accuracy: 1e-15)
            let variance = truth.outputScale * truth.outputScale
            for _ in 0..<6 {
                // Offsets at r ≈ 0.5–1.5 under the returned length-scales, where the families differ most.
                let direction = (0..<dimension).map { _ in Double(generator.nextNormal()) }
                let norm = (zip(direction, truth.lengthScales).reduce(0) { $0 + ($1.0 / $1.1) * ($1.0 / $1.1) }).squareRoot()
                let r = 0.5 + Double(generator.nextUniform())
                let offset = direction.map { $0 * r / norm }
                var empirical = 0.0
                for m in 0..<function.featureCount {
                    var argument = 0.0
                    for j in 0..<dimension { argument += function.frequencies[m * dimension + j] * offset[j] }
                    empirical += cos(argument)
                }
                empirical *= function.amplitude * function.amplitude / 2
                let zero = [Double](repeating: 0, count: dimension)
                XCTAssertEqual(empirical, truth.covariance(zero, offset), accuracy: 0.02 * variance, "\(truth.kernel) d = \(dimension) r = \(r)")
                // Negative controls: the other family, or length-scales 20 % longer, are told apart.
                var otherFamily = truth, longer = truth
                otherFamily.kernel = truth.kernel == .rbf ? .matern52 : .rbf
                longer.lengthScales = truth.lengthScales.map { $0 * 1.2 }
                XCTAssertGreaterThan(Swift.abs(empirical - otherFamily.covariance(zero, offset)), 0.02 * variance)
                XCTAssertGreaterThan(Swift.abs(empirical - longer.covariance(zero, offset)), 0.02 * variance)
            }
        }
        XCTAssertEqual(seen, [.matern52, .rbf])
        // The same draw as before the function: the hyperparameters come first from the generator.
        var a = RandomGenerator(seed: 4), b = RandomGenerator(seed: 4)
        XCTAssertEqual(sampler.drawHyperparameters(dimension: 3, using: &a), sampler.fourierFunction(dimension: 3, using: &b).hyperparameters)
        // The benchmark's functions carry them too.
        sampler.featureCount = 64
        sampler.minimumSearchSize = 16
        guard case .sampled(let features) = sampler.function(index: 0, dimension: 2, split: .metaValidation).definition else { return XCTFail("not sampled") }
        XCTAssertEqual(features.hyperparameters, sampler.fourierFunction(index: 0, dimension: 2, split: .metaValidation).hyperparameters)
    }
}
