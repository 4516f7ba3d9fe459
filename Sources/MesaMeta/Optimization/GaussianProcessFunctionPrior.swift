import Foundation
import MesaCore

/// The prior that the PFNs4BO surrogate (``PriorFittedSurrogate``) is pre-trained on: sets of
/// points of functions drawn from Gaussian-process priors, read by a ``TabularTransformer`` the
/// way the tabular regressor reads tables (Müller et al. 2023, "PFNs4BO: In-Context Learning for
/// Bayesian Optimization", §3: a prior-data fitted network trained on GP draws).
///
/// One set: a dimension `d` uniform in ``dimensions``; function `i` of the sampler's
/// meta-training split (``GaussianProcessFunctionSampler/fourierFunction(index:dimension:split:)``,
/// `i` a random 39-bit index; held-out losses use the meta-validation split, never the meta-test
/// functions of the benchmark); `rowCount` points, each uniform in `[0, 1]^d` or, with a
/// probability drawn per set uniformly from `[0, nearbyFraction]`, a Gaussian perturbation of an
/// earlier context point (standard deviation log-uniform in `[10⁻³, 0.2]`, clamped into the cube),
/// so that sets hold clusters and queries next to observed points as Bayesian optimisation's
/// histories do (with uniform points alone, the network never learns how sharply a function is
/// pinned down next to an observation); their values
/// standardised on the first `trainCount` (the context) by ``standardization(of:)``, and the
/// points encoded by ``encodedFeatures(_:)``. With probability ``traceFraction`` the set is instead
/// an optimisation trace (``sampleTrace(of:rowCount:trainCount:using:)``): a context that closes in
/// on its running best point, and queries next to it and to the other context points. The network
/// learns to predict the remaining rows' standardised values as a bar distribution.
///
/// In a pre-training configuration (`mesa pretrain --config`), the `functionPrior` section:
///
/// ```json
/// "functionPrior": {"dimensions": [1, 6], "lengthScales": [0.1, 1], "nearbyFraction": 0.5, "traceFraction": 0}
/// ```
public struct GaussianProcessFunctionPrior: Sendable, Codable, Equatable {
    /// The input dimensions drawn from, uniformly (the model's `maximumFeatures` must reach the upper bound).
    public var dimensions = 1...6
    /// The length-scales' range (log-uniform, per input; ``GaussianProcessFunctionSampler/lengthScales``).
    public var lengthScales = 0.1...1.0
    /// The output scales' range (log-uniform; standardisation removes it, but it is the sampler's).
    public var outputScales = 0.5...2.0
    /// The random Fourier features per function.
    public var featureCount = 512
    /// The largest probability that a point is drawn next to an earlier context point.
    public var nearbyFraction = 0.5
    /// The probability that a set is an optimisation trace rather than uniform and nearby points
    /// (0, the default, draws no trace and leaves earlier recipes' sets unchanged).
    public var traceFraction = 0.0

    /// The defaults: the benchmark's sampler in 1–6 dimensions.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case dimensions, lengthScales, outputScales, featureCount, nearbyFraction, traceFraction }

