// The exact silhouette's dot-product tiles alone, no epilogue: clus's Gram
// kernel (Sources/CGramKernel, the code clus runs) against OpenBLAS's sgemm,
// on tiles of 50,000 packed rows × 512 visited in scattered pairs of blocks
// on every core, as the pass visits them (each tile's rows and columns come
// in from memory). Alternates the two, medians of the runs, GFLOP/s of
// useful multiply-adds, and each run's share of the FMA peak measured on
// all cores just before and just after it (fma_peak.h, the chains
// Scripts/bench/fma_peak.c prints; the larger of the two: on shared cloud
// cores the peak itself moves). Tells the kernel's own share of the silhouette pass from its
// epilogue's and memory's (Scripts/bench/silhouette.py times the whole
// pass).
//   clang -O3 -march=native -mprefer-vector-width=512 -ffp-contract=fast -pthread \
//     -ISources/CGramKernel/include Scripts/bench/gram_tiles.c Sources/CGramKernel/CGramKernel.c -ldl -lm -o /tmp/gram_tiles
//   OPENBLAS_CORETYPE=SKYLAKEX OPENBLAS_NUM_THREADS=1 /tmp/gram_tiles [runs]
// (the core clus would pick for the CPU: see `clus --version`; one BLAS thread per caller, as clus calls it).
#include "CGramKernel.h"
#include "fma_peak.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { N = 50000, D = 512, TILES = 24, PEAK_STEPS = 20000000 };
typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);

static float *rows, *row_panels, *column_panels;
static int side;
static sgemm_fn sgemm;
static int use_sgemm;


static void *worker(void *arg) {
    unsigned seed = (unsigned)(long)arg * 7919u + 1;
    int blocks = N / side;
    float *c = aligned_alloc(64, (size_t)side * side * sizeof(float));
    for (int t = 0; t < TILES; t++) {
        long rb = rand_r(&seed) % blocks, cb = rand_r(&seed) % blocks;
        if (use_sgemm)   // row-major rows · columnsᵀ, as clus calls it (CblasRowMajor 101, NoTrans 111, Trans 112)
            sgemm(101, 111, 112, side, side, D, 1.0f, rows + rb * side * D, D, rows + cb * side * D, D, 0.0f, c, side);
        else
            clus_gram_tile(row_panels + rb * side * D, side, column_panels + cb * side * D, side, D, c, side);
    }
    free(c);
    return NULL;
}

static double gflops(int threads) {
    pthread_t th[64];
    double start = now();
    for (long i = 0; i < threads; i++) pthread_create(&th[i], NULL, worker, (void *)i);
    for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);
    return 2.0 * side * side * D * TILES * threads / (now() - start) / 1e9;
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 9, threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (runs < 1 || runs > 99 || threads > 64) return 2;
    int height = clus_gram_tile_rows_per_panel(), width = clus_gram_columns_per_panel(), unit = height;
    while (unit % width) unit += height;   // tiles start on both kinds of panel, as clus's
    side = 512 / unit * unit;
    rows = aligned_alloc(64, (size_t)N * D * sizeof(float));
    row_panels = aligned_alloc(64, (size_t)(N + 64) * D * sizeof(float));
    column_panels = aligned_alloc(64, (size_t)(N + 64) * D * sizeof(float));
    long *order = malloc(N * sizeof(long));
    unsigned seed = 16;
    for (long i = 0; i < (long)N * D; i++) rows[i] = (float)(rand_r(&seed) % 2001) / 1000.0f - 1;
    for (long i = 0; i < N; i++) order[i] = i;
    clus_gram_pack(rows, order, N, D, height, row_panels);
    clus_gram_pack(rows, order, N, D, width, column_panels);
    void *blas = dlopen("libopenblas.so.0", RTLD_NOW);
    sgemm = blas ? (sgemm_fn)dlsym(blas, "cblas_sgemm") : NULL;
    double own[99], theirs[99], own_share[99], theirs_share[99];
    for (int r = 0; r < runs; r++) {
        double before = fma_peak_gflops(threads, PEAK_STEPS);
        use_sgemm = 0;
        own[r] = gflops(threads);
        double between = fma_peak_gflops(threads, PEAK_STEPS);
        own_share[r] = own[r] / (before > between ? before : between);
        use_sgemm = 1;
        theirs[r] = sgemm ? gflops(threads) : 0;
        double after = fma_peak_gflops(threads, PEAK_STEPS);
        theirs_share[r] = theirs[r] / (between > after ? between : after);
    }
    qsort(own, runs, sizeof(double), ascending);
    qsort(theirs, runs, sizeof(double), ascending);
    qsort(own_share, runs, sizeof(double), ascending);
    qsort(theirs_share, runs, sizeof(double), ascending);
    printf("%d × %d tiles of %d × %d rows, %d threads, median of %d\n", side, side, N, D, threads, runs);
    printf("clus's Gram kernel (%s, %d × %d register block): %.0f GFLOP/s (%.0f–%.0f), %.0f%% of the FMA peak (%.0f–%.0f%%)\n",
           clus_gram_instructions(), height, width, own[runs / 2], own[0], own[runs - 1], 100 * own_share[runs / 2],
           100 * own_share[0], 100 * own_share[runs - 1]);
    if (sgemm)
        printf("OpenBLAS sgemm (core as OPENBLAS_CORETYPE says, or its own pick): %.0f GFLOP/s (%.0f–%.0f), %.0f%% of the FMA peak (%.0f–%.0f%%)\n",
               theirs[runs / 2], theirs[0], theirs[runs - 1], 100 * theirs_share[runs / 2], 100 * theirs_share[0],
               100 * theirs_share[runs - 1]);
    else
        printf("no libopenblas.so.0 to compare with\n");
    return 0;
}
