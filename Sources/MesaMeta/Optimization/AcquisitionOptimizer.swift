import Foundation
import MesaCore

/// Finds the point of the unit cube where an acquisition function is largest, the way BoTorch's
/// `optimize_acqf` does: evaluate it at many raw samples, then refine the best few by gradient
/// ascent inside the cube.
///
/// 1. **Raw samples**: ``rawSampleCount`` points of a Latin hypercube, plus
///    ``localSampleCount`` Gaussian perturbations (standard deviations 0.01 to 0.2, clamped into
///    the cube) of the best observed points, which finds the narrow basins near the incumbent
///    that a uniform design misses.
/// 2. **Restarts**: the ``restartCount`` best samples.
/// 3. **Refinement**: each restart climbs the acquisition with ``BoxConstrainedMinimizer``
///    (projected L-BFGS on its negative, exact gradients from the posterior), when the posterior
///    provides gradients. A posterior without gradients (the PFN surrogate) is refined by
///    sampling instead: ``samplingRounds`` rounds, each drawing ``samplesPerRestart`` Gaussian
///    perturbations of every restart (standard deviation 0.05, halved each round, clamped into
///    the cube), scored together, and keeping each restart's best point so far.
/// 4. **Snapping**: each end point is moved to the nearest evaluable points (integers rounded,
///    one category picked, and its discrete neighbours; see ``SearchSpace/snappedCandidates(_:)``)
///    and re-scored; the best of them that is not already observed wins.
public struct AcquisitionOptimizer: Sendable {
    /// The uniform (Latin-hypercube) raw samples.
    public var rawSampleCount: Int
    /// The raw samples drawn around the best observed points.
    public var localSampleCount: Int
    /// The samples refined by gradient.
    public var restartCount: Int
    /// The refinement of each restart (on the negative acquisition).
    public var refinement: BoxConstrainedMinimizer
    /// Without gradients: the rounds of sampling refinement.
    public var samplingRounds = 3
    /// Without gradients: the perturbations of each restart per round.
    public var samplesPerRestart = 16

    /// Creates an optimiser; the defaults are BoTorch's (512 raw samples, 10 restarts) plus 128
    /// local samples.
    public init(rawSampleCount: Int = 512, localSampleCount: Int = 128, restartCount: Int = 10,
                refinement: BoxConstrainedMinimizer = BoxConstrainedMinimizer(maximumIterations: 100, gradientTolerance: 1e-7)) {
        self.rawSampleCount = rawSampleCount
        self.localSampleCount = localSampleCount
        self.restartCount = restartCount
        self.refinement = refinement
    }

    /// The default maximiser for `surrogate`: BoTorch's budget (512 raw samples, 128 local, 10
    /// restarts) for the Gaussian process, whose acquisition is cheap and differentiable; for the
    /// PFN surrogate, whose every score is a network evaluation, 256 raw samples, 128 local and 5
    /// restarts refined by sampling (about 620 evaluations per suggestion, in 3–4 forward passes);
    /// the same for NAP, whose acquisition is also one network evaluation per point.
    public static func defaults(for surrogate: SurrogateChoice) -> AcquisitionOptimizer {
        surrogate == .gp ? AcquisitionOptimizer() : AcquisitionOptimizer(rawSampleCount: 256, localSampleCount: 128, restartCount: 5)
    }

    /// The point where `acquisition` over `posterior` is largest (see the type's discussion), and
    /// its value. `incumbents` are observed points ordered best first (the centres of the local
    /// samples); `observed` are points not to suggest again when another is available; `snap`
    /// gives the evaluable points near a point of the cube (itself, for a continuous problem).
    public func maximize(_ acquisition: Acquisition, over posterior: any SurrogatePosterior, incumbents: [[Double]], observed: [[Double]],
                         snap: ([Double]) -> [[Double]], using generator: inout RandomGenerator) -> (point: [Double], value: Double) {
        let d = posterior.dimension
        let samples = rawSamples(dimension: d, incumbents: incumbents, using: &generator)
        let scored = zip(samples, posterior.acquisitionValues(acquisition, at: samples)).map { (point: $0, value: $1) }
            .filter { $0.value.isFinite }
            .sorted { $0.value > $1.value }
        var ends: [[Double]] = []
        let lower = [Double](repeating: 0, count: d), upper = [Double](repeating: 1, count: d)
        if !posterior.providesGradients {
            ends = refinedBySampling(Array(scored.prefix(restartCount)), acquisition: acquisition, posterior: posterior, using: &generator)
        }
        for start in scored.prefix(restartCount) where posterior.providesGradients {
            let result = refinement.minimize(from: start.point, lower: lower, upper: upper) { x in
                let (value, gradient) = posterior.acquisitionValue(acquisition, at: x, withGradient: true)
                return (-value, (gradient ?? []).map { -$0 })
            }
            ends.append(result.point)
        }
        if ends.isEmpty { ends = [samples[0]] }
        var best: (point: [Double], value: Double)?
        var fallback: (point: [Double], value: Double)?
        let candidates = ends.flatMap(snap)
        for (point, value) in zip(candidates, posterior.acquisitionValues(acquisition, at: candidates)) {
            let seen = observed.contains { zip($0, point).allSatisfy { Swift.abs($0 - $1) < 1e-9 } }
            if seen {
                if fallback == nil || value > fallback!.value { fallback = (point, value) }
            } else if best == nil || value > best!.value {
                best = (point, value)
            }
        }
        return best ?? fallback!
    }

    /// Step 1's samples: ``rawSampleCount`` Latin-hypercube points, then ``localSampleCount``
    /// Gaussian perturbations of the best 5 of `incumbents` (best first; standard deviations 0.01,
    /// 0.03, 0.1 and 0.2 in turn, clamped into the cube). NAP's training episodes draw their
    /// candidates the same way (``NAPTrainer``).
    public func rawSamples(dimension d: Int, incumbents: [[Double]], using generator: inout RandomGenerator) -> [[Double]] {
        var samples = LatinHypercube.sample(count: rawSampleCount, dimension: d, using: &generator)
        let centres = Array(incumbents.prefix(5))
        let scales = [0.01, 0.03, 0.1, 0.2]
        if !centres.isEmpty {
            for k in 0..<localSampleCount {
                let centre = centres[k % centres.count], scale = scales[(k / centres.count) % scales.count]
                samples.append(centre.map { Swift.min(Swift.max($0 + scale * Double(generator.nextNormal()), 0), 1) })
            }
        }
        return samples
    }

    /// The sampling refinement of `starts` (see the type's discussion): each start's best point.
    func refinedBySampling(_ starts: [(point: [Double], value: Double)], acquisition: Acquisition, posterior: any SurrogatePosterior,
                           using generator: inout RandomGenerator) -> [[Double]] {
        var bests = starts
        var scale = 0.05
        for _ in 0..<samplingRounds {
            var candidates: [[Double]] = []
            for start in bests {
                for _ in 0..<samplesPerRestart {
                    candidates.append(start.point.map { Swift.min(Swift.max($0 + scale * Double(generator.nextNormal()), 0), 1) })
                }
            }
            let values = posterior.acquisitionValues(acquisition, at: candidates)
            for (index, value) in values.enumerated() where value.isFinite && value > bests[index / samplesPerRestart].value {
                bests[index / samplesPerRestart] = (candidates[index], value)
            }
            scale /= 2
        }
        return bests.map(\.point)
    }
}
