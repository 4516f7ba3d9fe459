import Foundation
import MesaCore

/// Bayesian optimisation in ask/tell form, on the unit cube: `ask` for points to evaluate, `tell`
/// the values, repeat. Values are *minimised* (tell a maximised objective negated; the search-space
/// layer, ``BlackBoxOptimization`` and `mesa optimize --maximize` do that).
///
/// The first ``Configuration/initialPointCount`` points are a seeded Latin-hypercube design
/// (point `i` of the design is asked when `i` evaluations are known, so a resumed run continues
/// the same design). After that each suggestion fits the surrogate
/// (``Configuration/surrogate``; the Gaussian process by default) to every observation and
/// maximises the acquisition (``Configuration/acquisition``; log expected improvement by
/// default) with ``AcquisitionOptimizer``.
///
/// **Batches** (`ask(count: q)`, q > 1) use the kriging believer (Ginsbourger, Le Riche &
/// Carraro 2010): after each point is chosen, the posterior is conditioned on a fantasy
/// observation equal to its own mean there (hyperparameters fixed), which lowers the
/// uncertainty around it, and the next point is chosen on that posterior. Design points of the
/// same batch are fantasised the same way.
///
/// **Determinism.** The random draws of a suggestion come from a generator seeded by
/// ``Configuration/seed`` and the number of observations, so the same history and seed give the
/// same suggestions (and `mesa suggest` needs no state besides the history).
///
/// ```swift
/// var optimizer = try BayesianOptimizer(dimension: 2)
/// for _ in 0..<30 {
///     let x = try optimizer.ask()[0]
///     optimizer.tell(x, value: (x[0] - 0.3) * (x[0] - 0.3) + (x[1] - 0.7) * (x[1] - 0.7))
/// }
/// ```
public struct BayesianOptimizer: Sendable {
    /// How the optimiser suggests points.
    public struct Configuration: Sendable {
        /// The size of the initial Latin-hypercube design.
        public var initialPointCount: Int
        /// The acquisition function maximised after the design.
        public var acquisition: Acquisition
        /// The surrogate model.
        public var surrogate: SurrogateChoice
        /// The Gaussian process's settings (priors, hyperparameter starts), when ``surrogate`` is `gp`.
        public var gaussianProcess: GaussianProcessSurrogate
        /// The PFN surrogate's checkpoint, when ``surrogate`` is `pfn` (`nil`: the shipped one).
        public var priorFittedModel: URL?
        /// The PFN surrogate's transform of the values (``PriorFittedSurrogate/ValueWarping``).
        public var priorFittedWarping = PriorFittedSurrogate.ValueWarping.none
        /// The NAP policy, when ``surrogate`` is `nap` (`nil`: the shipped one).
        public var napModel: URL?
        /// The maximiser of the acquisition; `nil`: the surrogate's default
        /// (``AcquisitionOptimizer/defaults(for:)``).
        public var acquisitionOptimizer: AcquisitionOptimizer?
        /// The seed of the design and of every suggestion's random draws.
        public var seed: UInt64

        /// Creates a configuration: 10 initial points, log expected improvement, the Gaussian
        /// process, the surrogate's acquisition budget (BoTorch's for the GP), seed 0.
        public init(initialPointCount: Int = 10, acquisition: Acquisition = .logExpectedImprovement, surrogate: SurrogateChoice = .gp,
                    gaussianProcess: GaussianProcessSurrogate = GaussianProcessSurrogate(),
                    priorFittedModel: URL? = nil, acquisitionOptimizer: AcquisitionOptimizer? = nil, seed: UInt64 = 0) {
            self.initialPointCount = initialPointCount
            self.acquisition = acquisition
            self.surrogate = surrogate
            self.gaussianProcess = gaussianProcess
            self.priorFittedModel = priorFittedModel
            self.acquisitionOptimizer = acquisitionOptimizer
            self.seed = seed
        }

