// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Only used on Linux.
#include <cblas.h>
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