    /// Decodes with defaults for absent fields; unknown fields are an error.
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "functionPrior")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GaussianProcessFunctionPrior()
        dimensions = try c.value(.dimensions, default: d.dimensions)
        lengthScales = try c.value(.lengthScales, default: d.lengthScales)
        outputScales = try c.value(.outputScales, default: d.outputScales)
        featureCount = try c.value(.featureCount, default: d.featureCount)
        nearbyFraction = try c.value(.nearbyFraction, default: d.nearbyFraction)
        traceFraction = try c.value(.traceFraction, default: d.traceFraction)
    }

    /// Why this prior cannot be sampled, or `nil` when it can.
    public var problem: String? {
        guard dimensions.lowerBound >= 1 else { return "functionPrior.dimensions must start at 1 or more" }
        guard lengthScales.lowerBound > 0, outputScales.lowerBound > 0 else { return "functionPrior: length-scales and output scales must be positive" }
        guard featureCount >= 1 else { return "functionPrior.featureCount must be at least 1" }
        guard (0...1).contains(nearbyFraction) else { return "functionPrior.nearbyFraction must be in [0, 1]" }
        guard (0...1).contains(traceFraction) else { return "functionPrior.traceFraction must be in [0, 1]" }
        return nil
    }

    /// The sampler these settings describe.
    public var sampler: GaussianProcessFunctionSampler {
        var sampler = GaussianProcessFunctionSampler()
        sampler.lengthScales = lengthScales
        sampler.outputScales = outputScales
        sampler.featureCount = featureCount
        return sampler
    }

    /// Draws one set of `rowCount` points whose first `trainCount` are the context (see the
    /// type's discussion); functions come from `split` (meta-training for training steps,
    /// meta-validation for held-out losses).
    public func sample(rowCount: Int, trainCount: Int, split: GaussianProcessFunctionSampler.Split,
                       using generator: inout RandomGenerator) -> TabularSample {
        precondition(rowCount > trainCount && trainCount >= 1, "GaussianProcessFunctionPrior: need 1 ≤ trainCount < rowCount")
        let d = dimensions.lowerBound + generator.nextIndex(below: dimensions.count)
        let function = sampler.fourierFunction(index: Int(generator.next() >> 25), dimension: d, split: split)
        if traceFraction > 0 && generator.nextDouble() < traceFraction {
            let trace = Self.sampleTrace(of: function, rowCount: rowCount, trainCount: trainCount, using: &generator)
            return Self.set(points: trace.points, values: trace.values, trainCount: trainCount)
        }
        var values: [Double] = []
        var points: [[Double]] = []
        let nearby = generator.nextDouble() * nearbyFraction
        for row in 0..<rowCount {
            var x: [Double]
            if row > 0 && generator.nextDouble() < nearby {
                let centre = points[generator.nextIndex(below: Swift.min(row, trainCount))]
                x = Self.point(near: centre, scale: Self.nearbyScale(using: &generator), using: &generator)
            } else {
                x = (0..<d).map { _ in generator.nextDouble() }
            }
            points.append(x)
            values.append(function.value(at: x))
        }
        return Self.set(points: points, values: values, trainCount: trainCount)
    }

    /// How far a point drawn next to another lies: a scale log-uniform in `[10⁻³, 0.2]`.
    static func nearbyScale(using generator: inout RandomGenerator) -> Double {
        exp(log(1e-3) + generator.nextDouble() * (log(0.2) - log(1e-3)))
    }

    /// `centre` plus `N(0, scale²)` in each coordinate, clamped into the unit cube.
    static func point(near centre: [Double], scale: Double, using generator: inout RandomGenerator) -> [Double] {
        centre.map { Swift.min(Swift.max($0 + scale * Double(generator.nextNormal()), 0), 1) }
    }

    /// The set of `points` and their `values` as the network reads it: encoded points, values
    /// standardised on the first `trainCount`.
    static func set(points: [[Double]], values: [Double], trainCount: Int) -> TabularSample {
        let (mean, scale) = standardization(of: Array(values.prefix(trainCount)))
        return TabularSample(features: points.flatMap(encodedFeatures), targets: values.map { Float(($0 - mean) / scale) },
                             rowCount: points.count, trainCount: trainCount, featureCount: points[0].count, classCount: 0)
    }

    /// A unit-cube point as the network reads it: `2x − 1`, in `[−1, 1]`.
    public static func encodedFeatures(_ x: [Double]) -> [Float] { x.map { Float(2 * $0 - 1) } }

    /// The mean and population standard deviation of the context's values (1 when they are
    /// all equal, or there is one): values are standardised as `(y − mean) / scale`.
    public static func standardization(of values: [Double]) -> (mean: Double, scale: Double) {
        let mean = values.reduce(0, +) / Double(Swift.max(values.count, 1))
        let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(Swift.max(values.count, 1))).squareRoot()
        return (mean, deviation > 1e-12 * Swift.max(values.map(Swift.abs).max() ?? 0, 1e-300) ? deviation : 1)
    }
}
