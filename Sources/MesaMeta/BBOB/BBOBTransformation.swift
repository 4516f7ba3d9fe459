import Foundation

/// The BBOB transformations that turn the raw functions into their instances (Hansen et al.
/// 2009, *Noiseless Functions Definitions*, section 0.2), as plain functions on `Double`s.
enum BBOBTransformation {
    /// `T_osz` on one number: `sign(x) exp(x̂ + 0.049 (sin c₁x̂ + sin c₂x̂))` with `x̂ = log|x|`,
    /// `(c₁, c₂) = (10, 7.9)` for `x > 0` and `(5.5, 3.1)` for `x < 0`, written as COCO computes it
    /// (`exp(t + 0.49 (sin t + sin 0.79 t))^0.1` with `t = 10 log|x|`).
    @inline(__always)
    static func oscillate(_ x: Double) -> Double {
        if x > 0 {
            let t = log(x) / 0.1
            return pow(exp(t + 0.49 * (sin(t) + sin(0.79 * t))), 0.1)
        } else if x < 0 {
            let t = log(-x) / 0.1
            return -pow(exp(t + 0.49 * (sin(0.55 * t) + sin(0.31 * t))), 0.1)
        }
        return 0
    }

    /// `T_asy^β`: `xᵢ^(1 + β i/(d−1) √xᵢ)` for positive coordinates, the others unchanged.
    @inline(__always)
    static func asymmetric(_ x: inout [Double], beta: Double) {
        let d = x.count
        for i in 0..<d where x[i] > 0 {
            x[i] = pow(x[i], 1 + beta * Double(i) / (Double(d) - 1) * x[i].squareRoot())
        }
    }

    /// The diagonal of `Λ^α`: `α^(i / (2(d−1)))`, written `√α^(i/(d−1))` as COCO does.
    static func conditioning(_ alpha: Double, dimension d: Int) -> [Double] {
        (0..<d).map { pow(alpha.squareRoot(), Double($0) / (Double(d) - 1)) }
    }

    /// The boundary penalty `f_pen(x) = Σ max(0, |xᵢ| − 5)²`.
    @inline(__always)
    static func penalty(_ x: [Double]) -> Double {
        var total = 0.0
        for value in x {
            let excess = abs(value) - 5
            if excess > 0 { total += excess * excess }
        }
        return total
    }

    /// `matrix · vector` for a row-major `d × d` matrix.
    @inline(__always)
    static func multiply(_ matrix: [Double], _ vector: [Double]) -> [Double] {
        let d = vector.count
        var result = [Double](repeating: 0, count: d)
        matrix.withUnsafeBufferPointer { m in
            vector.withUnsafeBufferPointer { v in
                for row in 0..<d {
                    var sum = 0.0
                    let offset = row * d
                    for column in 0..<d { sum += m[offset + column] * v[column] }
                    result[row] = sum
                }
            }
        }
        return result
    }

    /// `A · diag(scales) · B` for row-major `d × d` matrices.
    static func product(_ a: [Double], scales: [Double], _ b: [Double]) -> [Double] {
        let d = scales.count
        var result = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d {
            var sum = 0.0
            for k in 0..<d { sum += a[i * d + k] * scales[k] * b[k * d + j] }
            result[i * d + j] = sum
        } }
        return result
    }

    /// COCO's rounding, `⌊x + ½⌋`.
    @inline(__always)
    static func round(_ x: Double) -> Double { (x + 0.5).rounded(.down) }
}
