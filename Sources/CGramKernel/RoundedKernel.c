// k-means' full scan from rounded products, in the best format the CPU
// offers: bfloat16 (here) or int16 (Int16Kernel.c). bfloat16: products of
// documents and centres rounded to 8 significant bits, twice the
// multiply-adds per instruction of Float (AVX512_BF16's vdpbf16ps, Float
// accumulators) and half the bytes read. The products only pick candidates:
// each carries a bound on its error (from the lengths of what rounding left
// out), and every centre that may be the nearest is scored again in Float by
// the caller, so the labels are the Float kernel's. Written by hand: no BLAS
// offers a bfloat16 product with rows read in place, and the pass needs its
// own epilogue.
#include "CGramKernel.h"
#include "FloatBelow.h"
#include "Int16Kernel.h"
#include "PrefetchStream.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Built when the build's target CPU has AVX512_BF16 (Package.swift: -march=native or
// CLUS_TARGET_CPU), as the rest of clus is; cpuid is checked as well when it runs.
#if defined(__x86_64__) && defined(__AVX512BF16__) && defined(__AVX512BW__) && defined(__AVX512VL__)
#define BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16,fma")))
#define BF16_BUILT 1
#else
#define BF16_BUILT 0
#endif

int clus_bf16_available(void) {
#if BF16_BUILT
    // Checked on the CPU that runs, not the one that compiled; once (a benign race: every thread finds the same).
    static int known = -1;
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx512bf16") && __builtin_cpu_supports("avx512bw") ? 1 : 0;
    }
    return known;
#else
    return 0;
#endif
}

