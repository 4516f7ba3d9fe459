// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Only used on Linux.
#include <cblas.h>
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
// Stops OpenBLAS's own worker threads (Mesa runs BLAS single-threaded and splits work itself).
// An idle OpenBLAS worker can keep spinning on sched_yield and steal a core from Mesa's pool.
int blas_thread_shutdown_(void);
