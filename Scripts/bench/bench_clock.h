// What the C micro benchmarks share: a monotonic clock in seconds, and the
// order qsort needs for their medians.
#ifndef CLUS_BENCH_CLOCK_H
#define CLUS_BENCH_CLOCK_H

#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static inline int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
