import Foundation

/// A stationary kernel with one length-scale per input (automatic relevance determination), of
/// one of two families, both functions of `r² = Σⱼ (xⱼ − x′ⱼ)² / ℓⱼ²`:
///
///     Matérn-5/2:  k(x, x′) = s² (1 + √5 r + 5r²/3) exp(−√5 r)      (Rasmussen & Williams 2006, eq. 4.17)
///     RBF:         k(x, x′) = s² exp(−r²/2)                           (Rasmussen & Williams 2006, eq. 4.9)
///
/// Matérn-5/2 is what ``GaussianProcessSurrogate`` fits (the default of most Bayesian-optimisation
/// libraries before BoTorch 0.12 and of Snoek et al. 2012; twice-differentiable draws); the RBF
/// family exists so that a Gaussian process can use the exact prior of an RBF draw of
/// ``GaussianProcessFunctionSampler`` (``OracleGaussianProcessSurrogate``).
///
/// With a slope `g(r)` (Matérn-5/2: `s² (5/3) (1 + √5 r) exp(−√5 r)`; RBF: `k` itself) the
/// derivatives used by the hyperparameter fit and the acquisition's gradient are
///
///     ∂k/∂log ℓⱼ = g(r) (xⱼ − x′ⱼ)² / ℓⱼ²,   ∂k/∂xⱼ = −g(r) (xⱼ − x′ⱼ) / ℓⱼ²,   ∂k/∂log s² = k,
///
/// all finite at `r = 0`.
public struct StationaryKernel: Sendable, Equatable {
    /// The family of a ``StationaryKernel``.
    public enum Family: String, CaseIterable, Sendable, Codable {
        /// Matérn with smoothness ν = 5/2 (twice differentiable draws).
        case matern52
        /// The squared-exponential (RBF) kernel (infinitely differentiable draws).
        case rbf
    }

    /// The family.
    public var family: Family
    /// The length-scales `ℓⱼ > 0`, one per input.
    public var lengthScales: [Double]
    /// The signal variance `s² > 0` (`k(x, x)`).
    public var outputScale: Double

    /// Creates a kernel (Matérn-5/2 unless `family` says otherwise).
    public init(family: Family = .matern52, lengthScales: [Double], outputScale: Double) {
        self.family = family
        self.lengthScales = lengthScales
        self.outputScale = outputScale
    }

    /// `r²` between `x` and `y`.
    @inlinable
    func squaredDistance(_ x: [Double], _ y: [Double]) -> Double {
        var r2 = 0.0
        for j in 0..<lengthScales.count {
            let u = (x[j] - y[j]) / lengthScales[j]
            r2 += u * u
        }
        return r2
    }

    /// `k(x, x′)`.
    @inlinable
    public func callAsFunction(_ x: [Double], _ y: [Double]) -> Double {
        let r2 = squaredDistance(x, y)
        switch family {
        case .matern52:
            let r = r2.squareRoot()
            return outputScale * (1 + Self.root5 * r + 5 * r2 / 3) * exp(-Self.root5 * r)
        case .rbf:
            return outputScale * exp(-0.5 * r2)
        }
    }

    /// `k(x, x′)` and `g(r)` (see the type's discussion).
    @inlinable
    public func valueAndSlope(_ x: [Double], _ y: [Double]) -> (value: Double, slope: Double) {
        let r2 = squaredDistance(x, y)
        switch family {
        case .matern52:
            let r = r2.squareRoot(), e = exp(-Self.root5 * r)
            return (outputScale * (1 + Self.root5 * r + 5 * r2 / 3) * e, outputScale * 5 / 3 * (1 + Self.root5 * r) * e)
        case .rbf:
            let value = outputScale * exp(-0.5 * r2)
            return (value, value)
        }
    }

    /// `√5`.
    public static let root5 = 5.0.squareRoot()
}
