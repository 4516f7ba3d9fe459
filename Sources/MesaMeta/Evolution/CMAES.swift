import Foundation
import MesaCore

/// The covariance matrix adaptation evolution strategy, (μ/μ_w, λ)-CMA-ES, with the default
/// parameters of Hansen, *The CMA Evolution Strategy: A Tutorial* (arXiv:1604.00772, table 1).
///
/// Each generation samples `xₖ = m + σ B D zₖ`, `zₖ ~ N(0, I)`, `k = 1…λ`, where `C = B D² Bᵀ`;
/// after ranking (`y_{i:λ} = (x_{i:λ} − m)/σ`, `⟨y⟩_w = Σ wᵢ y_{i:λ}`):
///
/// ```
/// m   ← m + σ ⟨y⟩_w
/// p_σ ← (1 − c_σ) p_σ + √(c_σ(2 − c_σ) μ_eff) C^{−½} ⟨y⟩_w
/// p_c ← (1 − c_c) p_c + h_σ √(c_c(2 − c_c) μ_eff) ⟨y⟩_w
/// C   ← (1 − c₁ − c_μ + (1 − h_σ) c₁ c_c(2 − c_c)) C + c₁ p_c p_cᵀ + c_μ Σ wᵢ y_{i:λ} y_{i:λ}ᵀ
/// σ   ← σ exp((c_σ/d_σ)(‖p_σ‖ / E‖N(0, I)‖ − 1))
/// ```
///
/// with `λ = 4 + ⌊3 ln n⌋`, `μ = ⌊λ/2⌋`, `w′ᵢ = ln((λ+1)/2) − ln i`, positive weights `w′ᵢ/Σ⁺w′`
/// (`μ_eff = (Σ⁺w′)²/Σ⁺w′²`), `c_σ = (μ_eff + 2)/(n + μ_eff + 5)`,
/// `d_σ = 1 + 2 max(0, √((μ_eff − 1)/(n + 1)) − 1) + c_σ`, `c_c = (4 + μ_eff/n)/(n + 4 + 2μ_eff/n)`,
/// `c₁ = 2/((n + 1.3)² + μ_eff)`, `c_μ = min(1 − c₁, 2(μ_eff − 2 + 1/μ_eff)/((n + 2)² + μ_eff))`.
/// The `σ` factor's exponent is capped at 1 per generation (as pycma does). `B` and `D` are
/// refreshed every `max(1, 0.5/(n (c₁ + c_μ)))` generations: the tutorial's lazier
/// `λ/(10 n (c₁ + c_μ))` lags behind `C` at IPOP's large populations (measured on BBOB at d = 5:
/// 0.78 instead of 0.85 of the targets at the end of the budget).
///
/// **Active covariance update** (`active: true`, the default, as in the tutorial's 2016 edition and
/// pycma; Jastrebski & Arnold 2006): the `λ − μ` worst steps get the negative weights
/// `min(1 + c₁/c_μ, 1 + 2μ⁻_eff/(μ_eff + 2), (1 − c₁ − c_μ)/(n c_μ)) · w′ᵢ/Σ⁻|w′|`, each rescaled by
/// `n / ‖C^{−½} yᵢ‖²`, so that `C` shrinks along unpromising directions; `C`'s decay becomes
/// `1 − c₁ − c_μ Σ wᵢ`. The mean still uses the positive weights only.
///
/// **Separable variant** (`separable: true`; Ros & Hansen 2008, *A Simple Modification in CMA-ES
/// Achieving Linear Time and Space Complexity*): `C` stays diagonal, `c₁` and `c_μ` are multiplied
/// by `(n + 2)/3`; no eigendecomposition.
///
/// ``stopReason`` reports the termination criteria of the tutorial's appendix B (tolerances on
/// the function values and on `σ`, condition of `C`, no effect of an axis or coordinate,
/// stagnation; ``EvolutionStopReason``); ``IPOPCMAES`` restarts on them.
public struct CMAES: AskTellOptimizer, Sendable {
    public let dimension: Int
    /// The number of samples per generation `λ`.
    public let populationSize: Int
    /// Whether `C` is kept diagonal (sep-CMA-ES).
    public let separable: Bool
    /// The mean `m`.
    public private(set) var mean: [Double]
    /// The step size `σ`.
    public private(set) var stepSize: Double
    /// The number of completed generations.
    public private(set) var generation = 0
    public private(set) var bestPoint: [Double]?
    public private(set) var bestValue = Double.infinity

