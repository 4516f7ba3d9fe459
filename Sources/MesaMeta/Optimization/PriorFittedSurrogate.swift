import Foundation
import MesaCore
import MesaNN

/// The PFNs4BO surrogate (Müller et al. 2023, "PFNs4BO: In-Context Learning for Bayesian
/// Optimization"): a ``TabularTransformer`` pre-trained on sets of points of Gaussian-process
/// functions (``GaussianProcessFunctionPrior``, `mesa pretrain --config
/// benchmarks/optimize/pfn-surrogate.json`) reads the observations as its context and predicts,
/// in one forward pass, a ``BarDistribution`` over the standardised objective at every query
/// point. There is nothing to fit: "fitting" standardises the values (as in pre-training) and
/// keeps them; the posterior runs the network.
///
/// **Values** reach the network standardised (mean 0, standard deviation 1 over the
/// observations), as in pre-training, after an optional ``ValueWarping``: with
/// ``ValueWarping/normalScores`` each value is first replaced by the normal quantile of its rank,
/// which spreads the best values apart while keeping their order. The default is no warping:
/// on 24 meta-validation functions the plain values gave the lower median regret after 25
/// evaluations (log10 −0.32 against −0.03).
///
/// Acquisitions come from the bar distribution directly: log expected improvement below the
/// best standardised value in closed form per bin (``BarDistribution/logExpectedImprovement(below:)``),
/// and the confidence bound from its mean and standard deviation. The network gives no input
/// gradients here, so ``AcquisitionOptimizer`` maximises by sampling only (its raw and local
/// samples, then rounds of shrinking perturbations around the best), all candidates of a round
/// scored in batched forward passes (``SurrogatePosterior/acquisitionValues(_:at:)``).
public struct PriorFittedSurrogate: Surrogate, @unchecked Sendable {
    // @unchecked: the model is a class; the surrogate only reads its weights (forward passes
    // without gradients), never trains it.
    /// The pre-trained network.
    public let model: TabularTransformer
    /// The checkpoint's metadata (recipe, step, training time).
    public let metadata: [String: String]
    /// The largest input dimension the network reads.
    public let maximumDimension: Int
    /// How the observed values are transformed before standardisation.
    public var warping: ValueWarping

    /// A monotone transform of the observed values before they are standardised.
    public enum ValueWarping: String, Sendable, CaseIterable, Codable {
        /// The values themselves.
        case none
        /// The normal scores of their ranks: `Φ⁻¹((r + ½)/n)` for rank `r` of `n` (ties share
        /// their mean rank); a Gaussian copula of the values.
        case normalScores = "normal-scores"
    }

    /// Loads the network from `url`, or the shipped one (`Models/pfn-surrogate.safetensors`).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` when the file cannot be read, is not a
    ///   model of `mesa pretrain`, or was not pre-trained on a function prior.
    public init(contentsOf url: URL? = nil, warping: ValueWarping = .none) throws {
        self.warping = warping
        guard let url = url ?? Self.shippedURL else {
            throw OptimizationError.unavailable("no shipped PFN surrogate in this build; pass --surrogate-model FILE (a checkpoint of `mesa pretrain --config benchmarks/optimize/pfn-surrogate.json`)")
        }
        let loaded: (model: TabularTransformer, metadata: [String: String], recipe: TabularPretrainingConfiguration)
        do { loaded = try TabularModelFile.load(url, kind: .regression) } catch {
            throw OptimizationError.unavailable("--surrogate pfn: cannot use \(url.path) as the PFN surrogate: \(error)")
        }
        guard let functionPrior = loaded.recipe.functionPrior else {
            throw OptimizationError.unavailable("--surrogate pfn: \(url.path) is a tabular regressor pre-trained on tables, not a PFN surrogate; pre-train one with a functionPrior (mesa pretrain --config benchmarks/optimize/pfn-surrogate.json)")
        }
        model = loaded.model
        metadata = loaded.metadata
        maximumDimension = functionPrior.dimensions.upperBound
    }

    /// Throws unless the network reads problems of `dimension` unit-cube coordinates.
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for more inputs than it was pre-trained on.
    public func checkDimension(_ dimension: Int) throws {
        guard dimension <= maximumDimension else {
            throw OptimizationError.unavailable("--surrogate pfn: the PFN surrogate was pre-trained on functions of at most \(maximumDimension) unit-cube coordinates, and this problem has \(dimension) (a categorical parameter counts one per value); use --surrogate gp")
        }
    }

    /// The shipped checkpoint, if present in the bundle.
    public static var shippedURL: URL? { Bundle.module.url(forResource: "pfn-surrogate", withExtension: "safetensors", subdirectory: "Models") }

    /// `"pfn"`.
    public var name: String { "pfn" }

    /// The posterior given `observations` (see the type's discussion).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for more inputs than the network was trained on.
    public mutating func fit(to observations: [Observation], using generator: inout RandomGenerator) throws -> any SurrogatePosterior {
        try posterior(given: observations)
    }

