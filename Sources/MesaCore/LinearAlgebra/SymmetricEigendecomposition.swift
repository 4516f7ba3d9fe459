import Foundation

/// The eigendecomposition `A = V diag(λ) Vᵀ` of a real symmetric matrix by the cyclic Jacobi
/// method (Golub & Van Loan, *Matrix Computations*, §8.5): plane rotations zero the off-diagonal
/// entries one pair at a time, sweep after sweep, until their sum of squares is negligible
/// against the diagonal's. Accurate to rounding for the small dense matrices it is used for
/// (CMA-ES covariances, `n ≤ 100`); `O(n³)` per sweep, about 6–10 sweeps.
///
/// ```swift
/// let e = SymmetricEigendecomposition(matrix: [2, 1, 1, 2], size: 2)
/// e.values        // [1, 3] (unordered in general)
/// e.vectors       // row-major; column k is the eigenvector of values[k]
/// ```
public struct SymmetricEigendecomposition: Sendable {
    /// The eigenvalues `λ`, in no particular order.
    public let values: [Double]
    /// The orthogonal matrix `V`, row-major `n × n`; column `k` belongs to `values[k]`.
    public let vectors: [Double]
    /// The order `n`.
    public let size: Int

    /// Decomposes the symmetric `size × size` row-major `matrix` (only its upper triangle is read).
    ///
    /// - Parameter basis: an orthogonal matrix (row-major) that nearly diagonalises `matrix`, e.g.
    ///   the eigenvectors of a slightly different matrix: the sweeps then run on `Bᵀ A B`, which is
    ///   nearly diagonal, and take one or two instead of six to ten.
    public init(matrix: [Double], size n: Int, basis: [Double]? = nil) {
        precondition(matrix.count == n * n, "SymmetricEigendecomposition: \(matrix.count) entries for a \(n) × \(n) matrix")
        var a = matrix
        for i in 0..<n { for j in 0..<i { a[i * n + j] = a[j * n + i] } }
        var v = [Double](repeating: 0, count: n * n)
        if let basis {
            precondition(basis.count == n * n, "SymmetricEigendecomposition: a basis of \(basis.count) entries for a \(n) × \(n) matrix")
            // a ← Bᵀ A B, and the rotations accumulate onto B.
            var product = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for k in 0..<n { let aik = a[i * n + k]; if aik != 0 { for j in 0..<n { product[i * n + j] += aik * basis[k * n + j] } } } }
            var rotated = [Double](repeating: 0, count: n * n)
            for k in 0..<n { for i in 0..<n { let bki = basis[k * n + i]; if bki != 0 { for j in 0..<n { rotated[i * n + j] += bki * product[k * n + j] } } } }
            for i in 0..<n { for j in 0..<i { let mean = (rotated[i * n + j] + rotated[j * n + i]) / 2; rotated[i * n + j] = mean; rotated[j * n + i] = mean } }
            a = rotated
            v = basis
        } else {
            for i in 0..<n { v[i * n + i] = 1 }
        }
        a.withUnsafeMutableBufferPointer { a in
            v.withUnsafeMutableBufferPointer { v in
                for _ in 0..<100 {
                    var off = 0.0, diagonal = 0.0
                    for i in 0..<n {
                        diagonal += a[i * n + i] * a[i * n + i]
                        for j in (i + 1)..<max(i + 1, n) { off += a[i * n + j] * a[i * n + j] }
                    }
                    if off <= 1e-30 * diagonal || off == 0 { break }
                    for p in 0..<n {
                        for q in (p + 1)..<max(p + 1, n) {
                            let apq = a[p * n + q]
                            if apq == 0 { continue }
                            // The rotation angle that zeroes a[p][q]: t = tan θ, the smaller root.
                            let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                            let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                            let c = 1 / (t * t + 1).squareRoot(), s = t * c
                            for k in 0..<n {
                                let akp = a[k * n + p], akq = a[k * n + q]
                                a[k * n + p] = c * akp - s * akq
                                a[k * n + q] = s * akp + c * akq
                            }
                            for k in 0..<n {
                                let apk = a[p * n + k], aqk = a[q * n + k]
                                a[p * n + k] = c * apk - s * aqk
                                a[q * n + k] = s * apk + c * aqk
                            }
                            for k in 0..<n {
                                let vkp = v[k * n + p], vkq = v[k * n + q]
                                v[k * n + p] = c * vkp - s * vkq
                                v[k * n + q] = s * vkp + c * vkq
                            }
                        }
                    }
                }
            }
        }
        values = (0..<n).map { a[$0 * n + $0] }
        vectors = v
        size = n
    }
}
