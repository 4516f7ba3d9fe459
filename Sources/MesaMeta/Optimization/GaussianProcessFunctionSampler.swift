import Foundation
import MesaCore

/// Draws objective functions on the unit cube from Gaussian-process priors with random
/// hyperparameters: the function prior that meta-learned optimisers are trained on and the
/// source of held-out test functions for ``BayesianOptimizationBenchmark``.
///
/// Each function picks a kernel (Matérn-5/2 or RBF, equally likely), one length-scale per input
/// (ARD), log-uniform in ``lengthScales``, and an output scale `s`, log-uniform in
/// ``outputScales`` (``drawHyperparameters(dimension:using:)``), and is realised as a
/// ``RandomFourierFunction`` with ``featureCount`` features, which keeps those hyperparameters. The spectral densities of the unit-length-scale kernels are
///
/// - RBF `exp(−r²/2)`: `ω ~ N(0, I)`;
/// - Matérn-ν: a Student-t with `2ν` degrees of freedom, `ω = z √(2ν / g)`, `z ~ N(0, I)`,
///   `g ~ χ²_{2ν}` (ν = 5/2: `g` is a sum of five squared standard normals);
///
/// and a length-scale `ℓⱼ` divides frequency coordinate `j`.
///
/// **Splits.** Function `i` of a ``Split`` is drawn from a generator seeded by the split and
/// `i` alone, so meta-training and meta-test functions never share a draw, and function 7 of the
/// meta-test split is the same function in every run and on every platform.
///
/// **Minimum.** A sampled function's minimum is not known in closed form; it is estimated from
/// ``minimumSearchSize`` uniform points, the best ``minimumRefinements`` refined by
/// ``BoxConstrainedMinimizer`` with the exact gradient.
public struct GaussianProcessFunctionSampler: Sendable {
    /// A stationary kernel whose prior the functions follow (Matérn-5/2 or RBF).
    public typealias Kernel = StationaryKernel.Family

    /// The hyperparameters one function was drawn with: what a Gaussian process would need to
    /// have the function's exact prior (``OracleGaussianProcessSurrogate``). The function's
    /// covariance is `outputScale² k(x, x′)` with `k` the unit-variance kernel of `kernel` with
    /// length-scales `lengthScales`, and its prior mean is 0.
    public struct Hyperparameters: Sendable, Codable, Equatable {
        /// The kernel's family.
        public var kernel: Kernel
        /// The length-scales `ℓⱼ`, one per input, in unit-cube units.
        public var lengthScales: [Double]
        /// The output scale `s`: the prior *standard deviation* of a value (its variance is `s²`).
        public var outputScale: Double

        /// Creates hyperparameters.
        public init(kernel: Kernel, lengthScales: [Double], outputScale: Double) {
            self.kernel = kernel
            self.lengthScales = lengthScales
            self.outputScale = outputScale
        }

        /// The number of inputs.
        public var dimension: Int { lengthScales.count }

        /// The covariance of the function's values, `s² k(x, x′)`.
        public var covariance: StationaryKernel {
            StationaryKernel(family: kernel, lengthScales: lengthScales, outputScale: outputScale * outputScale)
        }

        /// The same prior for a ``GaussianProcess`` whose values were standardised as
        /// `t = (y − outputMean) / outputStandardDeviation`: length-scales unchanged, signal
        /// variance `s² / sd²`, mean `−outputMean / sd` (the functions' prior mean is 0), and the
        /// given `noiseVariance` (standardised units; the functions are noise-free, so this is a
        /// floor that keeps the factorisation well conditioned).
        public func processHyperparameters(outputMean: Double, outputStandardDeviation: Double, noiseVariance: Double) -> GaussianProcessHyperparameters {
            GaussianProcessHyperparameters(lengthScales: lengthScales, outputScale: outputScale * outputScale / (outputStandardDeviation * outputStandardDeviation),
                                           noiseVariance: noiseVariance, mean: -outputMean / outputStandardDeviation, family: kernel)
        }
    }

    /// Which family of functions a draw belongs to.
    public enum Split: UInt64, Sendable {
        /// Functions for meta-training.
        case metaTraining = 1
        /// Held-out functions for meta-testing and benchmarks.
        case metaTest = 2
        /// Functions for choices made while meta-training (held-out losses, settings), so that
        /// the meta-test functions are never looked at before the final measurement.
        case metaValidation = 3
    }

    /// The range of each length-scale (sampled log-uniformly), in unit-cube units.
    public var lengthScales: ClosedRange<Double> = 0.1...1.0
    /// The range of the output scale `s` (the prior standard deviation; sampled log-uniformly).
    public var outputScales: ClosedRange<Double> = 0.5...2.0
    /// The kernels drawn from, equally likely.
    public var kernels: [Kernel] = Kernel.allCases
    /// The number of random Fourier features `M`.
    public var featureCount = 512
    /// The uniform points searched to estimate a function's minimum.
    public var minimumSearchSize = 8192
    /// How many of the best points are refined by gradient.
    public var minimumRefinements = 8

    /// A sampler with the default ranges.
    public init() {}