        /// A fresh surrogate of the kind ``surrogate`` names, with these settings.
        ///
        /// - Throws: ``OptimizationError/unavailable(_:)`` for a surrogate that is not built yet
        ///   or a PFN or NAP checkpoint that cannot be used.
        public func makeSurrogate() throws -> any Surrogate {
            try surrogate.makeSurrogate(gaussianProcess: gaussianProcess, priorFittedModel: priorFittedModel, priorFittedWarping: priorFittedWarping,
                                        napModel: napModel)
        }
    }

    /// The number of unit-cube coordinates.
    public let dimension: Int
    /// The configuration.
    public let configuration: Configuration
    /// What has been told so far, in order.
    public private(set) var observations: [Observation] = []
    /// The initial design (``Configuration/initialPointCount`` points, before snapping).
    public let initialDesign: [[Double]]
    private var surrogate: any Surrogate
    private let snap: @Sendable ([Double]) -> [[Double]]

    /// An optimiser over `[0, 1]^dimension`; `snap` gives the evaluable points nearest to a point
    /// of the cube, the rounding first (``SearchSpace/snappedCandidates(_:)``; the point itself
    /// for continuous problems).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for a surrogate that is not built yet, or
    ///   that cannot model `dimension` coordinates.
    public init(dimension: Int, configuration: Configuration = Configuration(), snap: @escaping @Sendable ([Double]) -> [[Double]] = { [$0] }) throws {
        try self.init(dimension: dimension, surrogate: configuration.makeSurrogate(), configuration: configuration, snap: snap)
    }

    /// An optimiser with a surrogate made elsewhere instead of the one ``Configuration/surrogate``
    /// names (which then only picks the acquisition maximiser's defaults): how
    /// ``BayesianOptimizationBenchmark`` runs its yardsticks, ``OracleGaussianProcessSurrogate``
    /// and ``MarginalizedGaussianProcessSurrogate``.
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for a surrogate that cannot model `dimension` coordinates.
    public init(dimension: Int, surrogate: any Surrogate, configuration: Configuration = Configuration(),
                snap: @escaping @Sendable ([Double]) -> [[Double]] = { [$0] }) throws {
        precondition(dimension >= 1, "BayesianOptimizer: dimension must be at least 1")
        self.dimension = dimension
        self.configuration = configuration
        self.snap = snap
        self.surrogate = surrogate
        try (surrogate as? PriorFittedSurrogate)?.checkDimension(dimension)
        try (surrogate as? NAPSurrogate)?.checkDimension(dimension)
        initialDesign = LatinHypercube.sample(count: configuration.initialPointCount, dimension: dimension,
                                              seed: configuration.seed ^ 0x4C48_5344_6573_6967)
    }

    /// Records that the objective at unit point `point` is `value` (finite; lower is better).
    public mutating func tell(_ point: [Double], value: Double) {
        precondition(point.count == dimension && value.isFinite, "BayesianOptimizer.tell: needs \(dimension) coordinates and a finite value")
        observations.append(Observation(point: point, value: value))
    }

    /// The next `count` points to evaluate (see the type's discussion for batches).
    public mutating func ask(count: Int = 1) throws -> [[Double]] {
        precondition(count >= 1, "BayesianOptimizer.ask: count must be at least 1")
        var generator = RandomGenerator(seed: configuration.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(observations.count + 1))
        var points: [[Double]] = []
        var index = observations.count
        while points.count < count && index < initialDesign.count {
            points.append(snap(initialDesign[index])[0])
            index += 1
        }
        guard points.count < count else { return points }
        guard !observations.isEmpty else {
            // No data and no design left: nothing to model yet.
            while points.count < count { points.append(snap((0..<dimension).map { _ in Double(generator.nextUniform()) })[0]) }
            return points
        }
        var posterior = try surrogate.fit(to: observations, using: &generator)
        for point in points { posterior = posterior.conditionedOnFantasy(at: point) }
        let ranked = observations.sorted { $0.value < $1.value }.map(\.point)
        while points.count < count {
            let best = (configuration.acquisitionOptimizer ?? .defaults(for: configuration.surrogate)).maximize(
                configuration.acquisition, over: posterior, incumbents: ranked, observed: observations.map(\.point) + points,
                snap: snap, using: &generator)
            points.append(best.point)
            if points.count < count { posterior = posterior.conditionedOnFantasy(at: best.point) }
        }
        return points
    }
}
