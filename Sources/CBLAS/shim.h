// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Only used on Linux.
#include <cblas.h>
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
// Stops OpenBLAS's own worker threads (Mesa runs BLAS single-threaded and splits work itself).
// An idle OpenBLAS worker can keep spinning on sched_yield and steal a core from Mesa's pool.
int blas_thread_shutdown_(void);

// What the CPU *and the operating system* support, for choosing OpenBLAS's kernels when its own
// detection does not know the CPU (see MesaCore/OpenBLASKernels.swift). `__builtin_cpu_supports`
// checks the OS-enabled register state too (XCR0), so AVX-512 counts only where it is usable.
// Bits: 1 AVX, 2 AVX2 + FMA, 4 AVX-512 F/CD/BW/DQ/VL (the SkylakeX kernels' set).
static inline int mesa_cpu_vector_features(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    int features = 0;
    if (__builtin_cpu_supports("avx")) features |= 1;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) features |= 2;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) features |= 4;
    return features;
#else
    return 0;
#endif
}
