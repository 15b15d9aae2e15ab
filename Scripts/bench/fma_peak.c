// The float32 FMA peak of this machine's cores: twelve independent AVX2
// multiply-add chains per thread, no memory traffic, on one core and on all.
// The ceiling the exact euclidean silhouette and Lloyd's assignment are
// measured against in README.md ("Performance").
//   clang -O3 -march=native -pthread Scripts/bench/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

enum { CHAINS = 12, STEPS = 200000000 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *chains(void *out) {
    __m256 a[CHAINS];
    for (int i = 0; i < CHAINS; i++) a[i] = _mm256_set1_ps(i * 1e-3f);
    const __m256 m = _mm256_set1_ps(0.999f), c = _mm256_set1_ps(1e-4f);
    for (long step = 0; step < STEPS; step++)
        for (int i = 0; i < CHAINS; i++) a[i] = _mm256_fmadd_ps(a[i], m, c);
    float s = 0;
    for (int i = 0; i < CHAINS; i++) s += a[i][0];
    *(float *)out = s;  // keeps the loop
    return NULL;
}

int main(void) {
    const double flops = 2.0 * 8 * CHAINS * STEPS;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1 || cores > 256) cores = 1;
    float sink[256];
    double t0 = now();
    chains(sink);
    printf("one core: %.1f GFLOP/s\n", flops / (now() - t0) / 1e9);
    pthread_t threads[256];
    t0 = now();
    for (long i = 0; i < cores; i++) pthread_create(&threads[i], NULL, chains, sink + i);
    for (long i = 0; i < cores; i++) pthread_join(threads[i], NULL);
    printf("%ld cores: %.1f GFLOP/s\n", cores, cores * flops / (now() - t0) / 1e9);
    return 0;
}
