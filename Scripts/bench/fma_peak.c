// The float32 FMA peak of this machine's cores (fma_peak.h), on one core and
// on all: AVX-512 when -march=native has it (twice AVX2's peak on Intel
// Sapphire Rapids, the same on AMD Zen 4). The ceiling the exact euclidean
// silhouette and Lloyd's assignment are measured against in README.md
// ("Performance").
//   clang -O3 -march=native -pthread Scripts/bench/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak
#include "fma_peak.h"

#include <stdio.h>
#include <unistd.h>

enum { STEPS = 200000000 };

int main(void) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1 || cores > 256) cores = 1;
    printf("%s, one core: %.1f GFLOP/s\n", WIDTH, fma_peak_gflops(1, STEPS));
    printf("%ld cores: %.1f GFLOP/s\n", cores, fma_peak_gflops((int)cores, STEPS));
    return 0;
}