int clus_rounded_supports(int format) {
    return format == CLUS_ROUNDED_BFLOAT16 ? clus_bf16_available()
         : format == CLUS_ROUNDED_INT16 ? clus_i16_available() : 0;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

// Seconds for the fastest of a few runs of the format's tile kernel on a
// 64-document × 128-centre × 512-value block (about 4 million multiply-adds).
static double time_tile(int format, const uint16_t *const *rows, const uint16_t *packed, float *c, const float *scale) {
    double best = INFINITY;
    for (int run = 0; run < 5; run++) {
        double start = now();
        for (int repeat = 0; repeat < 4; repeat++)
            clus_rounded_rows_tile(format, rows, 64, packed, 128, 512, c, 128, scale, scale, NULL, 0);
        best = fmin(best, now() - start);
    }
    return best;
}

int clus_rounded_best_format(void) {
    static int known = -1;
    int format = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (format >= 0) return format;
    int bf16 = clus_bf16_available(), i16 = clus_i16_available();
    format = bf16 ? CLUS_ROUNDED_BFLOAT16 : i16 ? CLUS_ROUNDED_INT16 : CLUS_ROUNDED_NONE;
    if (bf16 && i16) {
        // Both on this CPU: their kernels' speed differs by CPU (vdpbf16ps is the faster
        // on one, vpdpwssd on another), so they are timed here, once per process.
        // Ties go to int16: its tighter error bound leaves fewer candidates to score again.
        uint16_t *values = calloc(64 * 512 + 128 * 512, sizeof(uint16_t));
        float *c = calloc(64 * 128 + 128, sizeof(float)), *scale = c + 64 * 128;
        const uint16_t *rows[64];
        if (values && c) {
            for (int i = 0; i < 64 * 512 + 128 * 512; i++) values[i] = (uint16_t)(0x3F80 + (i * 37 & 0x7F));
            for (int i = 0; i < 128; i++) scale[i] = 1;
            for (int i = 0; i < 64; i++) rows[i] = values + (long)i * 512;
            const uint16_t *packed = values + 64 * 512;
            double b = INFINITY, i = INFINITY;
            for (int round = 0; round < 2; round++) {   // alternating, so a slow moment hits both
                b = fmin(b, time_tile(CLUS_ROUNDED_BFLOAT16, rows, packed, c, scale));
                i = fmin(i, time_tile(CLUS_ROUNDED_INT16, rows, packed, c, scale));
            }
            format = b < i ? CLUS_ROUNDED_BFLOAT16 : CLUS_ROUNDED_INT16;
        }
        free(values);
        free(c);
    }
    __atomic_store_n(&known, format, __ATOMIC_RELAXED);
    return format;
}

int clus_rounded_row_length(int d) { return (d + 31) / 32 * 32; }

void clus_prefetch(const void *start, long bytes) {
    for (long o = 0; o < bytes; o += 64) __builtin_prefetch((const char *)start + o, 0, 3);
}

#if BF16_BUILT
// 16 Floats to bfloat16, rounded to nearest even; denormals become zero
// (as vdpbf16ps would read them), so the residual is measured from what is stored.
BF16_TARGET static inline __m256i to_bf16(__m512 v) { return (__m256i)_mm512_cvtneps_pbh(v); }

BF16_TARGET static inline __m512 from_bf16(__m256i h) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

// One row (or centre) less `origin`, rounded and stored; its rounded length,
// residual length (real arithmetic: in Double, from the Float inputs) and |x − origin|².
BF16_TARGET static void convert_row(const float *x, int d, const float *origin, int length, uint16_t *out,
                                    double *rounded, double *residual, double *square) {
    __m512d r2a = _mm512_setzero_pd(), r2b = r2a, e2a = r2a, e2b = r2a, s2a = r2a, s2b = r2a;
    int t = 0;
    for (; t < length; t += 16) {
        __mmask16 m = t + 16 <= d ? (__mmask16)0xFFFF : (t < d ? (__mmask16)((1u << (d - t)) - 1) : 0);
        __m512 xv = _mm512_maskz_loadu_ps(m, x + t), ov = _mm512_maskz_loadu_ps(m, origin + t);
        __m256i h = to_bf16(_mm512_sub_ps(xv, ov));
        _mm256_storeu_si256((__m256i *)(out + t), h);
        __m512 hv = from_bf16(h);
        // Exact in Double: x − origin of two Floats, less the stored value.
        __m512d xl = _mm512_cvtps_pd(_mm512_castps512_ps256(xv));
        __m512d xh = _mm512_cvtps_pd(_mm512_extractf32x8_ps(xv, 1));
        __m512d ol = _mm512_cvtps_pd(_mm512_castps512_ps256(ov));
        __m512d oh = _mm512_cvtps_pd(_mm512_extractf32x8_ps(ov, 1));
        __m512d hl = _mm512_cvtps_pd(_mm512_castps512_ps256(hv));
        __m512d hh = _mm512_cvtps_pd(_mm512_extractf32x8_ps(hv, 1));
        __m512d yl = _mm512_sub_pd(xl, ol), yh = _mm512_sub_pd(xh, oh);
        __m512d el = _mm512_sub_pd(yl, hl), eh = _mm512_sub_pd(yh, hh);
        r2a = _mm512_fmadd_pd(hl, hl, r2a); r2b = _mm512_fmadd_pd(hh, hh, r2b);
        e2a = _mm512_fmadd_pd(el, el, e2a); e2b = _mm512_fmadd_pd(eh, eh, e2b);
        s2a = _mm512_fmadd_pd(yl, yl, s2a); s2b = _mm512_fmadd_pd(yh, yh, s2b);
    }
    // Double rounding of these sums is far below the bounds' margins; the lengths are rounded up a little.
    *rounded = sqrt(_mm512_reduce_add_pd(_mm512_add_pd(r2a, r2b))) * (1 + 0x1p-40);
    *residual = sqrt(_mm512_reduce_add_pd(_mm512_add_pd(e2a, e2b))) * (1 + 0x1p-40);
    *square = _mm512_reduce_add_pd(_mm512_add_pd(s2a, s2b));
}
#endif

void clus_rounded_rows(int format, const float *rows, long count, int d, const float *origin, int length, uint16_t *out,
                       double *rounded, double *residual, double *square, float *scale) {
    if (format == CLUS_ROUNDED_INT16) {
        clus_i16_rows(rows, count, d, origin, length, (int16_t *)out, rounded, residual, square, scale);
        return;
    }
    for (long i = 0; i < count; i++) scale[i] = 1;
#if BF16_BUILT
    for (long i = 0; i < count; i++)
        convert_row(rows + i * (long)d, d, origin, length, out + i * (long)length, rounded + i, residual + i, square + i);
#else
    (void)rows; (void)count; (void)d; (void)origin; (void)length; (void)out; (void)rounded; (void)residual; (void)square;
#endif
}

void clus_rounded_pack(int format, const float *centres, int k, int d, const float *origin, int length, uint16_t *out,
                       uint16_t *rows, double *rounded, double *residual, double *square, float *scale) {
    if (format == CLUS_ROUNDED_INT16) {
        clus_i16_pack(centres, k, d, origin, length, (int16_t *)out, (int16_t *)rows, rounded, residual, square, scale);
        return;
    }
    for (int j = 0; j < k; j++) scale[j] = 1;
#if BF16_BUILT
    int panels = (k + 31) / 32, pairs = length / 2;
    memset(out, 0, (size_t)panels * 32 * length * sizeof(uint16_t));
    for (int j = 0; j < k; j++) {
        uint16_t *row = rows + (long)j * length;
        convert_row(centres + (long)j * d, d, origin, length, row, rounded + j, residual + j, square + j);
        // Panel q, pair p: 32 columns of (value 2p, value 2p + 1), as vdpbf16ps reads them.
        uint16_t *panel = out + (long)(j / 32) * 32 * length;
        for (int p = 0; p < pairs; p++) {
            panel[(long)p * 64 + (j % 32) * 2] = row[2 * p];
            panel[(long)p * 64 + (j % 32) * 2 + 1] = row[2 * p + 1];
        }
    }
#else
    (void)centres; (void)k; (void)d; (void)origin; (void)length; (void)out; (void)rows; (void)rounded; (void)residual;
    (void)square;
#endif
}

#if BF16_BUILT
BF16_TARGET static float bf16_dot(const uint16_t *x, const uint16_t *y, int length) {
    __m512 a = _mm512_setzero_ps(), b = a;
    int t = 0;
    for (; t + 64 <= length; t += 64) {
        a = _mm512_dpbf16_ps(a, (__m512bh)_mm512_loadu_si512(x + t), (__m512bh)_mm512_loadu_si512(y + t));
        b = _mm512_dpbf16_ps(b, (__m512bh)_mm512_loadu_si512(x + t + 32), (__m512bh)_mm512_loadu_si512(y + t + 32));
    }
    if (t < length) a = _mm512_dpbf16_ps(a, (__m512bh)_mm512_loadu_si512(x + t), (__m512bh)_mm512_loadu_si512(y + t));
    return _mm512_reduce_add_ps(_mm512_add_ps(a, b));
}
#endif

float clus_rounded_dot(int format, const uint16_t *x, const uint16_t *y, int length) {
    if (format == CLUS_ROUNDED_INT16) return clus_i16_dot((const int16_t *)x, (const int16_t *)y, length);
#if BF16_BUILT
    return bf16_dot(x, y, length);
#else
    (void)x; (void)y; (void)length;
    return 0;
#endif
}

#if BF16_BUILT
// 8 rows read in place × `nv` (1 or 2) vectors of 16 columns; per pair of
// dimensions one 32-bit broadcast per row and one load per vector.
BF16_TARGET static inline __attribute__((always_inline))
void bf16_block(const uint16_t *const *r, const uint16_t *b, int pairs, float *c, int ldc, const int nv) {
    __m512 a00 = _mm512_setzero_ps(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    __m512 a40 = a00, a41 = a00, a50 = a00, a51 = a00, a60 = a00, a61 = a00, a70 = a00, a71 = a00;
    const uint32_t *p0 = (const uint32_t *)r[0], *p1 = (const uint32_t *)r[1], *p2 = (const uint32_t *)r[2],
                   *p3 = (const uint32_t *)r[3], *p4 = (const uint32_t *)r[4], *p5 = (const uint32_t *)r[5],
                   *p6 = (const uint32_t *)r[6], *p7 = (const uint32_t *)r[7];
    for (int t = 0; t < pairs; t++) {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512(b + (long)t * 64);
        __m512bh b1 = nv > 1 ? (__m512bh)_mm512_loadu_si512(b + (long)t * 64 + 32) : b0;
        __m512bh x;
#define BF16_ROW(i)                                                  \
        x = (__m512bh)_mm512_set1_epi32((int)p##i[t]);               \
        a##i##0 = _mm512_dpbf16_ps(a##i##0, x, b0);                  \
        if (nv > 1) a##i##1 = _mm512_dpbf16_ps(a##i##1, x, b1);
        BF16_ROW(0) BF16_ROW(1) BF16_ROW(2) BF16_ROW(3) BF16_ROW(4) BF16_ROW(5) BF16_ROW(6) BF16_ROW(7)
#undef BF16_ROW
    }
#define BF16_STORE(i)                                                \
    _mm512_storeu_ps(c + (long)i * ldc, a##i##0);                    \
    if (nv > 1) _mm512_storeu_ps(c + (long)i * ldc + 16, a##i##1);
    BF16_STORE(0) BF16_STORE(1) BF16_STORE(2) BF16_STORE(3) BF16_STORE(4) BF16_STORE(5) BF16_STORE(6) BF16_STORE(7)
#undef BF16_STORE
}

BF16_TARGET static void bf16_tile(const uint16_t *const *rows, int row_count, const uint16_t *packed, int column_count,
                                  int length, float *c, int ldc, const void *prefetch, long prefetch_bytes) {
    int row_blocks = (row_count + 7) / 8, panels = (column_count + 31) / 32, pairs = length / 2;
    clus_prefetch_stream ahead = clus_prefetch_stream_make(prefetch, prefetch_bytes, (long)row_blocks * panels);
    for (int q = 0; q < panels; q++) {
        const uint16_t *bq = packed + (long)q * 32 * length;
        // The last panel computes one vector when its columns fit in one.
        int two = column_count - q * 32 > 16;
        for (int p = 0; p < row_blocks; p++) {
            clus_prefetch_step(&ahead);
            if (two) bf16_block(rows + p * 8, bq, pairs, c + (long)p * 8 * ldc + q * 32, ldc, 2);
            else bf16_block(rows + p * 8, bq, pairs, c + (long)p * 8 * ldc + q * 32, ldc, 1);
        }
    }
}
#endif

void clus_rounded_rows_tile(int format, const uint16_t *const *rows, int row_count, const uint16_t *packed,
                            int column_count, int length, float *c, int ldc, const float *row_scale,
                            const float *column_scale, const void *prefetch, long prefetch_bytes) {
    if (format == CLUS_ROUNDED_INT16) {
        clus_i16_rows_tile((const int16_t *const *)rows, row_count, (const int16_t *)packed, column_count, length, c, ldc,
                           row_scale, column_scale, prefetch, prefetch_bytes);
        return;
    }
    (void)row_scale; (void)column_scale;   // bfloat16 rows are not scaled
#if BF16_BUILT
    bf16_tile(rows, row_count, packed, column_count, length, c, ldc, prefetch, prefetch_bytes);
#else
    (void)rows; (void)row_count; (void)packed; (void)column_count; (void)length; (void)c; (void)ldc;
    (void)prefetch; (void)prefetch_bytes;
#endif
}

#if BF16_BUILT
// The epilogue with AVX-512's masks: the last partial vector by a mask, the
// candidates packed by a compress (no branch per centre).
BF16_TARGET static int candidates(float *p, const float *bias, const float *residual, const float *rounded,
                                  const float *slack, float alpha, float beta, float window, int k, int *list) {
    __m512 top = _mm512_set1_ps(INFINITY), zero = _mm512_setzero_ps(), spread = zero;
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    for (int q = 0; q < k; q += 16) {
        __mmask16 m = k - q >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (k - q)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(m, p + q);
        __m512 sc = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, bias + q), _mm512_add_ps(v, v));
        __m512 e = _mm512_fmadd_ps(va, _mm512_maskz_loadu_ps(m, residual + q),
                                   _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m, rounded + q), _mm512_maskz_loadu_ps(m, slack + q)));
        _mm512_mask_storeu_ps(p + q, m, _mm512_sub_ps(sc, e));
        top = _mm512_mask_min_ps(top, m, top, _mm512_add_ps(sc, e));
        spread = _mm512_add_ps(spread, _mm512_sub_ps(sc, sc));   // stays 0 while every score is finite
    }
    float best = _mm512_reduce_min_ps(top);
    if (_mm512_cmp_ps_mask(spread, zero, _CMP_NEQ_UQ) || !isfinite(best) || !isfinite(window)) return -1;
    __m512 limit = _mm512_set1_ps(best + window);
    __m512i index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), step = _mm512_set1_epi32(16);
    int n = 0;
    for (int q = 0; q < k; q += 16) {
        __mmask16 m = k - q >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (k - q)) - 1);
        __mmask16 in = _mm512_mask_cmp_ps_mask(m, _mm512_maskz_loadu_ps(m, p + q), limit, _CMP_LE_OQ);
        // Compressed in a register and stored whole: the compressing store to memory is slow on Zen 4.
        _mm512_storeu_si512(list + n, _mm512_maskz_compress_epi32(in, index));
        n += __builtin_popcount(in);
        index = _mm512_add_epi32(index, step);
    }
    return n;
}

