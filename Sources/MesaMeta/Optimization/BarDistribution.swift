import Foundation

/// A "bar" (Riemann) distribution: probabilities over fixed, equal-width bins, uniform inside
/// each, the output of a prior-data fitted network's regression head (Müller et al. 2022,
/// "Transformers Can Do Bayesian Inference", §4). As in PFNs4BO (Müller et al. 2023) the two
/// outer bins carry the mass beyond the grid as half-normal tails, so that the distribution has
/// full support and expected improvement stays positive below the lowest bin.
///
/// Bins `b = 0..<B` with edges `l_b = lowerEdge + b w`, `u_b = l_b + w`, probabilities `p_b`:
/// inner bins are uniform on `[l_b, u_b]`; bin 0 is `u_0 − τ|Z|` and bin `B − 1` is
/// `l_{B−1} + τ|Z|`, `Z ~ N(0, 1)`, `τ` = ``tailScale``.
///
/// **Expected improvement** below a reference `f*` (objectives are minimised),
/// `EI = E[max(f* − y, 0)] = Σ_b p_b e_b`, in closed form per bin (PFNs4BO, eq. 4, for a
/// minimum):
///
/// - inner bin: `e_b = f* − (l_b + u_b)/2` if `f* ≥ u_b`; `(f* − l_b)² / 2w` if `l_b < f* < u_b`; else 0;
/// - lower tail: `e_0 = f* − u_0 + τ√(2/π)` if `f* ≥ u_0`, else `2τ h(−a)`, `a = (u_0 − f*)/τ`,
///   with `h(z) = φ(z) + zΦ(z)` (``LogExpectedImprovement``);
/// - upper tail: `e = 2τ [c (Φ(c) − ½) − φ(0) + φ(c)]`, `c = (f* − l_{B−1})/τ`, if `f* > l_{B−1}`; else 0.
///
/// ``logExpectedImprovement(below:)`` sums the same terms in log space (log-sum-exp, the tail
/// through `log h`), so it is finite for every finite `f*` while any tail mass is positive.
public struct BarDistribution: Sendable, Equatable {
    /// The lower edge of bin 0.
    public let lowerEdge: Double
    /// The width `w` of every bin.
    public let binWidth: Double
    /// The probabilities `p_b` (summing to 1).
    public let probabilities: [Double]
    /// The scale `τ` of the half-normal tails of the outer bins.
    public let tailScale: Double

    /// A distribution over `probabilities.count` bins (at least 3) from `lowerEdge` in steps of
    /// `binWidth`.
    public init(probabilities: [Double], lowerEdge: Double, binWidth: Double, tailScale: Double) {
        precondition(probabilities.count >= 3 && binWidth > 0 && tailScale > 0, "BarDistribution: needs 3 bins or more and positive widths")
        self.probabilities = probabilities
        self.lowerEdge = lowerEdge
        self.binWidth = binWidth
        self.tailScale = tailScale
    }

    /// The distribution of a regression head's `logits` over the bins of `[−range, range]`
    /// (softmax in `Double`); the tails' scale is one bin width unless given.
    public init(logits: some Collection<Float>, range: Double, tailScale: Double? = nil) {
        let values = logits.map(Double.init)
        let largest = values.max() ?? 0
        let weights = values.map { exp($0 - largest) }
        let total = weights.reduce(0, +)
        let width = 2 * range / Double(values.count)
        self.init(probabilities: weights.map { $0 / total }, lowerEdge: -range, binWidth: width, tailScale: tailScale ?? width)
    }

    /// `√(2/π)`: the mean of `|Z|`.
    private static let halfNormalMean = (2 / Double.pi).squareRoot()

    private var last: Int { probabilities.count - 1 }
    private func lower(_ b: Int) -> Double { lowerEdge + Double(b) * binWidth }

    /// The mean: inner bins at their centres, tails at `u_0 − τ√(2/π)` and `l_{B−1} + τ√(2/π)`.
    public var mean: Double {
        var sum = probabilities[0] * (lower(1) - tailScale * Self.halfNormalMean)
            + probabilities[last] * (lower(last) + tailScale * Self.halfNormalMean)
        for b in 1..<last { sum += probabilities[b] * (lower(b) + binWidth / 2) }
        return sum
    }

