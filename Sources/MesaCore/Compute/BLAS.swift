#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// The single place where Mesa calls BLAS for matrix products.
public enum BLAS {
    /// Settles OpenBLAS's kernel set (``OpenBLASKernels``) and switches its own threads off, once:
    /// Mesa splits products itself (``Parallelism``).
    private static let configured: Void = {
        #if !canImport(Accelerate)
        _ = OpenBLASKernels.selection
        openblas_set_num_threads(1)
        // OpenBLAS started its own worker threads when it was loaded. Left alone, one of them
        // could spin on sched_yield for the whole process (seen in about half the processes on
        // a 2-core machine: a profile showed it taking a core, and Mesa's 2-thread products
        // ran 9× slower). Single-threaded from here on, OpenBLAS never needs them again.
        _ = blas_thread_shutdown_()
        #endif
    }()

    /// `C[m×n] = alpha · op(A) · op(B) + beta · C`, all row-major.
    ///
    /// `op(A)` is `A` (`[m, k]`, leading dimension `lda`) or, when `transposeA`, `Aᵀ` where `A` is
    /// stored `[k, m]`. Likewise for `B` (`[k, n]` or stored `[n, k]`). When `parallel` and the
    /// product is large, the rows (or columns) of `C` are split across ``Parallelism/threadCount``
    /// threads, each a single-threaded BLAS call.
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, parallel: Bool = true
    ) {
        _ = configured
        // Below about 2 MFLOP a split costs more in synchronisation than it saves.
        let work = m * n * k
        guard parallel, work >= 1 << 20 else {
            call(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        if m >= n {
            Parallelism.forEachRange(m, minimumChunk: 16) { rows in
                let aStart = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
                call(transposeA, transposeB, rows.count, n, k, alpha, aStart, lda, b, ldb, beta, c + rows.lowerBound * ldc, ldc)
            }
        } else {
            Parallelism.forEachRange(n, minimumChunk: 16) { columns in
                let bStart = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
                call(transposeA, transposeB, m, columns.count, k, alpha, a, lda, bStart, ldb, beta, c + columns.lowerBound, ldc)
            }
        }
    }

    @inline(__always)
    private static func call(
        _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        #if canImport(Accelerate)
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        #else
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
        #endif
    }
}
