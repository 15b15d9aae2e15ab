#include "CGramKernel.h"
#include "FloatBelow.h"
#include "PrefetchStream.h"

#include <math.h>
#include <string.h>

typedef float v16 __attribute__((ext_vector_type(16)));
typedef float v16u __attribute__((ext_vector_type(16), aligned(4)));

typedef float v8 __attribute__((ext_vector_type(8)));
typedef float v8u __attribute__((ext_vector_type(8), aligned(4)));

// VL: floats per vector of the column side; NR / VL vectors per panel.
#if defined(__AVX512F__)
#define MR 8
#define NR 32
#define VL 16
typedef v16 vec;
typedef v16u vecu;
#define INSTRUCTIONS "AVX-512"
#elif defined(__AVX2__) && defined(__FMA__)
#define MR 4
#define NR 24
#define VL 8
typedef v8 vec;
typedef v8u vecu;
#define INSTRUCTIONS "AVX2"
#elif defined(__ARM_NEON)
#define MR 4
#define NR 16
#define VL 16
typedef v16 vec;
typedef v16u vecu;
#define INSTRUCTIONS "NEON"
#else
#define MR 2
#define NR 16
#define VL 16
typedef v16 vec;
typedef v16u vecu;
#define INSTRUCTIONS "generic"
#endif
#define NV (NR / VL)

int clus_gram_rows_per_panel(void) { return MR; }
int clus_gram_columns_per_panel(void) { return NR; }
int clus_gram_columns_per_vector(void) { return VL; }
const char *clus_gram_instructions(void) { return INSTRUCTIONS; }

void clus_gram_pack(const float *rows, const long *order, long count, int d, int per_panel, float *out) {
    long panels = (count + per_panel - 1) / per_panel;
    for (long q = 0; q < panels; q++) {
        float *panel = out + q * (long)d * per_panel;
        for (int r = 0; r < per_panel; r++) {
            long p = q * per_panel + r;
            if (p >= count) {
                for (int t = 0; t < d; t++) panel[(long)t * per_panel + r] = 0;
                continue;
            }
            const float *row = rows + order[p] * (long)d;
            for (int t = 0; t < d; t++) panel[(long)t * per_panel + r] = row[t];
        }
    }
}

#define LOAD16(p) (*(const v16u *)(p))
#define STORE16(p, v) (*(v16u *)(p) = (v))

// The Gram tile's register block: GR rows from a row panel of GR rows (each
// dimension's values contiguous, so the broadcasts read whole cache lines)
// × NR columns from a column panel. With AVX-512, 14 rows: 28 accumulators,
// two column vectors and a broadcast fill 31 of the 32 registers, 16 loads
// per 28 multiply-adds (8 rows: 10 per 16). Measured on the silhouette's
// tile walk on an Intel Xeon (Sapphire Rapids class), both cores, 50,000 ×
// 512 (Scripts/bench/gram_tiles.c): 209 GFLOP/s against 178 for OpenBLAS's
// SkylakeX sgemm; 8 rows read from the 32-row column panels, as before, ran
// at 163 in the same walk.
#if defined(__AVX512F__)
#define GR 14
#else
#define GR MR
#endif

int clus_gram_tile_rows_per_panel(void) { return GR; }

// Prefetch distances, in steps along d: the row panel streams (and runs on
// into the next block's panel, which follows it in memory), the column panel
// comes back from L2 for every block (at 512 dimensions it overflows L1). In
// the silhouette's tile walk on both cores of an Intel Xeon (Sapphire Rapids
// class) the hardware prefetchers left about 10% to gain: 68% of the FMA
// peak without these, 75% with (medians of 11 paired runs; the same block on
// a tile in L1: 79–96%); built for AVX2 on the same Xeon, no change. The
// silhouette walks a tile a row panel at a time, the column panels streaming
// from L2: there 32 steps ahead for them beat 16 by 1–5% in four paired
// comparisons (64: no better); without the row panel's prefetch, 0.92–0.94×.
#define ROWS_AHEAD 64
#define COLUMNS_AHEAD 32

