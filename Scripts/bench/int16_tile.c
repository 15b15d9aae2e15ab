// The k-means int16 full scan's tile alone (clus_i16_rows_tile, the code clus
// runs on CPUs without AVX512_BF16), on one core: 64 documents × k centres ×
// d, as Yinyang's pass calls it, against a loop of the same vpmaddwd and
// vpaddd with its operands in registers (the core's ceiling for this
// arithmetic, measured just before each run: on shared cloud cores it moves).
// Prints GMAC/s (multiply-adds) and the share of that ceiling; medians of
// the runs. To compare two versions of the kernel, build this file against each:
//   clang -O3 -march=native -ffp-contract=fast -ISources/CGramKernel \
//     Scripts/bench/int16_tile.c Sources/CGramKernel/Int16Kernel.c -lm -o /tmp/int16_tile
//   git show REV:Sources/CGramKernel/Int16Kernel.c > /tmp/old.c   # then the same with /tmp/old.c
//   /tmp/int16_tile [runs [k [d]]]
#include "Int16Kernel.h"
#include "bench_clock.h"

#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>

enum { ROWS = 64 };

// Eight independent sums of vpmaddwd products, each from its own pair of
// registers (the empty asm keeps the compiler from sharing the products).
__attribute__((target("avx2"))) static double ceiling_gmacs(void) {
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    __m256i x0 = _mm256_set1_epi16(1), x1 = _mm256_set1_epi16(2), x2 = _mm256_set1_epi16(3), x3 = _mm256_set1_epi16(4);
    __m256i b0 = _mm256_set1_epi16(5), b1 = _mm256_set1_epi16(6);
    const long steps = 20000000;
    double t0 = now();
    for (long n = 0; n < steps; n++) {
        __asm__ volatile("" : "+x"(x0), "+x"(x1), "+x"(x2), "+x"(x3));
        a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(x0, b0));
        a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(x0, b1));
        a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(x1, b0));
        a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(x1, b1));
        a4 = _mm256_add_epi32(a4, _mm256_madd_epi16(x2, b0));
        a5 = _mm256_add_epi32(a5, _mm256_madd_epi16(x2, b1));
        a6 = _mm256_add_epi32(a6, _mm256_madd_epi16(x3, b0));
        a7 = _mm256_add_epi32(a7, _mm256_madd_epi16(x3, b1));
    }
    double seconds = now() - t0;
    __m256i s = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(a0, a1), _mm256_add_epi32(a2, a3)),
                                 _mm256_add_epi32(_mm256_add_epi32(a4, a5), _mm256_add_epi32(a6, a7)));
    volatile int sink = _mm256_extract_epi32(s, 0);
    (void)sink;
    return steps * 8.0 * 16 / seconds * 1e-9;
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 15, k = argc > 2 ? atoi(argv[2]) : 1000, d = argc > 3 ? atoi(argv[3]) : 512;
    if (runs < 1 || k < 1 || d < 1 || !clus_i16_available()) {
        fprintf(stderr, "usage: int16_tile [runs [k [d]]] (needs AVX2 and FMA)\n");
        return 1;
    }
    int length = (d + 31) / 32 * 32, panels = (k + 15) / 16, width = (k + 31) / 32 * 32;
    int16_t *packed = aligned_alloc(64, (size_t)panels * 16 * length * sizeof(int16_t));
    int16_t *data = aligned_alloc(64, (size_t)(ROWS + 8) * length * sizeof(int16_t));
    float *c = aligned_alloc(64, (size_t)(ROWS + 8) * width * sizeof(float));
    float row_scale[ROWS + 8], *column_scale = malloc((size_t)panels * 16 * sizeof(float));
    const int16_t *rows[ROWS + 8];
    srand(1);
    for (long i = 0; i < (long)panels * 16 * length; i++) packed[i] = (int16_t)(rand() % 2001 - 1000);
    for (long i = 0; i < (long)(ROWS + 8) * length; i++) data[i] = (int16_t)(rand() % 2001 - 1000);
    for (int i = 0; i < ROWS + 8; i++) { rows[i] = data + (long)i * length; row_scale[i] = 1; }
    for (int j = 0; j < panels * 16; j++) column_scale[j] = 1;

    double *tile = malloc(runs * sizeof(double)), *share = malloc(runs * sizeof(double));
    int repeats = (int)(2e9 / ((double)ROWS * k * length)) + 1;   // about a second's worth of the ceiling's work
    for (int r = 0; r < runs; r++) {
        double ceiling = ceiling_gmacs(), t0 = now();
        for (int i = 0; i < repeats; i++) {
            clus_i16_rows_tile(rows, ROWS, packed, k, length, c, width, row_scale, column_scale, NULL, 0);
            __asm__ volatile("" : : "r"(c) : "memory");
        }
        tile[r] = repeats * (double)ROWS * k * d / (now() - t0) * 1e-9;
        share[r] = tile[r] / ceiling;
    }
    qsort(tile, runs, sizeof(double), ascending);
    qsort(share, runs, sizeof(double), ascending);
    printf("int16 tile, %d rows x %d centres x %d, one core: %.1f GMAC/s (median of %d; %.1f-%.1f), %.2f of the vpmaddwd ceiling (%.2f-%.2f)\n",
           ROWS, k, d, tile[runs / 2], runs, tile[0], tile[runs - 1], share[runs / 2], share[0], share[runs - 1]);
    return 0;
}
