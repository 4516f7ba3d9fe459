import Foundation

/// A function drawn (approximately) from a stationary Gaussian-process prior, as a finite sum of
/// random Fourier features (Rahimi & Recht 2007, "Random Features for Large-Scale Kernel
/// Machines"):
///
///     f(x) = a Σₘ wₘ cos(ωₘ · x + bₘ),   a = s √(2/M),  wₘ ~ N(0, 1),  bₘ ~ U[0, 2π),
///
/// with `M` frequencies `ωₘ` drawn from the kernel's spectral density (its Fourier transform),
/// already divided by the length-scales. The covariance of `f` tends to `s² k(x, x′)` as `M`
/// grows, and, unlike a joint draw at given inputs, the function is fixed once drawn: it can be
/// evaluated anywhere, any number of times, in `O(M d)`, and differentiated in closed form.
public struct RandomFourierFunction: Sendable, Codable, Equatable {
    /// The frequencies `ωₘ`, `[M, d]` row-major.
    public let frequencies: [Double]
    /// The phases `bₘ`, `[M]`.
    public let phases: [Double]
    /// The weights `wₘ`, `[M]`.
    public let weights: [Double]
    /// The common factor `a = s √(2/M)`.
    public let amplitude: Double
    /// The number of inputs `d`.
    public let dimension: Int
    /// The Gaussian-process prior the function was drawn from, when ``GaussianProcessFunctionSampler``
    /// drew it (`nil` for features given by hand): the yardstick ``OracleGaussianProcessSurrogate`` uses it.
    public let hyperparameters: GaussianProcessFunctionSampler.Hyperparameters?

    /// Creates a function from its features, and the prior they were drawn from if known.
    public init(frequencies: [Double], phases: [Double], weights: [Double], amplitude: Double, dimension: Int,
                hyperparameters: GaussianProcessFunctionSampler.Hyperparameters? = nil) {
        precondition(frequencies.count == phases.count * dimension && weights.count == phases.count,
                     "RandomFourierFunction: \(phases.count) phases need \(phases.count * dimension) frequencies and \(phases.count) weights")
        self.frequencies = frequencies
        self.phases = phases
        self.weights = weights
        self.amplitude = amplitude
        self.dimension = dimension
        self.hyperparameters = hyperparameters
    }

    /// The number of features `M`.
    public var featureCount: Int { phases.count }

    /// `f(x)`.
    public func value(at x: [Double]) -> Double {
        var sum = 0.0
        for m in 0..<featureCount {
            var argument = phases[m]
            for j in 0..<dimension { argument += frequencies[m * dimension + j] * x[j] }
            sum += weights[m] * cos(argument)
        }
        return amplitude * sum
    }

    /// `f(x)` and `∇f(x) = −a Σₘ wₘ sin(ωₘ · x + bₘ) ωₘ`.
    public func valueAndGradient(at x: [Double]) -> (value: Double, gradient: [Double]) {
        var sum = 0.0
        var gradient = [Double](repeating: 0, count: dimension)
        for m in 0..<featureCount {
            var argument = phases[m]
            for j in 0..<dimension { argument += frequencies[m * dimension + j] * x[j] }
            sum += weights[m] * cos(argument)
            let slope = -weights[m] * sin(argument)
            for j in 0..<dimension { gradient[j] += slope * frequencies[m * dimension + j] }
        }
        return (amplitude * sum, gradient.map { $0 * amplitude })
    }
}
