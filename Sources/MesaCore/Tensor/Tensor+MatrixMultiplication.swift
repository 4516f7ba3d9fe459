// Matrix products through BLAS (the one call site is BLAS.sgemm).

extension Tensor {
    /// The matrix product, batched over leading dimensions with broadcasting.
    ///
    /// Shapes: `[…, m, k] × […, k, n] → […, m, n]`; the batch dimensions `…` broadcast
    /// (NumPy's `matmul`). A rank-1 left operand is a row vector and a rank-1 right operand a
    /// column vector; that dimension is removed from the result.
    public func matmul(_ other: Tensor) -> Tensor {
        if rank == 1 && other.rank == 1 { return Tensor.matmul(unsqueezed(at: 0), other.unsqueezed(at: 1)).reshaped(to: []) }
        if rank == 1 { return unsqueezed(at: 0).matmul(other).squeezed(at: -2) }
        if other.rank == 1 { return matmul(other.unsqueezed(at: 1)).squeezed(at: -1) }
        return Tensor.matmul(self, other)
    }

    /// `op(a) × op(b)` where `op` transposes the last two axes when asked: the primitive behind
    /// ``matmul(_:)`` and its derivatives (so backward passes never copy a transpose).
    ///
    /// Shapes: `a` is `[…, m, k]` (stored `[…, k, m]` when `transposeA`), `b` is `[…, k, n]`
    /// (stored `[…, n, k]` when `transposeB`).
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        guard check(a.rank >= 2 && b.rank >= 2, .shapeMismatch, "matmul: needs rank ≥ 2 operands, got \(a.shape) and \(b.shape)")
        else { return .placeholder }
        let (m, k) = transposeA ? (a.shape[a.rank - 1], a.shape[a.rank - 2]) : (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (k2, n) = transposeB ? (b.shape[b.rank - 1], b.shape[b.rank - 2]) : (b.shape[b.rank - 2], b.shape[b.rank - 1])
        guard check(k == k2, .shapeMismatch,
                    "matmul: inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") × \(b.shape)\(transposeB ? "ᵀ" : "") (\(k) vs \(k2))")
        else { return .placeholder }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        // A batched left operand times one matrix is one tall GEMM: fold the batch into rows.
        if b.rank == 2 && a.rank > 2 && !transposeA {
            return matmul(a.reshaped(to: [-1, k]), b, transposeB: transposeB).reshaped(to: batchA + [m, n])
        }
        guard let batch = Broadcasting.shape(batchA, batchB) else {
            raise(TensorError(.shapeMismatch, "matmul: batch dimensions of \(a.shape) and \(b.shape) cannot be broadcast together"))
            return .placeholder
        }
        let result = Tensor(uninitializedShape: batch + [m, n])
        let batchCount = batch.reduce(1, *)
        if m > 0 && n > 0 {
            let stridesA = Broadcasting.strides(of: batchA, broadcastTo: batch)
            let stridesB = Broadcasting.strides(of: batchB, broadcastTo: batch)
            let contiguous = Broadcasting.contiguousStrides(batch)
            let x = a.storage.base, y = b.storage.base, z = result.storage.base
            let lda = transposeA ? m : k, ldb = transposeB ? k : n
            // Many small products (attention heads) run in parallel, one BLAS call each; a few
            // large ones run in turn, each split across threads inside BLAS.sgemm.
            let splitBatches = batchCount >= Parallelism.threadCount && batchCount > 1
            Parallelism.forEachRange(batchCount, minimumChunk: splitBatches ? 1 : batchCount) { range in
                for index in range {
                    var offsetA = 0, offsetB = 0, rest = index
                    for axis in 0..<batch.count {
                        let position = rest / contiguous[axis]
                        rest -= position * contiguous[axis]
                        offsetA += position * stridesA[axis]
                        offsetB += position * stridesB[axis]
                    }
                    if k == 0 {
                        (z + index * m * n).update(repeating: 0, count: m * n)
                        continue
                    }
                    BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                               a: x + offsetA * m * k, lda: lda, b: y + offsetB * k * n, ldb: ldb,
                               c: z + index * m * n, ldc: n, parallel: !splitBatches)
                }
            }
        }
        let (shapeA, shapeB) = (a.shape, b.shape)
        return record(result, "matmul", inputs: [a, b], pullbacks: [
            { g in
                // C = op(A) op(B); dA follows from dC = dC · op(B)ᵀ, transposed back when A was.
                let grad = transposeA
                    ? matmul(b, g, transposeA: transposeB, transposeB: true)
                    : matmul(g, b, transposeB: !transposeB)
                return grad.sumToShape(shapeA)
            },
            { g in
                let grad = transposeB
                    ? matmul(g, a, transposeA: true, transposeB: transposeA)
                    : matmul(a, g, transposeA: !transposeA)
                return grad.sumToShape(shapeB)
            },
        ])
    }
}