    /// The variance: `Σ p_b E[y² | b] − mean²` (inner bins `c_b² + w²/12`; a tail at edge `e`
    /// going outwards `e² ± 2eτ√(2/π) + τ²`).
    public var variance: Double {
        let m = mean, tau = tailScale, k = Self.halfNormalMean
        let u0 = lower(1), l = lower(last)
        var second = probabilities[0] * (u0 * u0 - 2 * u0 * tau * k + tau * tau) + probabilities[last] * (l * l + 2 * l * tau * k + tau * tau)
        for b in 1..<last {
            let centre = lower(b) + binWidth / 2
            second += probabilities[b] * (centre * centre + binWidth * binWidth / 12)
        }
        return Swift.max(second - m * m, 0)
    }

    /// The probability that a draw is at most `y`.
    public func cumulative(_ y: Double) -> Double {
        var total = 0.0
        let u0 = lower(1)
        total += probabilities[0] * (y >= u0 ? 1 : 2 * LogExpectedImprovement.normalCumulative((y - u0) / tailScale))
        for b in 1..<last {
            total += probabilities[b] * Swift.min(Swift.max((y - lower(b)) / binWidth, 0), 1)
        }
        let l = lower(last)
        if y > l { total += probabilities[last] * (2 * LogExpectedImprovement.normalCumulative((y - l) / tailScale) - 1) }
        return total
    }

    /// The log of each bin's expected improvement term `e_b` below `reference` (−∞ where 0).
    private func logTerms(below reference: Double) -> [Double] {
        Self.logImprovementTerms(below: reference, binCount: probabilities.count, lowerEdge: lowerEdge, binWidth: binWidth, tailScale: tailScale)
    }

    /// `log e_b` for every bin of a grid of `binCount` bins from `lowerEdge` in steps of
    /// `binWidth` (tails of scale `tailScale`), below `reference` (−∞ where `e_b = 0`): the terms
    /// that do not depend on the probabilities, so that `log EI = logsumexp_b(log p_b + log e_b)`
    /// can be written on a network's logits and differentiated (``NAPPolicy``).
    public static func logImprovementTerms(below reference: Double, binCount: Int, lowerEdge: Double, binWidth: Double,
                                           tailScale: Double) -> [Double] {
        func lower(_ b: Int) -> Double { lowerEdge + Double(b) * binWidth }
        let last = binCount - 1
        var terms = [Double](repeating: -.infinity, count: binCount)
        let tau = tailScale
        let u0 = lower(1)
        terms[0] = reference >= u0
            ? log(reference - u0 + tau * Self.halfNormalMean)
            : log(2 * tau) + LogExpectedImprovement.logH(-(u0 - reference) / tau)
        for b in 1..<last {
            let l = lower(b), u = l + binWidth
            if reference >= u {
                terms[b] = log(reference - (l + u) / 2)
            } else if reference > l {
                terms[b] = 2 * log(reference - l) - log(2 * binWidth)
            }
        }
        let l = lower(last)
        if reference > l {
            let c = (reference - l) / tau
            let phi = LogExpectedImprovement.normalDensity
            // c(Φ(c) − ½) − φ(0) + φ(c) = ∫₀ᶜ (c − z) φ(z) dz, computed as c(Φ(c) − ½) − (φ(0) − φ(c)).
            let integral = c * (LogExpectedImprovement.normalCumulative(c) - 0.5) - (phi(0) - phi(c))
            if integral > 0 { terms[last] = log(2 * tau * integral) }
        }
        return terms
    }

    /// `E[max(reference − y, 0)]` (see the type's discussion).
    public func expectedImprovement(below reference: Double) -> Double {
        zip(probabilities, logTerms(below: reference)).reduce(0) { $0 + $1.0 * exp($1.1) }
    }

    /// `log E[max(reference − y, 0)]`, by log-sum-exp over the bins' terms (−∞ only when no bin
    /// with mass can improve).
    public func logExpectedImprovement(below reference: Double) -> Double {
        let terms = zip(probabilities, logTerms(below: reference)).map { $0.0 > 0 ? log($0.0) + $0.1 : -Double.infinity }
        let largest = terms.max() ?? -.infinity
        guard largest > -.infinity else { return -.infinity }
        return largest + log(terms.reduce(0) { $0 + exp($1 - largest) })
    }
}