    /// Function `index` of `split` in `dimension` inputs, named `gp-d<dimension>-<index>`
    /// (meta-test), `gp-validation-d<dimension>-<index>` or `gp-training-d<dimension>-<index>`.
    public func function(index: Int, dimension: Int, split: Split) -> BenchmarkFunction {
        var generator = RandomGenerator(seed: (split.rawValue &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(index) ^ (UInt64(dimension) << 40))
        let prefix = [.metaTest: "gp", .metaValidation: "gp-validation", .metaTraining: "gp-training"][split]!
        return sample(dimension: dimension, name: "\(prefix)-d\(dimension)-\(index < 10 ? "0" : "")\(index)", using: &generator)
    }

    /// The held-out functions of the benchmark protocol: `count` functions of `split` (the
    /// meta-test functions unless asked otherwise), function `i` in `dimensions[i % dimensions.count]` inputs.
    public func heldOutFunctions(count: Int, dimensions: [Int], split: Split = .metaTest) -> [BenchmarkFunction] {
        (0..<count).map { function(index: $0, dimension: dimensions[$0 % dimensions.count], split: split) }
    }

    /// Function `index` of `split` in `dimension` inputs as its Fourier features alone: the same
    /// function as ``function(index:dimension:split:)``, without the search for its minimum (what
    /// meta-training needs, thousands of times per second).
    public func fourierFunction(index: Int, dimension: Int, split: Split) -> RandomFourierFunction {
        var generator = RandomGenerator(seed: (split.rawValue &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(index) ^ (UInt64(dimension) << 40))
        return fourierFunction(dimension: dimension, using: &generator)
    }

    /// A fresh draw in `dimension` inputs from `generator`.
    public func sample(dimension: Int, name: String = "gp", using generator: inout RandomGenerator) -> BenchmarkFunction {
        let function = fourierFunction(dimension: dimension, using: &generator)
        let (minimum, minimizer) = estimatedMinimum(of: function, using: &generator)
        return BenchmarkFunction(name: name, definition: .sampled(function), lowerBounds: Array(repeating: 0, count: dimension),
                                 upperBounds: Array(repeating: 1, count: dimension), minimum: minimum, minimizers: [minimizer])
    }

    /// Hyperparameters for `dimension` inputs drawn from the sampler's prior: a kernel from
    /// ``kernels`` (equally likely), each length-scale log-uniform in ``lengthScales``, the output
    /// scale log-uniform in ``outputScales``. The first draws of ``fourierFunction(dimension:using:)``,
    /// and the prior ``MarginalizedGaussianProcessSurrogate`` averages over.
    public func drawHyperparameters(dimension: Int, using generator: inout RandomGenerator) -> Hyperparameters {
        precondition(dimension >= 1, "GaussianProcessFunctionSampler: dimension must be at least 1")
        let kernel = kernels[Int(generator.next() % UInt64(kernels.count))]
        func logUniform(_ range: ClosedRange<Double>) -> Double {
            exp(log(range.lowerBound) + Double(generator.nextUniform()) * (log(range.upperBound) - log(range.lowerBound)))
        }
        let lengths = (0..<dimension).map { _ in logUniform(lengthScales) }
        return Hyperparameters(kernel: kernel, lengthScales: lengths, outputScale: logUniform(outputScales))
    }

    /// A fresh draw in `dimension` inputs from `generator`, as its Fourier features (the draws
    /// of ``sample(dimension:name:using:)`` before its minimum search); the function keeps the
    /// hyperparameters it was drawn with (``RandomFourierFunction/hyperparameters``).
    public func fourierFunction(dimension: Int, using generator: inout RandomGenerator) -> RandomFourierFunction {
        let hyperparameters = drawHyperparameters(dimension: dimension, using: &generator)
        let kernel = hyperparameters.kernel, lengths = hyperparameters.lengthScales, scale = hyperparameters.outputScale
        var frequencies: [Double] = []
        frequencies.reserveCapacity(featureCount * dimension)
        for _ in 0..<featureCount {
            var factor = 1.0
            if kernel == .matern52 {
                let chiSquared = (0..<5).reduce(0.0) { sum, _ in let z = Double(generator.nextNormal()); return sum + z * z }
                factor = (5 / Swift.max(chiSquared, 1e-12)).squareRoot()
            }
            for j in 0..<dimension { frequencies.append(Double(generator.nextNormal()) * factor / lengths[j]) }
        }
        let phases = (0..<featureCount).map { _ in 2 * Double.pi * Double(generator.nextUniform()) }
        let weights = (0..<featureCount).map { _ in Double(generator.nextNormal()) }
        return RandomFourierFunction(frequencies: frequencies, phases: phases, weights: weights,
                                     amplitude: scale * (2 / Double(featureCount)).squareRoot(), dimension: dimension,
                                     hyperparameters: hyperparameters)
    }

    /// The smallest value found by a uniform search refined by gradient, and where.
    func estimatedMinimum(of function: RandomFourierFunction, using generator: inout RandomGenerator) -> (Double, [Double]) {
        let d = function.dimension
        var candidates: [(value: Double, point: [Double])] = []
        candidates.reserveCapacity(minimumSearchSize)
        for _ in 0..<minimumSearchSize {
            let point = (0..<d).map { _ in Double(generator.nextUniform()) }
            candidates.append((function.value(at: point), point))
        }
        candidates.sort { $0.value < $1.value }
        let minimizer = BoxConstrainedMinimizer(maximumIterations: 200)
        let lower = [Double](repeating: 0, count: d), upper = [Double](repeating: 1, count: d)
        var best = candidates[0]
        for candidate in candidates.prefix(minimumRefinements) {
            let result = minimizer.minimize(from: candidate.point, lower: lower, upper: upper) { function.valueAndGradient(at: $0) }
            if result.value < best.value { best = (result.value, result.point) }
        }
        return (best.value, best.point)
    }
}