    /// ``fit(to:using:)`` with the concrete type.
    public func posterior(given observations: [Observation]) throws -> PriorFittedPosterior {
        precondition(!observations.isEmpty, "PriorFittedSurrogate: needs at least one observation")
        try checkDimension(observations[0].point.count)
        let values = warping == .normalScores ? Self.normalScores(of: observations.map(\.value)) : observations.map(\.value)
        let (mean, scale) = GaussianProcessFunctionPrior.standardization(of: values)
        return PriorFittedPosterior(model: model, points: observations.map(\.point), targets: values.map { Float(($0 - mean) / scale) })
    }

    /// `Φ⁻¹((r + ½)/n)` for each value's rank `r` among `values` (ties: their mean rank):
    /// ``normalScore(_:among:)`` of each value in the sample itself.
    public static func normalScores(of values: [Double]) -> [Double] {
        let sorted = values.sorted()
        return values.map { normalScore($0, among: sorted) }
    }
}

/// What ``PriorFittedSurrogate`` believes: the network conditioned on the observations (unit
/// points, standardised values), answering with a ``BarDistribution`` per query point.
public struct PriorFittedPosterior: SurrogatePosterior, @unchecked Sendable {
    // @unchecked: the model is only read (see PriorFittedSurrogate).
    /// The network.
    public let model: TabularTransformer
    /// The context's unit points (fantasies included).
    public let points: [[Double]]
    /// The context's standardised values.
    public let targets: [Float]
    /// Query points per forward pass.
    public var chunkSize = 256

    /// The number of unit-cube coordinates.
    public var dimension: Int { points[0].count }
    /// No input gradients: the acquisition is maximised by sampling.
    public var providesGradients: Bool { false }
    /// The best standardised value in the context: expected improvement's reference.
    public var incumbent: Double { Double(targets.min()!) }

    /// The predictive bar distributions (standardised units) at `queries`, in forward passes of
    /// ``chunkSize`` queries reading the whole context.
    public func distributions(at queries: [[Double]]) -> [BarDistribution] {
        let c = model.configuration, d = dimension, contextCount = points.count
        let contextFeatures = points.flatMap(GaussianProcessFunctionPrior.encodedFeatures)
        var result: [BarDistribution] = []
        result.reserveCapacity(queries.count)
        for start in stride(from: 0, to: queries.count, by: chunkSize) {
            let chunk = queries[start..<Swift.min(start + chunkSize, queries.count)]
            let rows = contextCount + chunk.count
            let features = contextFeatures + chunk.flatMap(GaussianProcessFunctionPrior.encodedFeatures)
            let padded = model.paddedFeatures(features, rows: rows, featureCount: d)
            let logits = withoutGradients {
                model.logits(features: Tensor(shape: [1, rows, c.maximumFeatures], scalars: padded), trainTargets: targets, trainCount: contextCount,
                             featureCounts: [d])
            }.scalars                                                                          // [1, chunk, bins]
            for q in 0..<chunk.count {
                result.append(BarDistribution(logits: logits[(q * c.binCount)..<((q + 1) * c.binCount)], range: Double(c.binRange)))
            }
        }
        return result
    }

    /// The acquisition from a bar distribution: log expected improvement below ``incumbent``, or `−μ + √β σ`.
    public func acquisition(_ acquisition: Acquisition, of distribution: BarDistribution) -> Double {
        switch acquisition {
        case .logExpectedImprovement:
            return distribution.logExpectedImprovement(below: incumbent)
        case .upperConfidenceBound(let beta):
            return -distribution.mean + beta.squareRoot() * distribution.variance.squareRoot()
        }
    }

    /// The acquisition at `x` (never a gradient).
    public func acquisitionValue(_ acquisition: Acquisition, at x: [Double], withGradient: Bool) -> (value: Double, gradient: [Double]?) {
        (acquisitionValues(acquisition, at: [x])[0], nil)
    }

    /// The acquisition at every point of `queries`, in batched forward passes; `−∞` at a point of
    /// the context (within ``duplicateTolerance`` in every coordinate).
    ///
    /// The objective is deterministic, so nothing can be gained by evaluating a point again; the
    /// network, which never saw a query equal to a context point in pre-training, does not know
    /// that, and without this rule would ask for the same corner of the cube over and over.
    public func acquisitionValues(_ acquisition: Acquisition, at queries: [[Double]]) -> [Double] {
        zip(queries, distributions(at: queries)).map { query, distribution in
            let repeated = points.contains { point in zip(point, query).allSatisfy { Swift.abs($0 - $1) <= Self.duplicateTolerance } }
            return repeated ? -.infinity : self.acquisition(acquisition, of: distribution)
        }
    }

    /// Points closer than this in every unit coordinate count as the same point.
    public static let duplicateTolerance = 1e-6

    /// The posterior with `(x, predictive mean at x)` added to the context (kriging believer).
    public func conditionedOnFantasy(at x: [Double]) -> any SurrogatePosterior {
        var next = PriorFittedPosterior(model: model, points: points + [x], targets: targets + [Float(distributions(at: [x])[0].mean)])
        next.chunkSize = chunkSize
        return next
    }
}
