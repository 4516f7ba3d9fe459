import Foundation
import MesaCore

/// A benchmark yardstick, not an optimiser for users: the Gaussian process with the *true* prior
/// of a function drawn by ``GaussianProcessFunctionSampler`` (its kernel family, length-scales
/// and output scale, ``RandomFourierFunction/hyperparameters``, and its prior mean 0), nothing
/// fitted. Expected improvement on this posterior is what Bayesian optimisation of such a
/// function can do at best with a Gaussian process and no hyperparameter uncertainty; the gap
/// between it and ``GaussianProcessSurrogate`` (maximum a posteriori hyperparameters, Matérn-5/2
/// always) bounds what any better model of the prior can gain with the same acquisition
/// (`mesa benchmark-bo --methods gp-oracle`, held-out functions only).
///
/// The values are standardised as ``GaussianProcessSurrogate`` does, and the prior carried into
/// those units (``GaussianProcessFunctionSampler/Hyperparameters/processHyperparameters(outputMean:outputStandardDeviation:noiseVariance:)``),
/// so the posterior is the exact one for the raw values and expected improvement is computed as
/// for the fitted process. The functions are noise-free; the noise variance is a floor,
/// ``noiseVariance`` (the fitted process's lower bound by default).
public struct OracleGaussianProcessSurrogate: Surrogate {
    /// The function's hyperparameters.
    public var hyperparameters: GaussianProcessFunctionSampler.Hyperparameters
    /// The noise variance, in standardised units.
    public var noiseVariance: Double

    /// The surrogate of a function drawn with `hyperparameters`.
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for a length-scale or output scale that is
    ///   not a positive finite number, or a noise variance that is not.
    public init(hyperparameters: GaussianProcessFunctionSampler.Hyperparameters, noiseVariance: Double = GaussianProcessPrior().noiseFloor) throws {
        try Self.check(hyperparameters, noiseVariance: noiseVariance)
        self.hyperparameters = hyperparameters
        self.noiseVariance = noiseVariance
    }

    /// `"gp-oracle"`.
    public var name: String { "gp-oracle" }

    /// The process with the known prior on `observations`.
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` when the observations have another
    ///   dimension than the hyperparameters, or there are none.
    public mutating func fit(to observations: [Observation], using generator: inout RandomGenerator) throws -> any SurrogatePosterior {
        try Self.process(on: observations, hyperparameters: hyperparameters, noiseVariance: noiseVariance)
    }

    /// The Gaussian process on `observations` (standardised) whose prior is `hyperparameters`:
    /// one Cholesky factorisation. Shared with ``MarginalizedGaussianProcessSurrogate``.
    static func process(on observations: [Observation], hyperparameters: GaussianProcessFunctionSampler.Hyperparameters,
                        noiseVariance: Double) throws -> GaussianProcess {
        guard let first = observations.first else { throw OptimizationError.unavailable("the known-prior Gaussian process needs at least one observation") }
        guard first.point.count == hyperparameters.dimension else {
            throw OptimizationError.unavailable("the known-prior Gaussian process has \(hyperparameters.dimension) length-scales, and the observations have \(first.point.count) coordinates")
        }
        let values = observations.map(\.value)
        let (mean, deviation) = GaussianProcess.standardization(of: values)
        let process = hyperparameters.processHyperparameters(outputMean: mean, outputStandardDeviation: deviation, noiseVariance: noiseVariance)
        return GaussianProcess(inputs: observations.map(\.point), targets: values.map { ($0 - mean) / deviation }, hyperparameters: process,
                               outputMean: mean, outputStandardDeviation: deviation)
    }

    /// Throws unless every length-scale, the output scale and `noiseVariance` are positive and finite.
    static func check(_ hyperparameters: GaussianProcessFunctionSampler.Hyperparameters, noiseVariance: Double) throws {
        guard !hyperparameters.lengthScales.isEmpty, hyperparameters.lengthScales.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw OptimizationError.unavailable("the known-prior Gaussian process needs at least one length-scale, each a positive finite number, got \(hyperparameters.lengthScales)")
        }
        guard hyperparameters.outputScale > 0, hyperparameters.outputScale.isFinite else {
            throw OptimizationError.unavailable("the known-prior Gaussian process needs a positive finite output scale, got \(hyperparameters.outputScale)")
        }
        guard noiseVariance > 0, noiseVariance.isFinite else {
            throw OptimizationError.unavailable("the known-prior Gaussian process needs a positive finite noise variance, got \(noiseVariance)")
        }
    }
}
