#if !canImport(Accelerate)
import CBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
#endif

/// Which of OpenBLAS's CPU-specific kernel sets runs Mesa's matrix products, and the one
/// correction Mesa makes to OpenBLAS's choice.
///
/// OpenBLAS builds with `DYNAMIC_ARCH` (Debian's and Ubuntu's) pick a kernel set when they are
/// loaded, from the CPU's family and model numbers. A CPU newer than the library gets the fallback,
/// `Prescott`: SSE3 kernels. Debian 12's OpenBLAS 0.3.21 does that on an Intel Xeon of family 6,
/// model 207, whose AVX-512 kernels (`SkylakeX`) run an n = 512 product 4.5× faster (64 against
/// 288 GFLOP/s on 2 cores, measured with `mesa bench matmul`) and Mesa's in-context training step
/// 2.8× faster. So when OpenBLAS reports `Prescott`, the user has not set `OPENBLAS_CORETYPE`, and
/// the CPU and operating system support more, Mesa re-runs OpenBLAS's selection once, before its
/// first product, naming the best set they support:
///
/// | supported (CPU and OS) | kernel set |
/// |---|---|
/// | AVX-512 F, CD, BW, DQ, VL | `SkylakeX` |
/// | AVX2 and FMA | `Haswell` |
/// | AVX | `Sandybridge` |
///
/// Any other choice of OpenBLAS's is kept, and so is an explicit `OPENBLAS_CORETYPE`. Builds without
/// `DYNAMIC_ARCH` cannot switch and are left alone; on Apple platforms Accelerate is used instead.
///
/// The switch happens when ``selection`` is first read: by ``BLAS`` before Mesa's first product,
/// or earlier by the caller. It sets and unsets an environment variable and briefly leaves
/// OpenBLAS without a kernel table, so it must not overlap other threads' `getenv` calls or their
/// own calls into OpenBLAS: a program that has such threads reads ``selection`` on its main
/// thread before starting them (the `mesa` command does so first thing).
public enum OpenBLASKernels {
    /// What OpenBLAS chose and what runs Mesa's products.
    public struct Selection: Sendable, Equatable, CustomStringConvertible {
        /// The kernel set OpenBLAS chose by itself (`"Prescott"`, `"Haswell"`, …), or
        /// `"Accelerate"` on Apple platforms.
        public var detected: String
        /// The kernel set in use for Mesa's products.
        public var inUse: String

        /// `"SkylakeX"`, or `"SkylakeX (OpenBLAS chose Prescott)"` when Mesa replaced the choice.
        public var description: String {
            detected == inUse ? inUse : "\(inUse) (OpenBLAS chose \(detected))"
        }
    }

    /// The kernel set that should replace OpenBLAS's choice `core`, or `nil` to keep it.
    ///
    /// - Parameters:
    ///   - core: OpenBLAS's name for its choice, as `openblas_get_corename()` returns it.
    ///   - vectorFeatures: bit 0 AVX, bit 1 AVX2 with FMA, bit 2 AVX-512 F/CD/BW/DQ/VL, each
    ///     counted only where the operating system enables it.
    public static func replacement(forCore core: String, vectorFeatures: Int) -> String? {
        guard core.lowercased() == "prescott" else { return nil }
        if vectorFeatures & 4 != 0 { return "SkylakeX" }
        if vectorFeatures & 2 != 0 { return "Haswell" }
        if vectorFeatures & 1 != 0 { return "Sandybridge" }
        return nil
    }

    /// The kernel set in use, settled once (thread-safe: a lazily initialised global). ``BLAS``
    /// reads it before its first product.
    public static let selection: Selection = select()

    private static func select() -> Selection {
        #if canImport(Accelerate)
        return Selection(detected: "Accelerate", inUse: "Accelerate")
        #else
        let detected = currentCore()
        guard getenv("OPENBLAS_CORETYPE") == nil,
              let better = replacement(forCore: detected, vectorFeatures: Int(mesa_cpu_vector_features())),
              let quit = symbol("gotoblas_dynamic_quit"), let initialise = symbol("gotoblas_dynamic_init")
        else { return Selection(detected: detected, inUse: detected) }
        // OpenBLAS's own selection reads OPENBLAS_CORETYPE; `quit` clears the table it chose, so
        // that `initialise` selects again. The variable is unset afterwards, as it was before.
        setenv("OPENBLAS_CORETYPE", better, 1)
        quit()
        initialise()
        unsetenv("OPENBLAS_CORETYPE")
        return Selection(detected: detected, inUse: currentCore())
        #endif
    }

    #if !canImport(Accelerate)
    private static func currentCore() -> String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// A `void (void)` function of OpenBLAS's that only `DYNAMIC_ARCH` builds export.
    private static func symbol(_ name: String) -> (@convention(c) () -> Void)? {
        guard let address = dlsym(nil, name) else { return nil }
        return unsafeBitCast(address, to: (@convention(c) () -> Void).self)
    }
    #endif
}
