// The C kernels (Sources/CGramKernel) checked on their own, against
// references in Double, for a build of any instruction set: the Swift suite
// runs them only as compiled for this machine, and Swift has no toolchain
// here for aarch64. Scripts/check-kernels compiles this with the kernels
// for the machine, for x86-64 with no AVX (the generic block), for
// x86-64-v3 (AVX2 alone) and for aarch64 (NEON, run under qemu-user), and
// runs each. Names every case that disagrees; exits 1 if any did.
//
// What is checked, on random shapes around each block's edges:
// - clus_gram_pack + clus_gram_tile (the silhouette's Gram tiles): every
//   product within the Float dot product's error bound; the rows and
//   columns rounded up to whole blocks hold 0 (zero padding); nothing
//   written past them;
// - clus_gram_rows_tile and clus_rows_dots (k-means' scan), the same way;
// - clus_gram_distances: each distance within an ulp of √max(0, d²), NaN
//   kept, and exactly the close columns, in order;
// - clus_scores_lowest, clus_group_minima and clus_group_lower_bounds:
//   exactly what the scalar definitions in the header give, with ties,
//   infinities and NaNs among the scores;
// - the rounded formats: none on a CPU without them (aarch64), and the
//   instruction set the build was meant to have (EXPECT).
#include "CGramKernel.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x9e3779b97f4a7c15u;
static uint64_t next(void) {   // splitmix64
    uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}
static int below(int n) { return (int)(next() % (uint64_t)n); }
static float unit(void) { return (float)((double)(next() >> 11) / 9007199254740992.0 * 2 - 1); }

static long checks, failures;
#define FAIL(...) do { fprintf(stderr, "check-kernels: " __VA_ARGS__); fputc('\n', stderr); failures++; } while (0)

// Rows of d values; some rows far larger than the rest, some zero.
static float *random_rows(long count, int d) {
    float *x = malloc(sizeof(float) * (size_t)(count * d > 0 ? count * d : 1));
    for (long i = 0; i < count; i++) {
        float scale = below(8) == 0 ? 1000 : 1;
        int zero = below(16) == 0;
        for (int t = 0; t < d; t++) x[i * d + t] = zero ? 0 : scale * unit();
    }
    return x;
}

// x · y in Double, and Σ|x_t y_t|, for the Float error bound: reordering
// and fused multiply-adds give at most about d·2⁻²⁴ of that sum.
static double dot(const float *x, const float *y, int d, double *magnitude) {
    double s = 0, m = 0;
    for (int t = 0; t < d; t++) {
        s += (double)x[t] * y[t];
        m += fabs((double)x[t] * y[t]);
    }
    *magnitude = m;
    return s;
}

static int close_enough(float got, double want, double magnitude, int d) {
    return fabs(got - want) <= (d + 2) * 0x1p-23 * magnitude + 1e-30;
}

static const float CANARY = -12345.0f;

// An output buffer of `rows` × `ldc` floats and 16 more, all CANARY.
static float *canary_buffer(int rows, int ldc) {
    long size = (long)rows * ldc + 16;
    float *c = malloc(sizeof(float) * (size_t)size);
    for (long i = 0; i < size; i++) c[i] = CANARY;
    return c;
}

// What a products kernel may write into its `buffer_rows` × `ldc` output:
// for each of the first `checked_rows` rows, rows[i] · column j (columns of
// `y`, row-major) for i < rn and j < cn; 0 in rows rn ..< checked_rows and
// columns cn ..< zero_columns (zero-padded panels); nothing from column
// `written_columns` on, nor past the buffer.
typedef struct {
    const char *kernel;
    int rn, cn, d, ldc, buffer_rows, checked_rows, zero_columns, written_columns;
} products_layout;

static void check_products(products_layout l, const float *const *rows, const float *y, const float *c) {
    checks++;
    for (int i = 0; i < l.checked_rows; i++) {
        for (int j = 0; j < l.ldc; j++) {
            float got = c[(long)i * l.ldc + j];
            if (j >= l.written_columns) {
                if (got != CANARY) { FAIL("%s %d×%d, d=%d: wrote (%d, %d), past its columns", l.kernel, l.rn, l.cn, l.d, i, j); return; }
            } else if (i >= l.rn || (j >= l.cn && j < l.zero_columns)) {
                if (got != 0) { FAIL("%s %d×%d, d=%d: padding (%d, %d) holds %g, not 0", l.kernel, l.rn, l.cn, l.d, i, j, got); return; }
            } else if (j < l.cn) {
                double m, want = dot(rows[i], y + (long)j * l.d, l.d, &m);
                if (!close_enough(got, want, m, l.d)) {
                    FAIL("%s %d×%d, d=%d: (%d, %d) is %.9g, want %.9g", l.kernel, l.rn, l.cn, l.d, i, j, got, want);
                    return;
                }
            }
        }
    }
    for (int e = 0; e < 16; e++)
        if (c[(long)l.buffer_rows * l.ldc + e] != CANARY) { FAIL("%s %d×%d, d=%d: wrote past its buffer", l.kernel, l.rn, l.cn, l.d); return; }
}