BF16_TARGET static void group_minima(float *s, const long *start, int groups, int excluded, float *out) {
    float kept = s[excluded];
    s[excluded] = INFINITY;
    __m512 infinity = _mm512_set1_ps(INFINITY);
    for (int g = 0; g < groups; g++) {
        __m512 low = infinity;
        for (long q = start[g]; q < start[g + 1]; q += 16) {
            long left = start[g + 1] - q;
            __mmask16 m = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
            low = _mm512_min_ps(low, _mm512_mask_loadu_ps(infinity, m, s + q));
        }
        out[g] = _mm512_reduce_min_ps(low);
    }
    s[excluded] = kept;
}
#endif

#if BF16_BUILT
// Eight groups' bounds at once: the square root and the rounding down to
// Float by the instructions' rounding mode, rather than a Double step per group.
BF16_TARGET static void group_bounds(float *s, const long *start, int groups, int excluded, double shift, float *out) {
    float low[groups + 8];
    group_minima(s, start, groups, excluded, low);
    __m512d zero = _mm512_setzero_pd(), add = _mm512_set1_pd(shift);
    for (int g = 0; g < groups; g += 8) {
        __mmask8 m = groups - g >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (groups - g)) - 1);
        __m512d v = _mm512_cvtps_pd(_mm256_maskz_loadu_ps(m, low + g));
        // +infinity stays so (no centre in the group but the excluded); max(0, ·) takes NaN nowhere: all finite or infinite.
        __m512d d = _mm512_sqrt_round_pd(_mm512_max_pd(zero, _mm512_add_round_pd(v, add, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)),
                                         _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
        _mm256_mask_storeu_ps(out + g, m, _mm512_cvt_roundpd_ps(d, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
    }
}
#endif

void clus_rounded_group_bounds(float *s, const long *start, int groups, int excluded, double shift, float *out) {
#if BF16_BUILT
    if (clus_bf16_available()) { group_bounds(s, start, groups, excluded, shift, out); return; }
#endif
    float low[groups > 0 ? groups : 1];
    clus_group_minima(s, start, groups, excluded, 1, low);
    for (int g = 0; g < groups; g++) {
        double v = (double)low[g] + shift;
        out[g] = clus_float_below(sqrt(v > 0 ? v : 0) * (1 - 0x1p-50));   // rounded down past sqrt's half ulp
    }
}

#if !BF16_BUILT && defined(__x86_64__) && defined(__AVX2__) && defined(__FMA__)
#define AVX2_EPILOGUE 1
// The epilogue on AVX2 (the int16 scan's CPUs): the last partial vector by a
// mask, the candidates (one or two in most documents) read off the compare's bits.
static inline __m256i lanes_below(int left) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(left), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// One vector of scores s = bias − 2p and their error bounds e: the lower
// bounds s − e (p's new values) and the upper bounds s + e; `spread` stays 0
// while every score is finite.
static inline void candidate_bounds(__m256 v, __m256 bias, __m256 residual, __m256 rounded, __m256 slack, __m256 alpha,
                                    __m256 beta, __m256 *low, __m256 *high, __m256 *spread) {
    __m256 sc = _mm256_sub_ps(bias, _mm256_add_ps(v, v));
    __m256 e = _mm256_fmadd_ps(alpha, residual, _mm256_fmadd_ps(beta, rounded, slack));
    *low = _mm256_sub_ps(sc, e);
    *high = _mm256_add_ps(sc, e);
    *spread = _mm256_add_ps(*spread, _mm256_sub_ps(sc, sc));
}

static int candidates_avx2(float *p, const float *bias, const float *residual, const float *rounded,
                           const float *slack, float alpha, float beta, float window, int k, int *list) {
    __m256 infinity = _mm256_set1_ps(INFINITY), zero = _mm256_setzero_ps(), top = infinity, spread = zero;
    __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta), low, high;
    // Whole vectors by plain loads and stores (AMD's masked store is microcoded), the last partial one by a mask.
    int q = 0;
    for (; q + 8 <= k; q += 8) {
        candidate_bounds(_mm256_loadu_ps(p + q), _mm256_loadu_ps(bias + q), _mm256_loadu_ps(residual + q),
                         _mm256_loadu_ps(rounded + q), _mm256_loadu_ps(slack + q), va, vb, &low, &high, &spread);
        _mm256_storeu_ps(p + q, low);
        top = _mm256_min_ps(top, high);
    }
    __m256i m = lanes_below(k - q);
    if (q < k) {
        candidate_bounds(_mm256_maskload_ps(p + q, m), _mm256_maskload_ps(bias + q, m), _mm256_maskload_ps(residual + q, m),
                         _mm256_maskload_ps(rounded + q, m), _mm256_maskload_ps(slack + q, m), va, vb, &low, &high, &spread);
        _mm256_maskstore_ps(p + q, m, low);
        top = _mm256_min_ps(top, _mm256_blendv_ps(infinity, high, _mm256_castsi256_ps(m)));
    }
    __m128 h = _mm_min_ps(_mm256_castps256_ps128(top), _mm256_extractf128_ps(top, 1));
    h = _mm_min_ps(h, _mm_movehl_ps(h, h));
    h = _mm_min_ss(h, _mm_shuffle_ps(h, h, 1));
    float best = _mm_cvtss_f32(h);
    if (_mm256_movemask_ps(_mm256_cmp_ps(spread, zero, _CMP_NEQ_UQ)) || !isfinite(best) || !isfinite(window)) return -1;
    __m256 limit = _mm256_set1_ps(best + window);
    int n = 0;
    for (q = 0; q < k; q += 8) {
        __m256 v = q + 8 <= k ? _mm256_loadu_ps(p + q) : _mm256_maskload_ps(p + q, m);
        unsigned bits = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(v, limit, _CMP_LE_OQ));
        if (q + 8 > k) bits &= (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(m));
        for (; bits; bits &= bits - 1) list[n++] = q + __builtin_ctz(bits);
    }
    return n;
}
#endif

