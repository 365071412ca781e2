/* floor.c - the performance floor for `make bench`: one bare hypre PCG +
 * PFMG solve (relative tolerance 1e-8) of a 7-point Laplacian on an
 * nx x ny x nz box, hypre's textbook settings (one weighted-Jacobi sweep
 * before and after, as in hypre's struct examples). Prints cells,
 * iterations, wall seconds (grid + matrix + setup + solve) and peak RSS.
 * Under mpirun the rows j are split among the ranks as ebsim splits them
 * (make bench-mpi: the machine's own speed-up and memory per rank); the
 * peak RSS printed is the largest rank's.
 *
 * usage: [mpirun -n N] bench_floor NX NY NZ
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "HYPRE_struct_ls.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s NX NY NZ\n", argv[0]);
    return 2;
  }
  MPI_Init(&argc, &argv);
  HYPRE_Init();
  int nx = atoi(argv[1]), ny = atoi(argv[2]), nz = atoi(argv[3]);
  if (nx < 2 || ny < 2 || nz < 2) {
    fprintf(stderr, "bench_floor: sizes must be >= 2\n");
    return 2;
  }
  int rank = 0, nranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
  if (nranks > ny) {
    fprintf(stderr, "bench_floor: more ranks than rows\n");
    return 2;
  }
  /* rank r owns rows [r ny / n, (r+1) ny / n), as ebsim splits them (Grid_rank_rows) */
  const int j0 = (int)((long)rank * ny / nranks), j1 = (int)((long)(rank + 1) * ny / nranks) - 1;
  MPI_Barrier(MPI_COMM_WORLD);
  double t0 = now();
  int lo[3] = {0, j0, 0}, hi[3] = {nx - 1, j1, nz - 1};
  HYPRE_StructGrid grid;
  HYPRE_StructGridCreate(MPI_COMM_WORLD, 3, &grid);
  HYPRE_StructGridSetExtents(grid, lo, hi);
  HYPRE_StructGridAssemble(grid);
  int off[4][3] = {{-1, 0, 0}, {0, -1, 0}, {0, 0, -1}, {0, 0, 0}};
  HYPRE_StructStencil st;
  HYPRE_StructStencilCreate(3, 4, &st);
  for (int s = 0; s < 4; s++) HYPRE_StructStencilSetElement(st, s, off[s]);
  HYPRE_StructMatrix A;
  HYPRE_StructMatrixCreate(MPI_COMM_WORLD, grid, st, &A);
  HYPRE_StructMatrixSetSymmetric(A, 1);
  HYPRE_StructMatrixInitialize(A);
  size_t plane = (size_t)nx * (size_t)(j1 - j0 + 1);
  double *v = malloc(4 * plane * sizeof *v), *r = malloc(plane * sizeof *r);
  int entries[4] = {0, 1, 2, 3};
  for (int k = 0; k < nz; k++) {
    for (int j = j0; j <= j1; j++)
      for (int i = 0; i < nx; i++) {
        double *e = v + 4 * ((size_t)(j - j0) * nx + i);
        /* Dirichlet zero outside the box: the diagonal keeps all six */
        e[0] = i > 0 ? -1.0 : 0.0;
        e[1] = j > 0 ? -1.0 : 0.0;
        e[2] = k > 0 ? -1.0 : 0.0;
        e[3] = 6.0;
        r[(size_t)(j - j0) * nx + i] = 1.0;
      }
    int plo[3] = {0, j0, k}, phi[3] = {nx - 1, j1, k};
    HYPRE_StructMatrixSetBoxValues(A, plo, phi, 4, entries, v);
  }
  HYPRE_StructMatrixAssemble(A);
  HYPRE_StructVector b, x;
  HYPRE_StructVectorCreate(MPI_COMM_WORLD, grid, &b);
  HYPRE_StructVectorInitialize(b);
  HYPRE_StructVectorCreate(MPI_COMM_WORLD, grid, &x);
  HYPRE_StructVectorInitialize(x);
  for (int k = 0; k < nz; k++) {
    int plo[3] = {0, j0, k}, phi[3] = {nx - 1, j1, k};
    HYPRE_StructVectorSetBoxValues(b, plo, phi, r);
    for (size_t q = 0; q < plane; q++) v[q] = 0.0;
    HYPRE_StructVectorSetBoxValues(x, plo, phi, v);
  }
  HYPRE_StructVectorAssemble(b);
  HYPRE_StructVectorAssemble(x);

  HYPRE_StructSolver pcg, pfmg;
  HYPRE_StructPFMGCreate(MPI_COMM_WORLD, &pfmg);
  HYPRE_StructPFMGSetMaxIter(pfmg, 1);
  HYPRE_StructPFMGSetTol(pfmg, 0.0);
  HYPRE_StructPFMGSetZeroGuess(pfmg);
  HYPRE_StructPFMGSetRelaxType(pfmg, 1);
  HYPRE_StructPFMGSetNumPreRelax(pfmg, 1);
  HYPRE_StructPFMGSetNumPostRelax(pfmg, 1);
  HYPRE_StructPCGCreate(MPI_COMM_WORLD, &pcg);
  HYPRE_StructPCGSetTol(pcg, 1e-8);
  HYPRE_StructPCGSetMaxIter(pcg, 500);
  HYPRE_StructPCGSetTwoNorm(pcg, 1);
  HYPRE_StructPCGSetPrecond(pcg, HYPRE_StructPFMGSolve, HYPRE_StructPFMGSetup, pfmg);
  HYPRE_StructPCGSetup(pcg, A, b, x);
  HYPRE_StructPCGSolve(pcg, A, b, x);
  int its = 0;
  double res = 0.0;
  HYPRE_StructPCGGetNumIterations(pcg, &its);
  HYPRE_StructPCGGetFinalRelativeResidualNorm(pcg, &res);
  MPI_Barrier(MPI_COMM_WORLD);
  double wall = now() - t0;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  long maxrss = ru.ru_maxrss, peak = maxrss;
  MPI_Reduce(&maxrss, &peak, 1, MPI_LONG, MPI_MAX, 0, MPI_COMM_WORLD);
  ru.ru_maxrss = peak;
  size_t cells = (size_t)nx * ny * nz;
  if (rank == 0) printf("floor: cells %zu  PCG+PFMG iterations %d  residual %.2e  wall %.2f s  peak RSS %.0f MB"
         "  (%.0f bytes/cell)\n",
         cells, its, res, wall, ru.ru_maxrss / 1024.0, ru.ru_maxrss * 1024.0 / (double)cells);
  HYPRE_StructPCGDestroy(pcg);
  HYPRE_StructPFMGDestroy(pfmg);
  HYPRE_StructVectorDestroy(x);
  HYPRE_StructVectorDestroy(b);
  HYPRE_StructMatrixDestroy(A);
  HYPRE_StructStencilDestroy(st);
  HYPRE_StructGridDestroy(grid);
  free(v);
  free(r);
  HYPRE_Finalize();
  MPI_Finalize();
  return 0;
}