static inline __attribute__((always_inline))
void tile_block(const float *a, const float *b, int d, float *c, int ldc) {
    vec acc[GR][NV];
    for (int i = 0; i < GR; i++)
        for (int v = 0; v < NV; v++) acc[i][v] = (vec)0;
    for (int t = 0; t < d; t++) {
        __builtin_prefetch(a + (long)(t + ROWS_AHEAD) * GR, 0, 3);
        for (int v = 0; v < NR; v += 64 / sizeof(float)) __builtin_prefetch(b + (long)(t + COLUMNS_AHEAD) * NR + v, 0, 3);
        vec bv[NV];
        for (int v = 0; v < NV; v++) bv[v] = *(const vecu *)(b + (long)t * NR + v * VL);
        const float *at = a + (long)t * GR;
#pragma unroll
        for (int i = 0; i < GR; i++) {
            vec ai = (vec)at[i];
            for (int v = 0; v < NV; v++) acc[i][v] += ai * bv[v];
        }
    }
    for (int i = 0; i < GR; i++)
        for (int v = 0; v < NV; v++) *(vecu *)(c + (long)i * ldc + v * VL) = acc[i][v];
}

void clus_gram_tile(const float *a, int row_count, const float *b, int column_count, int d, float *c, int ldc) {
    int row_blocks = (row_count + GR - 1) / GR, column_panels = (column_count + NR - 1) / NR;
    // A column panel (NR × d) stays in L1/L2 while the tile's rows stream past it.
    for (int q = 0; q < column_panels; q++) {
        const float *bq = b + (long)q * d * NR;
        for (int p = 0; p < row_blocks; p++)
            tile_block(a + (long)p * d * GR, bq, d, c + (long)p * GR * ldc + q * NR, ldc);
    }
}

// A block of MR rows read in place (broadcast from each row's own memory, so
// the rows need no packing) × `nv` vectors of a column panel; `nv` is a
// constant at every call, so the loops unroll as in `block`.
static inline __attribute__((always_inline))
void rows_block(const float *const *r, const float *b, int d, float *c, int ldc, const int nv) {
    vec acc[MR][NV];
    for (int i = 0; i < MR; i++)
        for (int v = 0; v < nv; v++) acc[i][v] = (vec)0;
    const float *p[MR];
    for (int i = 0; i < MR; i++) p[i] = r[i];
    for (int t = 0; t < d; t++) {
        vec bv[NV];
        for (int v = 0; v < nv; v++) bv[v] = *(const vecu *)(b + (long)t * NR + v * VL);
#pragma unroll
        for (int i = 0; i < MR; i++) {
            vec ai = (vec)p[i][t];
            for (int v = 0; v < nv; v++) acc[i][v] += ai * bv[v];
        }
    }
    for (int i = 0; i < MR; i++)
        for (int v = 0; v < nv; v++) *(vecu *)(c + (long)i * ldc + v * VL) = acc[i][v];
}

void clus_gram_rows_tile(const float *const *rows, int row_count, const float *b, int column_count, int d,
                         float *c, int ldc, const void *prefetch, long prefetch_bytes) {
    int row_blocks = (row_count + MR - 1) / MR, column_panels = (column_count + NR - 1) / NR;
    clus_prefetch_stream ahead = clus_prefetch_stream_make(prefetch, prefetch_bytes, (long)row_blocks * column_panels);
    for (int q = 0; q < column_panels; q++) {
        const float *bq = b + (long)q * d * NR;
        // The last panel computes only the vectors that hold columns.
        int vectors = (column_count - q * NR + VL - 1) / VL;
        if (vectors > NV) vectors = NV;
        for (int p = 0; p < row_blocks; p++) {
            const float *const *r = rows + p * MR;
            float *cp = c + (long)p * MR * ldc + q * NR;
            clus_prefetch_step(&ahead);
            switch (vectors) {
#if NV >= 3
            case 3: rows_block(r, bq, d, cp, ldc, 3); break;
#endif
#if NV >= 2
            case 2: rows_block(r, bq, d, cp, ldc, 2); break;
#endif
            default: rows_block(r, bq, d, cp, ldc, 1); break;
            }
        }
    }
}