// Pointers to the `count` rows of x, then `extra` more repeating the last (the rows tile's padding).
static const float **row_pointers(const float *x, int count, int extra, int d) {
    const float **rows = malloc(sizeof(float *) * (size_t)(count + extra > 0 ? count + extra : 1));
    for (int i = 0; i < count + extra; i++) rows[i] = x + (long)(i < count ? i : count - 1) * d;
    return rows;
}

static long *identity_order(int count) {
    long *order = malloc(sizeof(long) * (size_t)(count > 0 ? count : 1));
    for (long i = 0; i < count; i++) order[i] = i;
    return order;
}

static void check_gram_tile(int rn, int cn, int d) {
    int gr = clus_gram_tile_rows_per_panel(), nr = clus_gram_columns_per_panel();
    int rows_out = (rn + gr - 1) / gr * gr, columns_out = (cn + nr - 1) / nr * nr;
    int ldc = columns_out + below(3);
    float *x = random_rows(rn, d), *y = random_rows(cn, d);
    long *order = identity_order(rn > cn ? rn : cn);
    float *a = malloc(sizeof(float) * (size_t)rows_out * d + 4), *b = malloc(sizeof(float) * (size_t)columns_out * d + 4);
    clus_gram_pack(x, order, rn, d, gr, a);
    clus_gram_pack(y, order, cn, d, nr, b);
    float *c = canary_buffer(rows_out, ldc);
    clus_gram_tile(a, rn, b, cn, d, c, ldc);
    // whole blocks: the padded rows and columns hold products with zeros
    const float **rows = row_pointers(x, rn, 0, d);
    check_products((products_layout){"gram tile", rn, cn, d, ldc, rows_out, rows_out, columns_out, columns_out}, rows, y, c);
    free(x); free(y); free(order); free(a); free(b); free(c); free((void *)rows);
}

static void check_rows_tile(int rn, int cn, int d) {
    int mr = clus_gram_rows_per_panel(), nr = clus_gram_columns_per_panel(), vl = clus_gram_columns_per_vector();
    int rows_out = (rn + mr - 1) / mr * mr, panels = (cn + nr - 1) / nr, columns_out = (cn + vl - 1) / vl * vl;
    int ldc = panels * nr + below(3);
    float *x = random_rows(rn, d), *y = random_rows(cn, d);
    const float **rows = row_pointers(x, rn, rows_out - rn, d);   // extra rows repeat a real one
    long *order = identity_order(cn);
    float *b = malloc(sizeof(float) * (size_t)panels * nr * d + 4);
    clus_gram_pack(y, order, cn, d, nr, b);
    float *c = canary_buffer(rows_out, ldc);
    clus_gram_rows_tile(rows, rn, b, cn, d, c, ldc, below(2) ? x : NULL, (long)rn * d * (long)sizeof(float));
    // the real rows; whole vectors of the last panel (the rest of it may or may not be written)
    check_products((products_layout){"rows tile", rn, cn, d, ldc, rows_out, rn, columns_out, panels * nr}, rows, y, c);
    free(x); free(y); free((void *)rows); free(order); free(b); free(c);
}

static void check_rows_dots(int rn, int k, int d) {
    float *x = random_rows(rn, d), *y = random_rows(k, d);
    const float **rows = malloc(sizeof(float *) * (size_t)(rn > 0 ? rn : 1));
    for (int i = 0; i < rn; i++) rows[i] = x + (long)(rn - 1 - i) * d;   // any order
    int ldc = k + below(3);
    float *c = canary_buffer(rn, ldc);
    clus_rows_dots(rows, rn, y, k, d, c, ldc);
    check_products((products_layout){"rows dots", rn, k, d, ldc, rn, rn, k, k}, rows, y, c);
    free(x); free(y); free((void *)rows); free(c);
}

