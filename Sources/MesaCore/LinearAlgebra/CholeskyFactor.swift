import Foundation

/// The lower-triangular Cholesky factor `L` (`L Lᵀ = A`) of a small symmetric positive-definite
/// matrix in `Double`, grown one row at a time: Mesa's one Cholesky factorisation, behind the
/// closed-form baselines (ridge, lasso, Gaussian processes), the samplers that draw from Gaussian
/// processes and ``Tensor/cholesky()``.
///
/// The factor follows the Cholesky–Banachiewicz order (row by row):
///
///     L[n, c] = (A[n, c] − Σ_{m<c} L[n, m] L[c, m]) / L[c, c],   L[n, n] = √(A[n, n] − Σ_{c<n} L[n, c]²)
///
/// Rows are stored packed (row `r` holds `r + 1` values), so appending row `n` of `A` to the
/// factor of its leading `n × n` block costs `O(n²)`: the factor of a leading block is the leading
/// block of the factor, which is what a Gaussian process needs as the prompt grows.
///
/// Every squared pivot is floored at `minimumPivot`, so the factorisation never fails: for a matrix
/// that is positive definite by construction (a ridge or a jitter on the diagonal) the floor only
/// catches rounding, and for an exactly singular one it acts as a jitter on that pivot.
public struct CholeskyFactor: Sendable {
    /// The packed rows of `L`: entry `(r, c)`, `c ≤ r`, at `r (r + 1) / 2 + c`.
    public private(set) var packed: [Double] = []
    /// The number of rows (and columns) factored so far.
    public private(set) var size = 0
    /// The smallest squared pivot allowed (see the type's discussion).
    public let minimumPivot: Double
    /// Whether a pivot is `((A[n, n] − L[n, 0]²) − L[n, 1]²) − …`, one term at a time (as the
    /// samplers of Gaussian-process tasks and of the tabular prior always computed it, so their
    /// draws stay bit for bit those of earlier versions), instead of `A[n, n] − Σ L[n, c]²`. The
    /// two agree to rounding.
    public let subtractsPivotTermsInOrder: Bool

    /// An empty factor (of a `0 × 0` matrix).
    public init(minimumPivot: Double, subtractsPivotTermsInOrder: Bool = false) {
        self.minimumPivot = minimumPivot
        self.subtractsPivotTermsInOrder = subtractsPivotTermsInOrder
    }

    /// The factor of the symmetric `n × n` matrix `matrix` (row-major; only its lower triangle is read).
    public init(matrix: [Double], size n: Int, minimumPivot: Double, subtractsPivotTermsInOrder: Bool = false) {
        self.init(minimumPivot: minimumPivot, subtractsPivotTermsInOrder: subtractsPivotTermsInOrder)
        packed.reserveCapacity(n * (n + 1) / 2)
        var row = [Double](repeating: 0, count: n)
        for r in 0..<n {
            for c in 0...r { row[c] = matrix[r * n + c] }
            append(row: row)
        }
    }

    /// Extends the factor of `A` to that of `[[A, a], [aᵀ, α]]`, where `row` holds `aᵀ` followed
    /// by `α` (at least `size + 1` values; the rest are ignored).
    public mutating func append(row: [Double]) {
        _ = append(row: row, strict: false)
    }

    /// The factor of `matrix + diagonalShift · I` (row-major `n × n`, lower triangle read), or
    /// `nil` when a squared pivot is not positive and finite: the strict form, for callers that
    /// retry with a larger jitter instead of flooring the pivot (pivot terms subtracted in order).
    public static func strict(matrix: [Double], size n: Int, diagonalShift: Double = 0) -> CholeskyFactor? {
        var factor = CholeskyFactor(minimumPivot: 0, subtractsPivotTermsInOrder: true)
        factor.packed.reserveCapacity(n * (n + 1) / 2)
        var row = [Double](repeating: 0, count: n)
        for r in 0..<n {
            for c in 0...r { row[c] = matrix[r * n + c] }
            row[r] += diagonalShift
            guard factor.append(row: row, strict: true) else { return nil }
        }
        return factor
    }

