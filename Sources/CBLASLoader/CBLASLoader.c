#include "CBLASLoader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float,
                         float *, int);
typedef void (*set_threads_fn)(int);
typedef void (*dsyrk_fn)(int, int, int, int, int, double, const double *, int, double, double *, int);
// Fortran's calling convention: every argument by pointer, hidden lengths of the character arguments last.
typedef void (*dsyevd_fn)(const char *, const char *, const int *, double *, const int *, double *, double *,
                          const int *, int *, const int *, int *, size_t, size_t);
typedef char *(*core_name_fn)(void);

static sgemm_fn sgemm;
static set_threads_fn set_threads;
static dsyrk_fn dsyrk;
static dsyevd_fn dsyevd;
static clus_blas_status status;
static int wanted_correction;
static pthread_once_t once = PTHREAD_ONCE_INIT;

const char *clus_blas_core_for_cpu(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl"))
        return "SKYLAKEX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return __builtin_cpu_is("amd") ? "ZEN" : "HASWELL";
#endif
    // aarch64 and others: OpenBLAS's own detection reads the CPU's part number.
    return "";
}

static void load(void) {
    status.library = "";
    status.core_name = "";
    status.core_set = "";
    const char *user = getenv("OPENBLAS_CORETYPE");
    status.core_from_user = user && *user ? strdup(user) : "";
    if (!*status.core_from_user && wanted_correction) {
        const char *core = clus_blas_core_for_cpu();
        if (*core) {
            setenv("OPENBLAS_CORETYPE", core, 1);
            status.core_set = core;
        }
    }
    // clus calls the BLAS from its own threads, each call single-threaded, so
    // OpenBLAS's pool would only idle: its workers start when the library loads
    // and spin on sched_yield until they time out (about 0.1 s), a core taken
    // from the pass that loaded it (seen on AMD Zen 3: 24% of a short run's
    // samples). One thread at start-up creates no workers.
    const char *asked_threads = getenv("OPENBLAS_NUM_THREADS");
    char *kept_threads = asked_threads ? strdup(asked_threads) : NULL;
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    // Debian's alternatives name libopenblas.so.0; the unversioned name is for other layouts.
    static const char *names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0"};
    void *handle = NULL;
    for (unsigned i = 0; i < sizeof names / sizeof *names && !handle; i++) {
        handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (handle) status.library = names[i];
    }
    // The variables were only for OpenBLAS's start-up; child processes get the user's.
    if (*status.core_set) unsetenv("OPENBLAS_CORETYPE");
    if (kept_threads) {
        setenv("OPENBLAS_NUM_THREADS", kept_threads, 1);
        free(kept_threads);
    } else {
        unsetenv("OPENBLAS_NUM_THREADS");
    }
    if (!handle) {
        status.library = "no OpenBLAS found (libopenblas.so.0)";
        return;
    }
    sgemm = (sgemm_fn)dlsym(handle, "cblas_sgemm");
    set_threads = (set_threads_fn)dlsym(handle, "openblas_set_num_threads");
    dsyrk = (dsyrk_fn)dlsym(handle, "cblas_dsyrk");
    dsyevd = (dsyevd_fn)dlsym(handle, "dsyevd_");
    core_name_fn core_name = (core_name_fn)dlsym(handle, "openblas_get_corename");
    if (core_name) status.core_name = strdup(core_name());
    if (set_threads) set_threads(1);
    status.loaded = sgemm != NULL;
}

clus_blas_status clus_blas_load(int correct_core) {
    wanted_correction = correct_core;
    pthread_once(&once, load);
    return status;
}

void clus_blas_dot_products(int m, int n, int k, const float *a, const float *b, float *c, int ldc) {
    sgemm(ROW_MAJOR, NO_TRANS, TRANS, m, n, k, 1.0f, a, k, b, k, 0.0f, c, ldc);
}

int clus_blas_gram_double(int n, int k, const double *a, double *c) {
    if (!dsyrk) return 0;
    enum { UPPER = 121 };
    dsyrk(ROW_MAJOR, UPPER, TRANS, n, k, 1.0, a, n, 1.0, c, n);
    return 1;
}

int clus_lapack_symmetric_eigen(int n, double *a, double *w) {
    if (!dsyevd) return -1000;
    // a is symmetric, so row-major and column-major read alike; the
    // eigenvectors come back as Fortran columns, that is C rows.
    int info = 0, lwork = -1, liwork = -1, iwork_size = 0;
    double work_size = 0;
    dsyevd("V", "U", &n, a, &n, w, &work_size, &lwork, &iwork_size, &liwork, &info, 1, 1);
    if (info != 0) return info;
    lwork = (int)work_size;
    liwork = iwork_size;
    double *work = malloc(sizeof(double) * (size_t)(lwork > 1 ? lwork : 1));
    int *iwork = malloc(sizeof(int) * (size_t)(liwork > 1 ? liwork : 1));
    if (!work || !iwork) {
        free(work);
        free(iwork);
        return -1001;
    }
    dsyevd("V", "U", &n, a, &n, w, work, &lwork, iwork, &liwork, &info, 1, 1);
    free(work);
    free(iwork);
    return info;
}