// Distance from products: d² = (norm + norms[j]) − 2·line[j] in Float, as
// the kernel forms it (the doubling is exact, so a fused form agrees).
static void check_distances(long count) {
    float *line = malloc(sizeof(float) * (size_t)(count + 1)), *norms = malloc(sizeof(float) * (size_t)(count + 1));
    float *want = malloc(sizeof(float) * (size_t)(count + 1));
    int32_t *close = malloc(sizeof(int32_t) * (size_t)(count + 1)), *want_close = malloc(sizeof(int32_t) * (size_t)(count + 1));
    float norm = 1 + fabsf(unit()) * 100;
    long expected = 0;
    for (long j = 0; j < count; j++) {
        norms[j] = fabsf(unit()) * 100;
        float total = norm + norms[j];
        switch (below(8)) {
        case 0: line[j] = total / 2; break;                          // d² = 0 exactly
        case 1: line[j] = total / 2 * (1 + fabsf(unit()) * 1e-6f); break;   // a little below 0: kept at 0
        case 2: line[j] = total / 2 * (1 - fabsf(unit()) / 20); break;      // close: recomputed by the caller
        case 3: line[j] = below(2) ? NAN : -INFINITY; break;         // NaN kept; +∞
        default: line[j] = unit() * total / 2; break;
        }
        float d2 = total - 2 * line[j];
        if (d2 < 0) d2 = 0;
        want[j] = sqrtf(d2);
        if (d2 < total * (1.0f / 32)) want_close[expected++] = (int32_t)j;
    }
    line[count] = CANARY;
    long found = clus_gram_distances(line, count, norm, norms, close);
    checks++;
    if (line[count] != CANARY) FAIL("distances (%ld): wrote past the line", count);
    if (found != expected) FAIL("distances (%ld): %ld close columns, want %ld", count, found, expected);
    for (long c = 0; c < found && c < expected; c++)
        if (close[c] != want_close[c]) { FAIL("distances (%ld): close column %ld is %d, want %d", count, c, close[c], want_close[c]); break; }
    for (long j = 0; j < count; j++) {
        float got = line[j], w = want[j];
        int same = isnan(w) ? isnan(got) : isinf(w) ? got == w : fabsf(got - w) <= nextafterf(w, INFINITY) - w;
        if (!same) { FAIL("distances (%ld): column %ld is %.9g, want %.9g", count, j, got, w); break; }
    }
    free(line); free(norms); free(want); free(close); free(want_close);
}

static float next_up(float x) { return isnan(x) || x == INFINITY ? x : nextafterf(x, INFINITY); }

// A score: mostly distinct, some tied with an earlier one, some infinite or NaN.
static float random_score(const float *earlier, int q, int specials) {
    int r = below(40);
    if (q > 0 && r < 6) return earlier[below(q)];
    if (specials && r == 6) return INFINITY;
    if (specials && r == 7) return NAN;
    return roundf(unit() * 800) / 8;   // eighths: bias − 2s below gives it back exactly, so ties stay ties
}

