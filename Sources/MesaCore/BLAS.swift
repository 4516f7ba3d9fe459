#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// The single place where Mesa calls BLAS for matrix products.
public enum BLAS {
    /// `C[m×n] = alpha · op(A) · op(B) + beta · C`, all row-major.
    ///
    /// `op(A)` is `A` (`[m, k]`, leading dimension `lda`) or, when `transposeA`, `Aᵀ` where `A` is
    /// stored `[k, m]`. Likewise for `B` (`[k, n]` or stored `[n, k]`).
    @inlinable
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        #if canImport(Accelerate)
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
        #else
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
            beta, c, blasint(ldc))
        #endif
    }

    /// Sets how many threads BLAS may use (OpenBLAS on Linux; Accelerate manages its own).
    public static func setThreadCount(_ count: Int) {
        #if !canImport(Accelerate)
        openblas_set_num_threads(Int32(max(1, count)))
        #endif
    }

    /// The number of threads BLAS uses (1 where the library does not say).
    public static var threadCount: Int {
        #if canImport(Accelerate)
        return 1
        #else
        return Int(openblas_get_num_threads())
        #endif
    }
}
