// Vectorisable elementary functions over buffers, for the hot loops (softmax, exp, sigmoid).
// glibc's `expf` costs a call per element and blocks vectorisation; these loops have no calls
// and only selects, so LLVM turns them into SIMD code, with results within a few ulp of `expf`.

enum VectorMath {
    /// `e^x` without calls: `x = n·ln2 + r` with |r| ≤ ln2/2 (n rounded by the 1.5·2²³ shifter
    /// trick), `e^r` by its degree-7 Taylor polynomial (relative error < 2e-8 there), and `2ⁿ`
    /// written into the exponent bits. Above 88, `2ⁿ⁻¹` is written and the result doubled, so
    /// that it stays finite up to Float's largest value (`e^88.72283`). Inputs below −87.33 give 0; above 88.72284, +∞;
    /// NaN stays NaN.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let large = x > 88
        let result = clampedExp(x < -87.33 ? -87.33 : (x > 88.72284 ? 88.72284 : x), halvingScale: large) * (large ? 2 : 1)
        return x < -87.33 ? 0 : (x > 88.72284 ? .infinity : (x != x ? x : result))
    }

    /// `e^x` for `x ≤ 0` (or NaN, −∞), as in a softmax after subtracting the row's maximum:
    /// ``exp(_:)`` without the selects for large and NaN inputs (NaN flows through the
    /// arithmetic), about a fifth fewer instructions. Equal to ``exp(_:)`` on that domain.
    @inline(__always)
    static func expOfNonPositive(_ x: Float) -> Float {
        let result = clampedExp(x < -87.33 ? -87.33 : x)
        return x < -87.33 ? 0 : result
    }

    /// `erf(x)` without calls, for GELU's hot loops: for |x| ≥ 0.5 Abramowitz & Stegun 7.1.26,
    /// `1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵)·e^{−x²}` with `t = 1/(1 + p|x|)`, odd-extended
    /// (absolute error below 1.5e-7); below 0.5 its Maclaurin series. NaN stays NaN.
    @inline(__always)
    static func erf(_ x: Float) -> Float {
        let a = x < 0 ? -x : x
        let t = 1 / (1 + 0.3275911 * a)
        var p: Float = 1.061405429
        p = p * t - 1.453152027
        p = p * t + 1.421413741
        p = p * t - 0.284496736
        p = p * t + 0.254829592
        let tail = 1 - p * t * expOfNonPositive(-a * a)
        // Near 0, `1 − (≈1)` cancels in Float: use the Maclaurin series there (|x| < 0.5, six
        // terms, truncation below 2e-8).
        let x2 = x * x
        var q: Float = -1.0 / 1320
        q = q * x2 + 1.0 / 216
        q = q * x2 - 1.0 / 42
        q = q * x2 + 1.0 / 10
        q = q * x2 - 1.0 / 3
        q = q * x2 + 1
        let series = 1.1283791671 * x * q
        return a < 0.5 ? series : (x < 0 ? -tail : tail)
    }

    /// The shared core of ``exp(_:)``: `e^v` for `v` already clamped to `[−87.33, 88.72]`.
    /// With `halvingScale`, returns `e^v / 2` (for `v` near the top of the range, where `2ⁿ` itself
    /// would overflow the exponent field).
    @inline(__always)
    private static func clampedExp(_ v: Float, halvingScale: Bool = false) -> Float {
        let shifter: Float = 12_582_912   // 1.5 · 2²³
        let t = v * 1.442695041 + shifter
        let n = t - shifter
        let r = v - n * 0.693145752 - n * 1.42860677e-6
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let scale = Float(bitPattern: (t.bitPattern &- shifter.bitPattern &+ (halvingScale ? 126 : 127)) &<< 23)
        return p * scale
    }

    /// Replaces `x[0..<count]` by `e^(x − maximum)`, where `maximum` is at least every element
    /// (or NaN, or ±∞), and returns the sum of the results.
    @inline(__always)
    static func exponentiate(_ x: UnsafeMutablePointer<Float>, count: Int, belowMaximum maximum: Float) -> Float {
        for index in 0..<count { x[index] = expOfNonPositive(x[index] - maximum) }
        return sum(x, count: count)
    }

    /// Replaces `x[0..<count]` by `e^(x − shift)` and returns the sum of the results.
    @inline(__always)
    static func exponentiate(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        for index in 0..<count { x[index] = exp(x[index] - shift) }
        return sum(x, count: count)
    }

    /// The sum of `count` elements, with eight partial sums so the loop vectorises.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var partial = SIMD8<Float>(repeating: 0)
        var index = 0
        while index + 8 <= count {
            partial += UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
            index += 8
        }
        var total = partial.sum()
        while index < count { total += x[index]; index += 1 }
        return total
    }

    /// The largest of `count` elements (−∞ when empty; NaN when any is NaN), sixteen lanes at a time.
    @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD16<Float>(repeating: -.infinity)
        var sawNaN = SIMDMask<SIMD16<Int32>>(repeating: false)
        var index = 0
        while index + 16 <= count {
            let value = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD16<Float>.self)
            lanes.replace(with: value, where: value .> lanes)
            sawNaN .|= value .!= value
            index += 16
        }
        // Halve the lanes twice with vector selects, then four scalar comparisons.
        var eight = lanes.lowHalf
        eight.replace(with: lanes.highHalf, where: lanes.highHalf .> eight)
        var four = eight.lowHalf
        four.replace(with: eight.highHalf, where: eight.highHalf .> four)
        var result = Swift.max(Swift.max(four[0], four[1]), Swift.max(four[2], four[3]))
        var isNaN = any(sawNaN)
        while index < count {
            let value = x[index]
            if value > result { result = value }
            if value != value { isNaN = true }
            index += 1
        }
        return isNaN ? .nan : result
    }

    /// Layer-normalises one row: `y = (x − μ) / √(σ² + ε) ⊙ γ + β` over `count` elements, with
    /// `μ`, `σ²` the row's mean and biased variance. `y` may be `x` (in place). Returns `1/√(σ² + ε)`.
    @inline(__always) @discardableResult
    static func normalizeRow(
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int,
        gain: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float
    ) -> Float {
        let mean = sum(x, count: count) / Float(count)
        var partial = SIMD8<Float>(repeating: 0)
        var index = 0
        while index + 8 <= count {
            let centered = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self) - mean
            partial += centered * centered
            index += 8
        }
        var variance = partial.sum()
        while index < count { let centered = x[index] - mean; variance += centered * centered; index += 1 }
        let inverse = 1 / (variance / Float(count) + epsilon).squareRoot()
        for j in 0..<count { y[j] = (x[j] - mean) * inverse * gain[j] + bias[j] }
        return inverse
    }
}
