import Foundation
import MesaCore

/// The end-to-end acquisition network (NAP, ``NAPPolicy``) as a ``Surrogate`` of
/// ``BayesianOptimizer``: `--surrogate nap`.
///
/// Nothing is fitted: the observations' values are standardised on themselves (as in training)
/// and the posterior scores candidates with the network's acquisition `α` in batched forward
/// passes. The acquisition is learned, so ``Acquisition`` (log EI or the confidence bound) is not
/// consulted. ``AcquisitionOptimizer`` draws the candidates as in training (uniform points plus
/// perturbations of the best points so far), refines the best by sampling, and picks the argmax.
/// Batches use the kriging believer with the neural-process head's predictive mean as the fantasy value.
public struct NAPSurrogate: Surrogate, @unchecked Sendable {
    // @unchecked: the policy is a class; the surrogate only reads its weights.
    /// The trained network.
    public let policy: NAPPolicy
    /// The checkpoint's metadata (recipe, iterations, training time).
    public let metadata: [String: String]

    /// Loads the policy from `url`, or the shipped one (`Models/nap.safetensors`).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` when the file is missing or is not a NAP policy.
    public init(contentsOf url: URL? = nil) throws {
        guard let url = url ?? Self.shippedURL else {
            throw OptimizationError.unavailable("--surrogate nap: no shipped NAP policy in this build; pass --surrogate-model FILE (an export of `mesa train-nap`)")
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw OptimizationError.unavailable("--surrogate nap: the NAP checkpoint \(url.path) does not exist; train one with `mesa train-nap` or omit --surrogate-model for the shipped one")
        }
        (policy, metadata) = try NAPPolicy.load(contentsOf: url)
    }

    /// The shipped policy, if present in the bundle.
    public static var shippedURL: URL? { Bundle.module.url(forResource: "nap", withExtension: "safetensors", subdirectory: "Models") }

    /// The largest dimension the policy was trained on and accepts.
    public var maximumDimension: Int { policy.architecture.maximumDimension }

    /// Throws unless the policy was trained on problems of `dimension` unit-cube coordinates.
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` beyond ``maximumDimension``.
    public func checkDimension(_ dimension: Int) throws {
        guard dimension <= maximumDimension else {
            throw OptimizationError.unavailable("--surrogate nap: the NAP policy was trained on functions of at most \(maximumDimension) unit-cube coordinates, and this problem has \(dimension) (a categorical parameter counts one per value); use --surrogate gp or pfn")
        }
    }

    /// `"nap"`.
    public var name: String { "nap" }

    /// The posterior given `observations` (standardised values).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for more coordinates than the policy accepts.
    public mutating func fit(to observations: [Observation], using generator: inout RandomGenerator) throws -> any SurrogatePosterior {
        precondition(!observations.isEmpty, "NAPSurrogate: needs at least one observation")
        try checkDimension(observations[0].point.count)
        let (mean, scale) = GaussianProcessFunctionPrior.standardization(of: observations.map(\.value))
        return NAPPosterior(policy: policy, points: observations.map(\.point), values: observations.map { Float(($0.value - mean) / scale) })
    }
}

/// What ``NAPSurrogate`` believes: the policy reading the observations, scoring candidates.
public struct NAPPosterior: SurrogatePosterior, @unchecked Sendable {
    // @unchecked: the policy is only read.
    /// The network.
    public let policy: NAPPolicy
    /// The history's unit points (fantasies included).
    public let points: [[Double]]
    /// Their standardised values.
    public let values: [Float]

    /// The number of unit-cube coordinates.
    public var dimension: Int { points[0].count }
    /// No input gradients: the acquisition is maximised by sampling.
    public var providesGradients: Bool { false }

    /// The network's acquisition at `x` (never a gradient; `acquisition` is not consulted).
    public func acquisitionValue(_ acquisition: Acquisition, at x: [Double], withGradient: Bool) -> (value: Double, gradient: [Double]?) {
        (acquisitionValues(acquisition, at: [x])[0], nil)
    }

    /// The network's acquisition at every point of `queries`, `−∞` at a point of the history
    /// (as ``PriorFittedPosterior``: the objective is deterministic).
    public func acquisitionValues(_ acquisition: Acquisition, at queries: [[Double]]) -> [Double] {
        let scores = policy.acquisitionValues(NAPDecision(points: points, values: values, candidates: queries))
        return zip(queries, scores).map { query, score in
            let repeated = points.contains { point in zip(point, query).allSatisfy { Swift.abs($0 - $1) <= PriorFittedPosterior.duplicateTolerance } }
            return repeated ? -.infinity : score
        }
    }

    /// The posterior with `(x, the neural-process head's mean at x)` added (kriging believer).
    public func conditionedOnFantasy(at x: [Double]) -> any SurrogatePosterior {
        let mean = policy.predictiveDistributions(NAPDecision(points: points, values: values, candidates: [x]))[0].mean
        return NAPPosterior(policy: policy, points: points + [x], values: values + [Float(mean)])
    }
}