    let initialStepSize: Double
    /// Whether the worst steps get negative weights (active CMA).
    public let active: Bool
    /// The recombination weights of the `μ` best (positive, sum 1).
    let weights: [Double]
    /// The weights of the `λ − μ` worst steps (negative; empty without the active update).
    let negativeWeights: [Double]
    let effectiveMass: Double
    let cSigma, dSigma, cC, c1, cMu, expectedNorm: Double
    /// `C`, row-major (diagonal only used when separable).
    var covariance: [Double]
    /// `B`, row-major; `D` (square roots of the eigenvalues).
    var basis: [Double]
    var scales: [Double]
    var pathSigma: [Double]
    var pathC: [Double]
    var eigenGeneration = 0
    var generator: RandomGenerator
    var pending: [[Double]] = []
    /// The best and median value of each generation (for the termination criteria).
    var history = GenerationHistory()

    /// A CMA-ES around `mean` with initial step size `stepSize`.
    ///
    /// - Parameters:
    ///   - populationSize: `λ`; `nil` for `4 + ⌊3 ln n⌋`.
    ///   - separable: keep `C` diagonal (sep-CMA-ES).
    ///   - active: give the worst steps negative weights in `C`'s update.
    ///   - seed: the seed of the samples.
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` for an empty mean, a step size that is
    ///   not positive, or a population below 2.
    public init(mean: [Double], stepSize: Double, populationSize: Int? = nil, separable: Bool = false, active: Bool = true, seed: UInt64) throws {
        let n = mean.count
        guard n >= 1 else { throw EvolutionError.invalidConfiguration("CMA-ES needs at least one variable") }
        guard stepSize > 0, stepSize.isFinite else {
            throw EvolutionError.invalidConfiguration("the CMA-ES step size must be positive, got \(stepSize)")
        }
        let lambda = populationSize ?? (4 + Int(3 * log(Double(n))))
        guard lambda >= 2 else { throw EvolutionError.invalidConfiguration("the CMA-ES population must be at least 2, got \(lambda)") }
        dimension = n
        self.populationSize = lambda
        self.separable = separable
        self.active = active
        self.mean = mean
        self.stepSize = stepSize
        initialStepSize = stepSize
        let mu = lambda / 2
        let raw = (1...mu).map { log((Double(lambda) + 1) / 2) - log(Double($0)) }
        let total = raw.reduce(0, +)
        weights = raw.map { $0 / total }
        let mueff = 1 / weights.reduce(0) { $0 + $1 * $1 }
        effectiveMass = mueff
        let nd = Double(n)
        cSigma = (mueff + 2) / (nd + mueff + 5)
        dSigma = 1 + 2 * Swift.max(0, ((mueff - 1) / (nd + 1)).squareRoot() - 1) + cSigma
        cC = (4 + mueff / nd) / (nd + 4 + 2 * mueff / nd)
        var c1 = 2 / ((nd + 1.3) * (nd + 1.3) + mueff)
        var cMu = Swift.min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((nd + 2) * (nd + 2) + mueff))
        if separable {
            c1 *= (nd + 2) / 3
            cMu = Swift.min(1 - c1, cMu * (nd + 2) / 3)
        }
        self.c1 = c1
        self.cMu = cMu
        if active && lambda > mu {
            let rawNegative = ((mu + 1)...lambda).map { log((Double(lambda) + 1) / 2) - log(Double($0)) }
            let negativeTotal = rawNegative.reduce(0) { $0 + abs($1) }
            let negativeMass = pow(rawNegative.reduce(0, +), 2) / rawNegative.reduce(0) { $0 + $1 * $1 }
            let scale = Swift.min(1 + c1 / cMu, 1 + 2 * negativeMass / (mueff + 2), (1 - c1 - cMu) / (nd * cMu))
            negativeWeights = rawNegative.map { scale * $0 / negativeTotal }
        } else {
            negativeWeights = []
        }
        expectedNorm = nd.squareRoot() * (1 - 1 / (4 * nd) + 1 / (21 * nd * nd))
        covariance = [Double](repeating: 0, count: n * n)
        basis = [Double](repeating: 0, count: n * n)
        for i in 0..<n { covariance[i * n + i] = 1; basis[i * n + i] = 1 }
        scales = Array(repeating: 1, count: n)
        pathSigma = Array(repeating: 0, count: n)
        pathC = Array(repeating: 0, count: n)
        generator = RandomGenerator(seed: seed)
    }

    /// Samples `λ` points `m + σ B D z`.
    public mutating func ask() -> [[Double]] {
        let n = dimension
        pending = (0..<populationSize).map { _ in
            let z = (0..<n).map { _ in Double(generator.nextNormal()) }
            var point = mean
            for i in 0..<n {
                var y = 0.0
                if separable { y = scales[i] * z[i] } else { for k in 0..<n { y += basis[i * n + k] * scales[k] * z[k] } }
                point[i] += stepSize * y
            }
            return point
        }
        return pending
    }

    /// Ranks the points and updates `m`, the paths, `C` and `σ` (see the type).
    public mutating func tell(_ points: [[Double]], values: [Double]) throws {
        try validateTell(points, values, expected: populationSize, dimension: dimension)
        let n = dimension
        let order = values.indices.sorted { values[$0] < values[$1] }
        if values[order[0]] < bestValue { bestValue = values[order[0]]; bestPoint = points[order[0]] }
        let steps = order.prefix(weights.count).map { index in (0..<n).map { (points[index][$0] - mean[$0]) / stepSize } }
        // The worst steps, each rescaled by n / ‖C^{-1/2} y‖² (active update).
        let negativeSteps = order.suffix(negativeWeights.count).map { index -> [Double] in
            let y = (0..<n).map { (points[index][$0] - mean[$0]) / stepSize }
            var squaredNorm = 0.0
            if separable {
                for i in 0..<n { squaredNorm += y[i] * y[i] / (scales[i] * scales[i]) }
            } else {
                for k in 0..<n { var s = 0.0; for i in 0..<n { s += basis[i * n + k] * y[i] }; squaredNorm += s * s / (scales[k] * scales[k]) }
            }
            let factor = (Double(n) / Swift.max(squaredNorm, 1e-300)).squareRoot()
            return y.map { $0 * factor }
        }
        let rankWeights = weights + negativeWeights
        let rankSteps = steps + negativeSteps
        var weighted = [Double](repeating: 0, count: n)
        for (w, y) in zip(weights, steps) { for i in 0..<n { weighted[i] += w * y[i] } }
        for i in 0..<n { mean[i] += stepSize * weighted[i] }
        // C^{-1/2} ⟨y⟩_w = B D⁻¹ Bᵀ ⟨y⟩_w
        var whitened = [Double](repeating: 0, count: n)
        if separable {
            for i in 0..<n { whitened[i] = weighted[i] / scales[i] }
        } else {
            var rotated = [Double](repeating: 0, count: n)
            for k in 0..<n { var s = 0.0; for i in 0..<n { s += basis[i * n + k] * weighted[i] }; rotated[k] = s / scales[k] }
            for i in 0..<n { var s = 0.0; for k in 0..<n { s += basis[i * n + k] * rotated[k] }; whitened[i] = s }
        }
        let sigmaFactor = (cSigma * (2 - cSigma) * effectiveMass).squareRoot()
        for i in 0..<n { pathSigma[i] = (1 - cSigma) * pathSigma[i] + sigmaFactor * whitened[i] }
        let normSigma = pathSigma.reduce(0) { $0 + $1 * $1 }.squareRoot()
        generation += 1
        let hSigma = normSigma / (1 - pow(1 - cSigma, Double(2 * generation))).squareRoot() < (1.4 + 2 / (Double(n) + 1)) * expectedNorm ? 1.0 : 0.0
        let cFactor = (cC * (2 - cC) * effectiveMass).squareRoot()
        for i in 0..<n { pathC[i] = (1 - cC) * pathC[i] + hSigma * cFactor * weighted[i] }
        let decay = 1 - c1 - cMu * rankWeights.reduce(0, +) + (1 - hSigma) * c1 * cC * (2 - cC)
        if separable {
            for i in 0..<n {
                var rankMu = 0.0
                for (w, y) in zip(rankWeights, rankSteps) { rankMu += w * y[i] * y[i] }
                covariance[i * n + i] = decay * covariance[i * n + i] + c1 * pathC[i] * pathC[i] + cMu * rankMu
                scales[i] = covariance[i * n + i].squareRoot()
            }
        } else {
            for i in 0..<n {
                for j in i..<n {
                    var rankMu = 0.0
                    for (w, y) in zip(rankWeights, rankSteps) { rankMu += w * y[i] * y[j] }
                    covariance[i * n + j] = decay * covariance[i * n + j] + c1 * pathC[i] * pathC[j] + cMu * rankMu
                }
            }
        }
        stepSize *= exp(Swift.min(1, (cSigma / dSigma) * (normSigma / expectedNorm - 1)))
        if !separable, Double(generation - eigenGeneration) >= 0.5 / ((c1 + cMu) * Double(n)) {
            refreshEigensystem()
        }
        history.record(best: values[order[0]], median: values[order[order.count / 2]], worst: values[order[order.count - 1]])
    }

    /// Recomputes `B` and `D` from `C`.
    mutating func refreshEigensystem() {
        let n = dimension
        for i in 0..<n { for j in 0..<i { covariance[i * n + j] = covariance[j * n + i] } }
        let decomposition = SymmetricEigendecomposition(matrix: covariance, size: n, basis: eigenGeneration > 0 ? basis : nil)
        basis = decomposition.vectors
        scales = decomposition.values.map { Swift.max($0, 1e-300).squareRoot() }
        eigenGeneration = generation
    }
}
