import Foundation

/// The lower-triangular Cholesky factor `L` (`L Lᵀ = A`) of a small symmetric positive-definite
/// matrix in `Double`, grown one row at a time: the closed-form baselines' linear algebra.
///
/// Rows are stored packed (row `r` holds `r + 1` values), so appending row `n` of `A` to the
/// factor of its leading `n × n` block costs `O(n²)`: the factor of a leading block is the leading
/// block of the factor, which is what a Gaussian process needs as the prompt grows.
///
/// Every squared pivot is floored at `minimumPivot`, so the factorisation never fails: for a matrix
/// that is positive definite by construction (a ridge or a jitter on the diagonal) the floor only
/// catches rounding, and for an exactly singular one it acts as a jitter on that pivot.
struct CholeskyFactor {
    /// The packed rows of `L`: entry `(r, c)`, `c ≤ r`, at `r (r + 1) / 2 + c`.
    private(set) var packed: [Double] = []
    /// The number of rows (and columns) factored so far.
    private(set) var size = 0
    /// The smallest squared pivot allowed (see the type's discussion).
    let minimumPivot: Double

    /// An empty factor (of a `0 × 0` matrix).
    init(minimumPivot: Double) {
        self.minimumPivot = minimumPivot
    }

    /// The factor of the symmetric `n × n` matrix `matrix` (row-major; only its lower triangle is read).
    init(matrix: [Double], size n: Int, minimumPivot: Double) {
        self.init(minimumPivot: minimumPivot)
        packed.reserveCapacity(n * (n + 1) / 2)
        var row = [Double](repeating: 0, count: n)
        for r in 0..<n {
            for c in 0...r { row[c] = matrix[r * n + c] }
            append(row: row)
        }
    }

    /// Extends the factor of `A` to that of `[[A, a], [aᵀ, α]]`, where `row` holds `aᵀ` followed
    /// by `α` (at least `size + 1` values; the rest are ignored).
    mutating func append(row: [Double]) {
        let n = size
        let start = packed.count
        packed.reserveCapacity(start + n + 1)
        var squaredNorm = 0.0
        for c in 0..<n {
            // L[n, c] = (a[c] − Σ_{m<c} L[n, m] L[c, m]) / L[c, c]
            let rowC = c * (c + 1) / 2
            var value = row[c]
            for m in 0..<c { value -= packed[start + m] * packed[rowC + m] }
            value /= packed[rowC + c]
            packed.append(value)
            squaredNorm += value * value
        }
        let pivot = row[n] - squaredNorm
        packed.append(Swift.max(pivot.isNaN ? minimumPivot : pivot, minimumPivot).squareRoot())
        size += 1
    }

    /// `L⁻¹ b` (forward substitution), for `b` of `size` values.
    func solveLower(_ b: [Double]) -> [Double] {
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
    func solveUpper(_ z: [Double]) -> [Double] {
        var x = z
        for r in stride(from: size - 1, through: 0, by: -1) {
            var value = x[r]
            for k in (r + 1)..<Swift.max(size, r + 1) { value -= packed[k * (k + 1) / 2 + r] * x[k] }
            x[r] = value / packed[r * (r + 1) / 2 + r]
        }
        return x
    }

    /// `A⁻¹ b`.
    func solve(_ b: [Double]) -> [Double] { solveUpper(solveLower(b)) }

    /// `log det A = 2 Σ log L[r, r]`.
    var logDeterminant: Double {
        var sum = 0.0
        for r in 0..<size { sum += log(packed[r * (r + 1) / 2 + r]) }
        return 2 * sum
    }
}
