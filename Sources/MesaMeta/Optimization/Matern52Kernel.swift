import Foundation

/// The Matérn-5/2 kernel with one length-scale per input (automatic relevance determination):
///
///     k(x, x′) = s² (1 + √5 r + 5r²/3) exp(−√5 r),   r² = Σⱼ (xⱼ − x′ⱼ)² / ℓⱼ²
///
/// (Rasmussen & Williams 2006, eq. 4.17), the default of most Bayesian-optimisation libraries
/// before BoTorch 0.12 and of Snoek et al. 2012. Its draws are twice differentiable.
///
/// With `g(r) = s² (5/3) (1 + √5 r) exp(−√5 r)` the derivatives used by the hyperparameter fit and
/// the acquisition's gradient are
///
///     ∂k/∂log ℓⱼ = g(r) (xⱼ − x′ⱼ)² / ℓⱼ²,   ∂k/∂xⱼ = −g(r) (xⱼ − x′ⱼ) / ℓⱼ²,   ∂k/∂log s² = k,
///
/// all finite at `r = 0`.
public struct Matern52Kernel: Sendable, Equatable {
    /// The length-scales `ℓⱼ > 0`, one per input.
    public var lengthScales: [Double]
    /// The signal variance `s² > 0` (`k(x, x)`).
    public var outputScale: Double

    /// Creates a kernel.
    public init(lengthScales: [Double], outputScale: Double) {
        self.lengthScales = lengthScales
        self.outputScale = outputScale
    }

    /// `k(x, x′)`.
    @inlinable
    public func callAsFunction(_ x: [Double], _ y: [Double]) -> Double {
        var r2 = 0.0
        for j in 0..<lengthScales.count {
            let u = (x[j] - y[j]) / lengthScales[j]
            r2 += u * u
        }
        let r = r2.squareRoot()
        return outputScale * (1 + Self.root5 * r + 5 * r2 / 3) * exp(-Self.root5 * r)
    }

    /// `k(x, x′)` and `g(r)` (see the type's discussion).
    @inlinable
    public func valueAndSlope(_ x: [Double], _ y: [Double]) -> (value: Double, slope: Double) {
        var r2 = 0.0
        for j in 0..<lengthScales.count {
            let u = (x[j] - y[j]) / lengthScales[j]
            r2 += u * u
        }
        let r = r2.squareRoot(), e = exp(-Self.root5 * r)
        return (outputScale * (1 + Self.root5 * r + 5 * r2 / 3) * e, outputScale * 5 / 3 * (1 + Self.root5 * r) * e)
    }

    /// `√5`.
    public static let root5 = 5.0.squareRoot()
}
