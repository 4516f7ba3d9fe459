// Small dense linear algebra (Cholesky through ``CholeskyFactor``, LU solve, least squares) in double precision, for the
// closed-form baselines of later issues (ridge, Gaussian-process posteriors). These results do
// not carry gradients.

extension Tensor {
    /// The lower-triangular Cholesky factor `L` with `L Lᵀ = A` of a symmetric positive-definite
    /// matrix `[n, n]`; reports ``TensorError/Kind/singularMatrix`` when `A` is not positive definite.
    public func cholesky() -> Tensor {
        guard check(rank == 2 && shape[0] == shape[1], .shapeMismatch, "cholesky: needs a square matrix, got shape \(shape)")
        else { return .placeholder }
        let n = shape[0]
        guard let factor = CholeskyFactor.strict(matrix: storage.buffer.map(Double.init), size: n) else {
            _ = check(false, .singularMatrix, "cholesky: matrix of shape \(shape) is not positive definite")
            return .placeholder
        }
        return Tensor(shape: [n, n], scalars: factor.lowerTriangle.map(Float.init))
    }

    /// Solves `A X = B` for square `A` `[n, n]` by LU decomposition with partial pivoting.
    /// `B` is `[n]` or `[n, m]`; reports ``TensorError/Kind/singularMatrix`` for a singular `A`.
    public static func solve(_ a: Tensor, _ b: Tensor) -> Tensor {
        guard check(a.rank == 2 && a.shape[0] == a.shape[1], .shapeMismatch, "solve: A must be square, got shape \(a.shape)"),
              check((b.rank == 1 || b.rank == 2) && b.shape[0] == a.shape[0], .shapeMismatch,
                    "solve: A of shape \(a.shape) and B of shape \(b.shape) do not match")
        else { return .placeholder }
        let n = a.shape[0], m = b.rank == 1 ? 1 : b.shape[1]
        var lu = a.storage.buffer.map(Double.init)
        var x = b.storage.buffer.map(Double.init)
        let scale = lu.map(Swift.abs).max() ?? 0
        for column in 0..<n {
            var pivot = column
            for row in column..<n where Swift.abs(lu[row * n + column]) > Swift.abs(lu[pivot * n + column]) { pivot = row }
            guard check(Swift.abs(lu[pivot * n + column]) > 1e-12 * Swift.max(scale, 1e-300), .singularMatrix,
                        "solve: matrix of shape \(a.shape) is singular (column \(column))") else { return .placeholder }
            if pivot != column {
                for k in 0..<n { lu.swapAt(pivot * n + k, column * n + k) }
                for k in 0..<m { x.swapAt(pivot * m + k, column * m + k) }
            }
            for row in (column + 1)..<Swift.max(n, column + 1) {
                let factor = lu[row * n + column] / lu[column * n + column]
                if factor == 0 { continue }
                for k in column..<n { lu[row * n + k] -= factor * lu[column * n + k] }
                for k in 0..<m { x[row * m + k] -= factor * x[column * m + k] }
            }
        }
        for row in stride(from: n - 1, through: 0, by: -1) {
            for k in 0..<m {
                var value = x[row * m + k]
                for j in (row + 1)..<Swift.max(n, row + 1) { value -= lu[row * n + j] * x[j * m + k] }
                x[row * m + k] = value / lu[row * n + row]
            }
        }
        return Tensor(shape: b.shape, scalars: x.map(Float.init))
    }

    /// The least-squares solution `argmin_X ‖A X − B‖²` (minimum-norm when `A` is rank deficient)
    /// for `A` `[rows, columns]` and `B` `[rows]` or `[rows, m]`.
    ///
    /// Computed as `X = Aᵀ (A Aᵀ + δI)⁻¹ B` when `rows < columns` and `(AᵀA + δI)⁻¹ Aᵀ B`
    /// otherwise, with a tiny ridge `δ` relative to the trace so rank-deficient systems stay
    /// solvable: the minimum-norm solution up to `δ`.
    public static func leastSquares(_ a: Tensor, _ b: Tensor) -> Tensor {
        guard check(a.rank == 2, .shapeMismatch, "leastSquares: A must be a matrix, got shape \(a.shape)"),
              check((b.rank == 1 || b.rank == 2) && b.shape[0] == a.shape[0], .shapeMismatch,
                    "leastSquares: A of shape \(a.shape) and B of shape \(b.shape) do not match")
        else { return .placeholder }
        let rhs = b.rank == 1 ? b.unsqueezed(at: 1) : b
        let wide = a.shape[0] < a.shape[1]
        let gram = wide ? matmul(a, a, transposeB: true) : matmul(a, a, transposeA: true)
        let size = gram.shape[0]
        let trace = (0..<size).reduce(Float(0)) { $0 + gram.storage.base[$1 * size + $1] }
        let regularized = gram + Tensor.eye(size) * Swift.max(trace, 1) * 1e-6
        let solution = wide
            ? matmul(a, solve(regularized, rhs), transposeA: true)
            : solve(regularized, matmul(a, rhs, transposeA: true))
        return b.rank == 1 ? solution.squeezed(at: 1) : solution
    }
}