static void check_scores(int k, int specials) {
    float *s = malloc(sizeof(float) * (size_t)(k + 1)), *bias = malloc(sizeof(float) * (size_t)(k + 1));
    float *want = malloc(sizeof(float) * (size_t)(k + 1));
    for (int q = 0; q < k; q++) {
        bias[q] = floorf(fabsf(unit()) * 200);
        want[q] = random_score(want, q, specials);
        // s such that bias − 2s is the score (exactly, when it is a number)
        s[q] = isnan(want[q]) ? NAN : want[q] == INFINITY ? -INFINITY : (bias[q] - want[q]) / 2;
        want[q] = bias[q] - (s[q] + s[q]);
    }
    double window = below(2) ? 0 : fabs(unit()) * 5;
    int at = 0, all_finite = 1;
    float best = INFINITY;
    for (int q = 0; q < k; q++) {
        all_finite &= isfinite(want[q]);
        if (want[q] < best) best = want[q], at = q;
    }
    if (!(best < INFINITY)) {   // no finite score: the first +∞, else none
        at = 0;
        while (at < k && !(want[at] == best)) at++;
    }
    int near_want = 0;
    if (at == k) at = 0;
    else {
        float limit = next_up((float)((double)best + window));
        for (int q = 0; q < k; q++) near_want += want[q] <= limit;
    }
    int near = -1, finite = -1;
    int got = clus_scores_lowest(s, bias, k, window, &near, &finite);
    checks++;
    if (got != at || near != near_want || finite != all_finite)
        FAIL("scores_lowest k=%d: (at %d, near %d, finite %d), want (%d, %d, %d)", k, got, near, finite, at, near_want, all_finite);
    for (int q = 0; q < k; q++)
        if (!(s[q] == want[q] || (isnan(s[q]) && isnan(want[q])))) { FAIL("scores_lowest k=%d: score %d is %g, want %g", k, q, s[q], want[q]); break; }

    // Group minima and bounds over these scores, in random groups.
    int groups = 1 + below(k < 8 ? k : 8);
    long *start = malloc(sizeof(long) * (size_t)(groups + 1));
    start[0] = 0;
    for (int g = 1; g < groups; g++) start[g] = start[g - 1] + below((int)(k - start[g - 1]) + 1);
    start[groups] = k;
    int excluded = below(k);
    float *out = malloc(sizeof(float) * (size_t)groups), *bounds = malloc(sizeof(float) * (size_t)groups);
    int all = isfinite(want[0]);
    for (int q = 0; q < k; q++) all &= isfinite(want[q]) != 0;
    double square = fabs(unit()) * 100, slack = fabs(unit());
    clus_group_minima(s, start, groups, excluded, all, out);
    clus_group_lower_bounds(s, start, groups, excluded, all, square, slack, bounds);
    checks++;
    for (int g = 0; g < groups; g++) {
        float low = INFINITY;
        for (long q = start[g]; q < start[g + 1]; q++) {
            if (q == excluded) continue;
            float v = all || isfinite(s[q]) ? s[q] : -INFINITY;
            if (v < low) low = v;
        }
        double v = (double)low + square - slack;
        double root = sqrt(v > 0 ? v : 0);
        float bound = low == INFINITY ? INFINITY : (float)root;
        if (low != INFINITY && (double)bound > root) bound = nextafterf(bound, 0);
        if (!(out[g] == low)) { FAIL("group_minima k=%d group %d: %g, want %g", k, g, out[g], low); break; }
        if (!(bounds[g] == bound)) { FAIL("group_lower_bounds k=%d group %d: %.9g, want %.9g", k, g, bounds[g], bound); break; }
    }
    if (!(s[excluded] == want[excluded] || (isnan(s[excluded]) && isnan(want[excluded]))))
        FAIL("group_minima k=%d: the excluded score was not put back", k);
    free(s); free(bias); free(want); free(start); free(out); free(bounds);
}

int main(int argc, char **argv) {
    const char *expected = argc > 1 ? argv[1] : "";
    const char *built = clus_gram_instructions();
    printf("check-kernels: %s build: rows tile %d × %d, Gram tile %d × %d, %d floats a vector\n", built,
           clus_gram_rows_per_panel(), clus_gram_columns_per_panel(), clus_gram_tile_rows_per_panel(),
           clus_gram_columns_per_panel(), clus_gram_columns_per_vector());
    if (*expected && strcmp(expected, built) != 0) FAIL("built for %s, want %s", built, expected);
#if !defined(__x86_64__)
    if (clus_rounded_best_format() != CLUS_ROUNDED_NONE || clus_rounded_supports(CLUS_ROUNDED_INT16) ||
        clus_rounded_supports(CLUS_ROUNDED_BFLOAT16))
        FAIL("a rounded format is offered off x86-64");
#endif
    // Shapes at and around every block edge, then random ones.
    static const int sizes[] = {1, 2, 3, 4, 5, 7, 8, 13, 14, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 63, 64, 65, 100};
    static const int depths[] = {1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 384, 512};
    int n_sizes = sizeof sizes / sizeof *sizes, n_depths = sizeof depths / sizeof *depths;
    for (int i = 0; i < n_sizes; i++)
        for (int e = 0; e < n_depths; e += 3) {
            check_gram_tile(sizes[i], sizes[(i * 7 + e) % n_sizes], depths[e]);
            check_rows_tile(sizes[(i * 5 + e) % n_sizes], sizes[i], depths[(e + 1) % n_depths]);
            check_rows_dots(sizes[i], sizes[(i + e) % n_sizes], depths[(e + 2) % n_depths]);
        }
    for (int r = 0; r < 60; r++) {
        check_gram_tile(1 + below(120), 1 + below(120), depths[below(n_depths)]);
        check_rows_tile(1 + below(60), 1 + below(120), depths[below(n_depths)]);
        check_rows_dots(below(20), 1 + below(40), depths[below(n_depths)]);
    }
    for (long count = 0; count < 70; count++) check_distances(count);
    for (int r = 0; r < 40; r++) check_distances(70 + below(600));
    for (int k = 1; k <= 70; k++) check_scores(k, 0), check_scores(k, 1);
    for (int r = 0; r < 200; r++) check_scores(1 + below(1100), below(2));
    printf("check-kernels: %s: %ld checks, %ld failed\n", built, checks, failures);
    return failures ? 1 : 0;
}
