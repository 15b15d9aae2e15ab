// The float32 FMA peak of this machine's cores: twelve independent
// multiply-add chains per thread in the widest vectors the compiler may use
// (AVX-512 when -march=native has it: twice AVX2's peak on Intel Sapphire
// Rapids, the same on AMD Zen 4), no memory traffic, on one core and on all.
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

#ifdef __AVX512F__
typedef __m512 vec;
enum { LANES = 16 };
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define WIDTH "AVX-512"
#else
typedef __m256 vec;
enum { LANES = 8 };
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define WIDTH "AVX2"
#endif

static void *chains(void *out) {
    vec a[CHAINS];
    for (int i = 0; i < CHAINS; i++) a[i] = SET1(i * 1e-3f);
    const vec m = SET1(0.999f), c = SET1(1e-4f);
    for (long step = 0; step < STEPS; step++)
        for (int i = 0; i < CHAINS; i++) a[i] = FMA(a[i], m, c);
    float s = 0;
    for (int i = 0; i < CHAINS; i++) s += a[i][0];
    *(float *)out = s;  // keeps the loop
    return NULL;
}

int main(void) {
    const double flops = 2.0 * LANES * CHAINS * STEPS;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1 || cores > 256) cores = 1;
    float sink[256];
    double t0 = now();
    chains(sink);
    printf("%s, one core: %.1f GFLOP/s\n", WIDTH, flops / (now() - t0) / 1e9);
    pthread_t threads[256];
    t0 = now();
    for (long i = 0; i < cores; i++) pthread_create(&threads[i], NULL, chains, sink + i);
    for (long i = 0; i < cores; i++) pthread_join(threads[i], NULL);
    printf("%ld cores: %.1f GFLOP/s\n", cores, cores * flops / (now() - t0) / 1e9);
    return 0;
}
