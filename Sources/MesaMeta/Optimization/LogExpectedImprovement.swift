import Foundation

/// The numerics of log expected improvement: `log h(z)` for `h(z) = φ(z) + z Φ(z)` (the expected
/// improvement of a standard normal over `−z`, so `EI = σ h((f* − μ)/σ)`) and its derivative,
/// accurate for every finite `z`.
///
/// For `z > −1`, `h` is computed directly. Below, `h(z) = φ(z) (1 − |z| √(π/2) erfcx(−z/√2))`
/// with the scaled complementary error function `erfcx(u) = exp(u²) erfc(u)`, so
///
///     log h(z) = −z²/2 − ½ log 2π + log1mexp(log(|z| erfcx(−z/√2)) + ½ log(π/2))
///
/// which stays finite where `h` itself underflows (around `z = −38`); beyond `−1/√ε` the
/// asymptote `−z²/2 − ½ log 2π − 2 log|z|` takes over (Ament et al. 2023, eq. 9). The derivative
/// is `(log h)′(z) = Φ(z)/h(z)` (since `h′ = Φ`), computed from the same pieces.
public enum LogExpectedImprovement {
    /// `log h(z)`.
    public static func logH(_ z: Double) -> Double {
        if z > -1 { return log(normalDensity(z) + z * normalCumulative(z)) }
        if z > -asymptoticThreshold {
            return -z * z / 2 - halfLogTwoPi + logOneMinusExp(log(-z * erfcx(-z / 2.squareRoot())) + halfLogHalfPi)
        }
        return -z * z / 2 - halfLogTwoPi - 2 * log(-z)
    }

    /// `(log h)′(z) = Φ(z) / h(z)`.
    public static func logHDerivative(_ z: Double) -> Double {
        if z > -1 { return normalCumulative(z) / (normalDensity(z) + z * normalCumulative(z)) }
        if z > -asymptoticThreshold {
            // Φ(z)/h(z) = √(π/2) erfcx(u) / (1 − |z| √(π/2) erfcx(u)),  u = −z/√2
            let logMills = log(erfcx(-z / 2.squareRoot())) + halfLogHalfPi
            return exp(logMills - logOneMinusExp(log(-z) + logMills))
        }
        return -z
    }

    /// The standard normal density `φ(z)`.
    public static func normalDensity(_ z: Double) -> Double { exp(-z * z / 2) / (2 * Double.pi).squareRoot() }

    /// The standard normal distribution function `Φ(z) = ½ erfc(−z/√2)`.
    public static func normalCumulative(_ z: Double) -> Double { 0.5 * erfc(-z / 2.squareRoot()) }

    /// The standard normal quantile `Φ⁻¹(p)` for `0 < p < 1`, by bisection on ``normalCumulative(_:)``
    /// over `[−40, 40]` (exact to the last few bits, and fast enough for the few dozen values
    /// of a history).
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normalQuantile: p must be in (0, 1), got \(p)")
        var (low, high) = (-40.0, 40.0)
        for _ in 0..<80 {
            let middle = (low + high) / 2
            if normalCumulative(middle) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// `erfcx(u) = exp(u²) erfc(u)` for `u ≥ 0`, directly below 26 and by its asymptotic series
    /// `1/(u√π) (1 − 1/2u² + 3/4u⁴ − 15/8u⁶)` above (relative error below 10⁻¹⁰ there).
    public static func erfcx(_ u: Double) -> Double {
        if u < 26 { return exp(u * u) * erfc(u) }
        let inverseSquare = 1 / (u * u)
        return (1 - inverseSquare / 2 + 3 * inverseSquare * inverseSquare / 4 - 15 * inverseSquare * inverseSquare * inverseSquare / 8)
            / (u * Double.pi.squareRoot())
    }

    /// `log(1 − eˣ)` for `x < 0`, accurate near 0 and far below it (Mächler 2012).
    public static func logOneMinusExp(_ x: Double) -> Double {
        x > -M_LN2 ? log(-expm1(x)) : log1p(-exp(x))
    }

    private static let halfLogTwoPi = 0.5 * log(2 * Double.pi)
    private static let halfLogHalfPi = 0.5 * log(Double.pi / 2)
    /// `1/√ε` for `Double`.
    private static let asymptoticThreshold = 1 / Double.ulpOfOne.squareRoot()
}
