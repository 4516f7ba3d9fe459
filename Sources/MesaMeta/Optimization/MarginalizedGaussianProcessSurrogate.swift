import Foundation
import MesaCore

/// A benchmark yardstick, not an optimiser for users: a "fully Bayesian" Gaussian process whose
/// hyperparameters are integrated out over the prior of ``GaussianProcessFunctionSampler`` (the
/// prior the held-out functions and the PFN surrogate's pre-training sets come from), by
/// importance sampling from that prior:
///
///     p(f | D) ≈ Σₖ wₖ p(f | D, θₖ),   θₖ ~ p(θ) (kernel family × length-scales × output scale),
///     wₖ = p(D | θₖ) / Σⱼ p(D | θⱼ),
///
/// `p(D | θ)` the marginal likelihood of the values (the process's `logMarginalLikelihood`,
/// prior mean 0, the values standardised as ``OracleGaussianProcessSurrogate`` does, which changes
/// every likelihood by the same factor). The result is a ``GaussianProcessMixture``, whose
/// expected improvement is the posterior-weighted average of the draws' (Snoek et al. 2012's
/// integrated acquisition). As the number of draws grows this is the exact Bayesian predictive
/// under the functions' own prior: what a perfectly trained PFN would approximate (Müller et al.
/// 2022, "Transformers Can Do Bayesian Inference"), so `gp-bayes` in `mesa benchmark-bo` says how
/// much a prior-fitted surrogate with expected improvement can gain over ``GaussianProcessSurrogate``.
///
/// The draws are fresh at every fit (from the fit's generator), so each suggestion's weights are
/// an independent Monte-Carlo estimate; ``draws`` fixes them instead. With few observations most
/// draws keep some weight; with many the likelihood is peaked and a handful dominate
/// (``GaussianProcessMixture/effectiveSampleSize``), which is where more draws help. On Mesa's
/// 192 meta-validation functions 64 draws were too few in 4–6 dimensions, while 512 and 2048 gave
/// paired-equal regret (docs/optimize.md, "Is 0.7× reachable?"); the default is 512.
public struct MarginalizedGaussianProcessSurrogate: Surrogate {
    /// The prior the draws come from (its ranges and kernels; the Fourier features are not used).
    public var sampler: GaussianProcessFunctionSampler
    /// The draws per fit.
    public var drawCount: Int
    /// Fixed draws instead of fresh ones (`nil`: ``drawCount`` fresh draws per fit).
    public var draws: [GaussianProcessFunctionSampler.Hyperparameters]?
    /// The noise variance, in standardised units (a floor: the functions are noise-free).
    public var noiseVariance: Double

    /// `drawCount` fresh draws per fit from `sampler`'s prior (512 by default).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for fewer than one draw, a sampler without
    ///   kernels or with a non-positive range, or a noise variance that is not positive and finite.
    public init(sampler: GaussianProcessFunctionSampler = GaussianProcessFunctionSampler(), drawCount: Int = 512,
                noiseVariance: Double = GaussianProcessPrior().noiseFloor) throws {
        guard drawCount >= 1 else {
            throw OptimizationError.unavailable("the marginalised Gaussian process needs at least 1 hyperparameter draw, got \(drawCount)")
        }
        guard !sampler.kernels.isEmpty, sampler.lengthScales.lowerBound > 0, sampler.outputScales.lowerBound > 0,
              sampler.lengthScales.upperBound.isFinite, sampler.outputScales.upperBound.isFinite else {
            throw OptimizationError.unavailable("the marginalised Gaussian process needs a prior with at least one kernel and positive finite length-scale and output-scale ranges")
        }
        guard noiseVariance > 0, noiseVariance.isFinite else {
            throw OptimizationError.unavailable("the marginalised Gaussian process needs a positive finite noise variance, got \(noiseVariance)")
        }
        self.sampler = sampler
        self.drawCount = drawCount
        self.noiseVariance = noiseVariance
    }

    /// A mixture over the fixed hyperparameters `draws` (weighted by their likelihoods at each fit).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for no draws, draws of different
    ///   dimensions, or a length-scale, output scale or noise variance that is not positive and finite.
    public init(draws: [GaussianProcessFunctionSampler.Hyperparameters], noiseVariance: Double = GaussianProcessPrior().noiseFloor) throws {
        guard let first = draws.first else {
            throw OptimizationError.unavailable("the marginalised Gaussian process needs at least 1 hyperparameter draw, got none")
        }
        guard draws.allSatisfy({ $0.dimension == first.dimension }) else {
            throw OptimizationError.unavailable("the marginalised Gaussian process's draws must all have the same number of length-scales, got \(Set(draws.map(\.dimension)).sorted())")
        }
        for draw in draws { try OracleGaussianProcessSurrogate.check(draw, noiseVariance: noiseVariance) }
        try self.init(drawCount: draws.count, noiseVariance: noiseVariance)
        self.draws = draws
    }

    /// `"gp-bayes"`.
    public var name: String { "gp-bayes" }

    /// The mixture over this fit's draws (see the type's discussion): one Cholesky factorisation per draw.
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` when fixed draws have another dimension
    ///   than the observations, or there are no observations.
    public mutating func fit(to observations: [Observation], using generator: inout RandomGenerator) throws -> any SurrogatePosterior {
        try mixture(on: observations, using: &generator)
    }

    /// ``fit(to:using:)`` with the concrete type.
    public func mixture(on observations: [Observation], using generator: inout RandomGenerator) throws -> GaussianProcessMixture {
        guard let first = observations.first else { throw OptimizationError.unavailable("the marginalised Gaussian process needs at least one observation") }
        let chosen = draws ?? (0..<drawCount).map { _ in sampler.drawHyperparameters(dimension: first.point.count, using: &generator) }
        let processes = try chosen.map { try OracleGaussianProcessSurrogate.process(on: observations, hyperparameters: $0, noiseVariance: noiseVariance) }
        return GaussianProcessMixture(components: processes, logWeights: processes.map(\.logMarginalLikelihood))
    }
}