// Dot products along d for the last few columns: DR rows × 4 centres of
// accumulators, each lane a useful product, summed across lanes at the end.
#if defined(__AVX512F__)
#define DR 4
#define TAIL_KERNEL 1
#elif defined(__AVX2__) && defined(__FMA__)
#define DR 2
#define TAIL_KERNEL 1
#else
#define DR 1
#define TAIL_KERNEL 0
#endif

int clus_gram_tail_columns(int count) {
    int tail = count % NR;
    return TAIL_KERNEL && count > NR && tail > 0 && tail <= VL ? tail : 0;
}

static inline float lanes_sum(vec v) {
    float s = 0;
    for (int i = 0; i < VL; i++) s += v[i];
    return s;
}

// One row against one centre, for the edges of the blocks.
static inline float row_dot(const float *x, const float *y, int d) {
    vec acc = (vec)0;
    int t = 0;
    for (; t + VL <= d; t += VL) acc += *(const vecu *)(x + t) * *(const vecu *)(y + t);
    float s = lanes_sum(acc);
    for (; t < d; t++) s += x[t] * y[t];
    return s;
}

// DR rows × 4 centres, accumulators in named registers (an array of them
// was kept in memory by clang, a store per multiply-add).
static inline void dots_block(const float *const *rows, const float *centres, int d, float *c, int ldc) {
    const float *x0 = rows[0], *x1 = rows[DR > 1 ? 1 : 0], *x2 = rows[DR > 2 ? 2 : 0], *x3 = rows[DR > 3 ? 3 : 0];
    const float *y0 = centres, *y1 = centres + d, *y2 = centres + 2L * d, *y3 = centres + 3L * d;
    vec a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
    vec a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
    int t = 0;
    for (; t + VL <= d; t += VL) {
        vec b0 = *(const vecu *)(y0 + t), b1 = *(const vecu *)(y1 + t), b2 = *(const vecu *)(y2 + t), b3 = *(const vecu *)(y3 + t);
        vec x = *(const vecu *)(x0 + t);
        a00 += x * b0; a01 += x * b1; a02 += x * b2; a03 += x * b3;
        if (DR > 1) { x = *(const vecu *)(x1 + t); a10 += x * b0; a11 += x * b1; a12 += x * b2; a13 += x * b3; }
        if (DR > 2) { x = *(const vecu *)(x2 + t); a20 += x * b0; a21 += x * b1; a22 += x * b2; a23 += x * b3; }
        if (DR > 3) { x = *(const vecu *)(x3 + t); a30 += x * b0; a31 += x * b1; a32 += x * b2; a33 += x * b3; }
    }
    vec acc[4][4] = {{a00, a01, a02, a03}, {a10, a11, a12, a13}, {a20, a21, a22, a23}, {a30, a31, a32, a33}};
    const float *xs[4] = {x0, x1, x2, x3}, *ys[4] = {y0, y1, y2, y3};
    for (int r = 0; r < DR; r++) {
        for (int q = 0; q < 4; q++) {
            float sum = lanes_sum(acc[r][q]);
            for (int e = t; e < d; e++) sum += xs[r][e] * ys[q][e];
            c[(long)r * ldc + q] = sum;
        }
    }
}

void clus_rows_dots(const float *const *rows, int row_count, const float *centres, int count, int d, float *c, int ldc) {
    int i = 0;
    for (; i + DR <= row_count; i += DR) {
        int j = 0;
        for (; j + 4 <= count; j += 4) dots_block(rows + i, centres + (long)j * d, d, c + (long)i * ldc + j, ldc);
        for (; j < count; j++) {
            for (int r = 0; r < DR; r++) c[(long)(i + r) * ldc + j] = row_dot(rows[i + r], centres + (long)j * d, d);
        }
    }
    for (; i < row_count; i++) {
        for (int j = 0; j < count; j++) c[(long)i * ldc + j] = row_dot(rows[i], centres + (long)j * d, d);
    }
}

// The next float above x (as nextafterf(x, INFINITY), without the call).
static inline float next_up(float x) {
    if (x != x || x == INFINITY) return x;
    if (x == 0) return __FLT_DENORM_MIN__;
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    bits += x > 0 ? 1 : -1;
    memcpy(&x, &bits, sizeof x);
    return x;
}

