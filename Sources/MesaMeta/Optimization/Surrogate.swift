import MesaCore

/// A model of the objective that Bayesian optimisation fits to the evaluations so far and
/// maximises an acquisition function over: the seam where the Gaussian process, a prior-fitted
/// Transformer (PFNs4BO) or an end-to-end acquisition network (NAP) plug into
/// ``BayesianOptimizer``.
///
/// A surrogate is fitted (`fit`), giving a ``SurrogatePosterior`` that answers acquisition
/// queries at unit-cube points and can be conditioned on fantasy observations for batches.
/// Surrogates whose beliefs are Gaussian implement ``GaussianPosterior`` (a predictive mean and
/// variance with their gradients) and get every ``Acquisition`` for free; others (a bar
/// distribution, a network that scores candidates directly) implement
/// ``SurrogatePosterior/acquisitionValue(_:at:withGradient:)`` themselves.
public protocol Surrogate: Sendable {
    /// A short name for reports (`"gp"`).
    var name: String { get }

    /// Fits the surrogate to `observations` (unit-cube points, values to minimise; at least
    /// one). A surrogate may keep state between fits (the Gaussian process starts its
    /// hyperparameter search from the previous fit).
    mutating func fit(to observations: [Observation], using generator: inout RandomGenerator) throws -> any SurrogatePosterior
}

/// What a fitted surrogate believes about the objective, in whatever units it chose
/// (the Gaussian process: standardised values).
public protocol SurrogatePosterior: Sendable {
    /// The number of unit-cube coordinates.
    var dimension: Int { get }
    /// Whether ``acquisitionValue(_:at:withGradient:)`` returns gradients (then the acquisition
    /// is refined by gradient steps; otherwise only sampled).
    var providesGradients: Bool { get }
    /// The value of `acquisition` at unit point `x` (higher is better), and its gradient with
    /// respect to `x` when `withGradient` and ``providesGradients``.
    func acquisitionValue(_ acquisition: Acquisition, at x: [Double], withGradient: Bool) -> (value: Double, gradient: [Double]?)
    /// The values of `acquisition` at many unit points at once (no gradients): what the
    /// acquisition maximiser scores its samples with. The default asks
    /// ``acquisitionValue(_:at:withGradient:)`` point by point; a network batches them.
    func acquisitionValues(_ acquisition: Acquisition, at points: [[Double]]) -> [Double]
    /// The posterior after a fantasy observation at `x` equal to the posterior mean there (the
    /// "kriging believer" of Ginsbourger et al. 2010), hyperparameters unchanged: how a batch
    /// of suggestions is spread out.
    func conditionedOnFantasy(at x: [Double]) -> any SurrogatePosterior
}

extension SurrogatePosterior {
    /// ``acquisitionValue(_:at:withGradient:)`` at each point in turn.
    public func acquisitionValues(_ acquisition: Acquisition, at points: [[Double]]) -> [Double] {
        points.map { acquisitionValue(acquisition, at: $0, withGradient: false).value }
    }
}

/// A predictive mean and variance of the objective at one point, with their gradients.
public struct PosteriorMoments: Sendable {
    /// The predictive mean `μ(x)`.
    public var mean: Double
    /// The predictive variance `σ²(x)` of the noise-free objective.
    public var variance: Double
    /// `∇μ(x)` (empty when not requested).
    public var meanGradient: [Double]
    /// `∇σ²(x)` (empty when not requested).
    public var varianceGradient: [Double]

    /// Creates moments.
    public init(mean: Double, variance: Double, meanGradient: [Double] = [], varianceGradient: [Double] = []) {
        self.mean = mean
        self.variance = variance
        self.meanGradient = meanGradient
        self.varianceGradient = varianceGradient
    }
}

/// A posterior that is Gaussian at each point: acquisitions come from its mean and variance.
public protocol GaussianPosterior: SurrogatePosterior {
    /// The best (lowest) value observed, fantasies included, in the posterior's units: the
    /// reference `f*` of expected improvement.
    var incumbent: Double { get }
    /// The predictive moments at unit point `x`, with gradients when `withGradient`.
    func moments(at x: [Double], withGradient: Bool) -> PosteriorMoments
}

extension GaussianPosterior {
    /// Gaussian posteriors differentiate their acquisitions.
    public var providesGradients: Bool { true }

    /// The acquisition from ``moments(at:withGradient:)`` and ``incumbent``.
    public func acquisitionValue(_ acquisition: Acquisition, at x: [Double], withGradient: Bool) -> (value: Double, gradient: [Double]?) {
        acquisition.value(moments(at: x, withGradient: withGradient), incumbent: incumbent)
    }
}
