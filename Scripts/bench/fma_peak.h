// The float32 FMA peak: twelve independent multiply-add chains per thread
// in the widest vectors the compiler may use (AVX-512 when -march=native has
// it), no memory traffic. fma_peak.c prints it; gram_tiles.c measures it
// around each of its runs.
#ifndef CLUS_FMA_PEAK_H
#define CLUS_FMA_PEAK_H

#include "bench_clock.h"

#include <immintrin.h>
#include <pthread.h>

enum { CHAINS = 12 };

#ifdef __AVX512F__
typedef __m512 fma_vec;
enum { LANES = 16 };
#define FMA_SET1 _mm512_set1_ps
#define FMA_STEP _mm512_fmadd_ps
#define WIDTH "AVX-512"
#else
typedef __m256 fma_vec;
enum { LANES = 8 };
#define FMA_SET1 _mm256_set1_ps
#define FMA_STEP _mm256_fmadd_ps
#define WIDTH "AVX2"
#endif

struct fma_chains { long steps; float sink; };

static void *fma_chains_run(void *arg) {
    struct fma_chains *job = arg;
    fma_vec a[CHAINS];
    for (int i = 0; i < CHAINS; i++) a[i] = FMA_SET1(i * 1e-3f);
    const fma_vec m = FMA_SET1(0.999f), c = FMA_SET1(1e-4f);
    for (long step = 0; step < job->steps; step++)
        for (int i = 0; i < CHAINS; i++) a[i] = FMA_STEP(a[i], m, c);
    float s = 0;
    for (int i = 0; i < CHAINS; i++) s += a[i][0];
    job->sink = s;  // keeps the loop
    return NULL;
}

// GFLOP/s of `threads` threads (at most 256) running the chains `steps` steps each.
static double fma_peak_gflops(int threads, long steps) {
    pthread_t th[256];
    struct fma_chains jobs[256];
    double start = now();
    for (int i = 0; i < threads; i++) {
        jobs[i].steps = steps;
        pthread_create(&th[i], NULL, fma_chains_run, &jobs[i]);
    }
    for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);
    return threads * 2.0 * LANES * CHAINS * steps / (now() - start) / 1e9;
}

#endif