// The epilogue of k-means' full scan, per document: written here beside the
// kernel because Swift's SIMD types spilled to the stack in this loop (a
// quarter of the pass); clang's vectors stay in registers.
// Each lane keeps its lowest score and where it first came (a strict <), so
// the first lowest needs no second pass: the scalar search for it was a
// third of this epilogue.
int clus_scores_lowest(float *s, const float *bias, int k, double window, int *near, int *finite) {
    typedef int i16v __attribute__((ext_vector_type(16)));
    const i16v lanes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    v16 lo = (v16)INFINITY, spread = (v16)0;
    i16v where = (i16v)-1;
    int q = 0;
    for (; q + 16 <= k; q += 16) {
        v16 p = LOAD16(s + q);
        v16 v = LOAD16(bias + q) - (p + p);
        STORE16(s + q, v);
        i16v lower = v < lo;   // -1 where true; never for a NaN
        where = lower ? lanes + q : where;
        lo = lower ? v : lo;   // one vminps, not minnum's NaN handling
        spread += v - v;   // stays 0 while every score is finite
    }
    // lo holds no NaN: halves against halves
    v8 lo8 = __builtin_shufflevector(lo, lo, 0, 1, 2, 3, 4, 5, 6, 7), hi8 = __builtin_shufflevector(lo, lo, 8, 9, 10, 11, 12, 13, 14, 15);
    lo8 = hi8 < lo8 ? hi8 : lo8;
    typedef float v4 __attribute__((ext_vector_type(4)));
    v4 lo4 = __builtin_shufflevector(lo8, lo8, 0, 1, 2, 3), hi4 = __builtin_shufflevector(lo8, lo8, 4, 5, 6, 7);
    lo4 = hi4 < lo4 ? hi4 : lo4;
    float best = lo4[0];
    for (int i = 1; i < 4; i++) best = lo4[i] < best ? lo4[i] : best;
    i16v first = (lo == best) & (where >= 0);
    int at = __builtin_reduce_min((where & first) | ((i16v)k & ~first));
    int all_finite = __builtin_reduce_and(spread == spread) != 0;   // a lane is NaN once a score was not finite
    for (; q < k; q++) {
        float v = bias[q] - (s[q] + s[q]);
        s[q] = v;
        all_finite &= v - v == 0;
        if (v < best) best = v, at = q;
    }
    *finite = all_finite;
    // No score below +infinity: the first +infinity, if any.
    if (at == k || !(best < INFINITY)) {
        at = 0;
        while (at < k && !(s[at] == best)) at++;
    }
    if (at == k) { *near = 0; return 0; }
    // Every score that may round below the lowest in another arithmetic.
    float limit = next_up((float)((double)best + window));
    i16v count = (i16v)0;
    q = 0;
    for (; q + 16 <= k; q += 16) count += LOAD16(s + q) <= limit;   // -1 where true
    int n = -__builtin_reduce_add(count);
    for (; q < k; q++) n += s[q] <= limit;
    *near = n;
    return at;
}

void clus_group_minima(float *s, const long *start, int groups, int excluded, int finite, float *out) {
    float kept = s[excluded];
    s[excluded] = INFINITY;
    for (int g = 0; g < groups; g++) {
        float low = INFINITY;
        if (finite) {
            for (long q = start[g]; q < start[g + 1]; q++) low = s[q] < low ? s[q] : low;
        } else {
            // A non-finite score bounds nothing.
            for (long q = start[g]; q < start[g + 1]; q++) {
                if (q == excluded) continue;
                float v = isfinite(s[q]) ? s[q] : -INFINITY;
                low = v < low ? v : low;
            }
        }
        out[g] = low;
    }
    s[excluded] = kept;
}

// Each group's lower bound on the distance, from its lowest score: as the
// Swift it replaces (floatBelow(√max(0, low + |x|² − e)), +infinity kept),
// beside the minima so that a document's groups take one call.
void clus_group_lower_bounds(float *s, const long *start, int groups, int excluded, int finite, double square,
                             double slack, float *out) {
    clus_group_minima(s, start, groups, excluded, finite, out);
    for (int g = 0; g < groups; g++) {
        float low = out[g];
        double v = (double)low + square - slack;
        out[g] = low == INFINITY ? INFINITY : clus_float_below(sqrt(v >= 0 ? v : 0));
    }
}