    /// Appends a row; in `strict` mode a non-positive or non-finite squared pivot leaves the
    /// factor unchanged and returns `false`.
    private mutating func append(row: [Double], strict: Bool) -> Bool {
        let n = size
        let start = packed.count
        packed.reserveCapacity(start + n + 1)
        // The pivot's running value: A[n, n] less each term (in order), or the terms' sum.
        var running = subtractsPivotTermsInOrder ? row[n] : 0
        for c in 0..<n {
            // L[n, c] = (a[c] − Σ_{m<c} L[n, m] L[c, m]) / L[c, c]
            let rowC = c * (c + 1) / 2
            var value = row[c]
            for m in 0..<c { value -= packed[start + m] * packed[rowC + m] }
            value /= packed[rowC + c]
            packed.append(value)
            if subtractsPivotTermsInOrder { running -= value * value } else { running += value * value }
        }
        let pivot = subtractsPivotTermsInOrder ? running : row[n] - running
        if strict {
            guard pivot > 0, pivot.isFinite else {
                packed.removeSubrange(start...)
                return false
            }
            packed.append(pivot.squareRoot())
        } else {
            packed.append(Swift.max(pivot.isNaN ? minimumPivot : pivot, minimumPivot).squareRoot())
        }
        size += 1
        return true
    }

    /// The entry `L[row, column]` (0 above the diagonal).
    public subscript(row: Int, column: Int) -> Double {
        column <= row ? packed[row * (row + 1) / 2 + column] : 0
    }

    /// `L` as a dense row-major `size × size` matrix.
    public var lowerTriangle: [Double] {
        var dense = [Double](repeating: 0, count: size * size)
        for r in 0..<size { for c in 0...r { dense[r * size + c] = packed[r * (r + 1) / 2 + c] } }
        return dense
    }

    /// `L z`, for `z` of `size` values: a draw from `N(0, A)` when `z ~ N(0, I)`.
    public func lowerTimes(_ z: [Double]) -> [Double] {
        (0..<size).map { r in
            let rowR = r * (r + 1) / 2
            var value = 0.0
            for c in 0...r { value += packed[rowR + c] * z[c] }
            return value
        }
    }

    /// `L⁻¹ b` (forward substitution), for `b` of `size` values.
    public func solveLower(_ b: [Double]) -> [Double] {
        var z = b
        for r in 0..<size {
            let rowR = r * (r + 1) / 2
            var value = z[r]
            for c in 0..<r { value -= packed[rowR + c] * z[c] }
            z[r] = value / packed[rowR + r]
        }
        return z
    }

    /// `L⁻ᵀ z` (back substitution).
    public func solveUpper(_ z: [Double]) -> [Double] {
        var x = z
        for r in stride(from: size - 1, through: 0, by: -1) {
            var value = x[r]
            for k in (r + 1)..<Swift.max(size, r + 1) { value -= packed[k * (k + 1) / 2 + r] * x[k] }
            x[r] = value / packed[r * (r + 1) / 2 + r]
        }
        return x
    }

    /// `A⁻¹ b`.
    public func solve(_ b: [Double]) -> [Double] { solveUpper(solveLower(b)) }

    /// `A⁻¹` as a dense row-major `size × size` matrix, computed as `L⁻ᵀ L⁻¹` (about `n³/2`
    /// multiply-adds): what the gradient of a Gaussian process's log marginal likelihood needs,
    /// `½ tr((ααᵀ − A⁻¹) ∂A/∂θ)`.
    public var inverse: [Double] {
        let n = size
        // M = L⁻¹, lower triangular, row-major: column j solves L m = e_j (zero above row j).
        var m = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            for r in j..<n {
                let rowR = r * (r + 1) / 2
                var value = r == j ? 1.0 : 0.0
                for c in j..<r { value -= packed[rowR + c] * m[c * n + j] }
                m[r * n + j] = value / packed[rowR + r]
            }
        }
        // (A⁻¹)[i, k] = Σ_{r ≥ max(i, k)} M[r, i] M[r, k]
        var result = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in 0...i {
                var value = 0.0
                for r in i..<n { value += m[r * n + i] * m[r * n + k] }
                result[i * n + k] = value
                result[k * n + i] = value
            }
        }
        return result
    }

    /// `log det A = 2 Σ log L[r, r]`.
    public var logDeterminant: Double {
        var sum = 0.0
        for r in 0..<size { sum += log(packed[r * (r + 1) / 2 + r]) }
        return 2 * sum
    }
}
