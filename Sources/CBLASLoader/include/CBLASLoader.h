// OpenBLAS, loaded at run time with the core that suits this CPU.
//
// OpenBLAS picks its kernels once, when it is loaded, from a table of the
// CPU models it knows; a CPU newer than the library (Debian 12's 0.3.21 on
// Intel Sapphire Rapids) gets its generic Prescott kernels, four times slower.
// It reads OPENBLAS_CORETYPE at that moment, so clus loads it with dlopen
// after deciding the core from the CPU's features: AVX-512 (F, CD, BW, DQ,
// VL) takes SkylakeX's kernels, AVX2 with FMA Haswell's (Zen's on AMD, the
// same kernels with AMD's blocking). A core set by the user is kept.
#ifndef CBLASLOADER_H
#define CBLASLOADER_H

/// What loading found; the strings live as long as the process.
typedef struct {
    /// 1 when OpenBLAS is loaded and sgemm can be called.
    int loaded;
    /// The library file loaded, or the reason none was.
    const char *library;
    /// OpenBLAS's name for the core it runs ("SkylakeX"), or "".
    const char *core_name;
    /// The OPENBLAS_CORETYPE clus set ("SKYLAKEX"), or "" when it set none.
    const char *core_set;
    /// The OPENBLAS_CORETYPE the user had set, or "".
    const char *core_from_user;
} clus_blas_status;

/// Loads OpenBLAS once (later calls return the same status). With
/// `correct_core` 0, the library picks its core on its own (for benchmarks
/// that show what the correction is worth).
clus_blas_status clus_blas_load(int correct_core);

/// c[i*ldc + j] = a[i] · b[j] for i < m, j < n; a and b row-major with k
/// values per row (lda = ldb = k); one thread. Requires a loaded library.
void clus_blas_dot_products(int m, int n, int k, const float *a, const float *b, float *c, int ldc);

/// c += aᵀa (upper triangle of the n×n row-major c) for a row-major
/// k×n a, in double precision by dsyrk; one thread. Returns 0 when the
/// library has no cblas_dsyrk (nothing computed).
int clus_blas_gram_double(int n, int k, const double *a, double *c);

/// Eigenvalues (ascending, into w) and eigenvectors (row i of a, for w[i])
/// of the symmetric n×n matrix a, by LAPACK's dsyevd, which OpenBLAS ships.
/// Returns LAPACK's info (0 on success), or -1000 when the library has no
/// dsyevd_ (the caller then uses its own routine).
int clus_lapack_symmetric_eigen(int n, double *a, double *w);

/// The OPENBLAS_CORETYPE that suits this CPU, or "" for none.
const char *clus_blas_core_for_cpu(void);

#endif
