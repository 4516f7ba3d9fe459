import Foundation
import MesaCore

/// The Gaussian-process surrogate of ``BayesianOptimizer``: standardises the values, fits the
/// hyperparameters of a ``GaussianProcess`` by maximising the log marginal likelihood plus the
/// log priors of ``GaussianProcessPrior`` (a MAP estimate) from several starts, and returns the
/// fitted process.
///
/// Starts: the priors' modes; the previous fit's hyperparameters (when there is one, so that a
/// growing history refits cheaply); and ``startCount`` − 2 random perturbations of the modes
/// (`log ℓⱼ` and `log σ²` moved by standard normals). Each runs ``BoxConstrainedMinimizer``
/// (projected L-BFGS with the exact gradient of
/// ``GaussianProcess/logMarginalLikelihood(inputs:targets:vector:)``); the best end point wins.
public struct GaussianProcessSurrogate: Surrogate {
    /// The hyperparameter priors and bounds.
    public var prior: GaussianProcessPrior
    /// How many starts the hyperparameter search makes (at least 1).
    public var startCount: Int
    /// The minimiser of the negative log posterior.
    public var minimizer: BoxConstrainedMinimizer
    /// The hyperparameters of the last fit (the warm start of the next).
    public private(set) var lastHyperparameters: GaussianProcessHyperparameters?

    /// Creates the surrogate.
    public init(prior: GaussianProcessPrior = GaussianProcessPrior(), startCount: Int = 3,
                minimizer: BoxConstrainedMinimizer = BoxConstrainedMinimizer(maximumIterations: 200, gradientTolerance: 1e-5)) {
        self.prior = prior
        self.startCount = startCount
        self.minimizer = minimizer
    }

    /// `"gp"`.
    public var name: String { "gp" }

    /// Fits a process to `observations` (see the type's discussion).
    public mutating func fit(to observations: [Observation], using generator: inout RandomGenerator) throws -> any SurrogatePosterior {
        fitProcess(to: observations, using: &generator)
    }

    /// ``fit(to:using:)`` with the concrete type.
    public mutating func fitProcess(to observations: [Observation], using generator: inout RandomGenerator) -> GaussianProcess {
        precondition(!observations.isEmpty, "GaussianProcessSurrogate: needs at least one observation")
        let inputs = observations.map(\.point), values = observations.map(\.value)
        let d = inputs[0].count
        let (mean, deviation) = GaussianProcess.standardization(of: values)
        let targets = values.map { ($0 - mean) / deviation }
        let (lower, upper) = prior.bounds(dimension: d)
        let initial = prior.initialHyperparameters(dimension: d).vector
        var starts = [initial]
        if let last = lastHyperparameters, last.dimension == d { starts.append(last.vector) }
        while starts.count < Swift.max(startCount, 1) {
            var start = initial
            for j in 0..<d { start[j] += Double(generator.nextNormal()) }
            start[d + 1] += Double(generator.nextNormal())
            starts.append(start)
        }
        let prior = self.prior
        var best: (value: Double, vector: [Double]) = (.infinity, initial)
        for start in starts {
            let result = minimizer.minimize(from: start, lower: lower, upper: upper) { vector in
                let likelihood = GaussianProcess.logMarginalLikelihood(inputs: inputs, targets: targets, vector: vector)
                let density = prior.logDensity(vector, dimension: d)
                return (-(likelihood.value + density.value), (0..<vector.count).map { -(likelihood.gradient[$0] + density.gradient[$0]) })
            }
            if result.value < best.value { best = (result.value, result.point) }
        }
        let hyperparameters = GaussianProcessHyperparameters(vector: best.vector, dimension: d)
        lastHyperparameters = hyperparameters
        return GaussianProcess(inputs: inputs, targets: targets, hyperparameters: hyperparameters, outputMean: mean, outputStandardDeviation: deviation)
    }
}