int clus_rounded_candidates(float *p, const float *bias, const float *residual, const float *rounded, const float *slack,
                         float alpha, float beta, float window, int k, int *list) {
#if BF16_BUILT
    if (clus_bf16_available()) return candidates(p, bias, residual, rounded, slack, alpha, beta, window, k, list);
#endif
#if AVX2_EPILOGUE
    return candidates_avx2(p, bias, residual, rounded, slack, alpha, beta, window, k, list);
#endif
    typedef float v16 __attribute__((ext_vector_type(16)));
    typedef float v16u __attribute__((ext_vector_type(16), aligned(4)));
    v16 top = (v16)INFINITY, spread = (v16)0;
    int q = 0;
    // Scores s = bias − 2p, their error bound e; p becomes s − e (a lower
    // bound), and the lowest s + e (an upper bound on the nearest) is kept.
    for (; q + 16 <= k; q += 16) {
        v16 v = *(const v16u *)(p + q);
        v16 s = *(const v16u *)(bias + q) - (v + v);
        v16 e = alpha * *(const v16u *)(residual + q) + beta * *(const v16u *)(rounded + q) + *(const v16u *)(slack + q);
        *(v16u *)(p + q) = s - e;
        top = __builtin_elementwise_min(top, s + e);
        spread += s - s;   // stays 0 while every score is finite
    }
    float best = __builtin_reduce_min(top), bad = 0;
    for (int i = 0; i < 16; i++) bad += spread[i];
    for (; q < k; q++) {
        float s = bias[q] - (p[q] + p[q]);
        float e = alpha * residual[q] + beta * rounded[q] + slack[q];
        p[q] = s - e;
        bad += s - s;
        if (s + e < best) best = s + e;
    }
    if (!(bad == 0) || !isfinite(best) || !isfinite(window)) return -1;
    float limit = best + window;
    int n = 0;
    for (q = 0; q < k; q++) {
        if (p[q] <= limit) list[n++] = q;
    }
    return n;
}
