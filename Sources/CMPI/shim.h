// Open MPI's C interface (Debian: libopenmpi-dev; pkg-config ompi-c), used only when the package
// trait MPI is on (Sources/MesaMPI). MPI defines its predefined handles and some constants as
// macros that expand to casts of addresses (e.g. `#define MPI_COMM_WORLD ((MPI_Comm) &ompi_mpi_comm_world)`),
// which Swift cannot import: these inline functions hand them over as values.
#include <mpi.h>

static inline MPI_Comm mesa_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype mesa_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype mesa_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op mesa_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Errhandler mesa_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline void *mesa_mpi_in_place(void) { return MPI_IN_PLACE; }
