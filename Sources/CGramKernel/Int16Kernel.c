// The rounded full scan's int16 format: for CPUs without AVX512_BF16 (AMD
// Zen 3, Intel's AVX2-only cores), and for those with it where this kernel
// times faster (RoundedKernel.c's clus_rounded_best_format; Sapphire Rapids-class
// Xeons with VNNI below): each row less the data's mean, scaled by
// a power of two and rounded to 16-bit integers. AVX2's vpmaddwd does sixteen
// multiply-adds per instruction, twice vfmadd231ps's eight, at the same rate
// on these cores (measured on Zen 4: 25 against 16 multiply-adds per cycle
// with the integer add), and reads half the bytes. The sums are exact in
// int32: the scale keeps |x̃| ≤ 46340, so every partial sum of x̃·c̃ is below
// 2³¹ (Cauchy–Schwarz). The bound on the rounding error and the candidates'
// rescoring in Float are RoundedKernel.c's and the caller's, as for bfloat16.
// Written by hand: no BLAS offers an int16 product with rows read in place.
#include "Int16Kernel.h"
#include "PrefetchStream.h"

#include <math.h>
#include <string.h>

// Built when the build's target CPU has AVX2 and FMA (as RoundedKernel.c's bfloat16).
#if defined(__x86_64__) && defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define I16_TARGET __attribute__((target("avx2,fma")))
#define I16_BUILT 1
#else
#define I16_BUILT 0
#endif

int clus_i16_available(void) {
#if I16_BUILT
    static int known = -1;   // a benign race: every thread finds the same
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 0;
    }
    return known;
#else
    return 0;
#endif
}

// Scales stay within 2^±60, so a product's scale 2^-(e_x + e_c) is a normal Float.
enum { scale_limit = 60 };

#if I16_BUILT
// The largest stored length: |x̃|² ≤ 46340² < 2³¹ / 1, so |x̃||c̃| < 2³¹.
static const double norm_cap = 46340;

static inline double sum4(__m256d v) {
    __m128d h = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
}

// y = x − origin in Float for values t ..< t + 8 (zeros past d), and the same in Double.
I16_TARGET static inline __m256 difference(const float *x, const float *origin, int t, int d) {
    if (t + 8 <= d) return _mm256_sub_ps(_mm256_loadu_ps(x + t), _mm256_loadu_ps(origin + t));
    float a[8] = {0}, b[8] = {0};
    for (int i = 0; t + i < d; i++) { a[i] = x[t + i]; b[i] = origin[t + i]; }
    return _mm256_sub_ps(_mm256_loadu_ps(a), _mm256_loadu_ps(b));
}

I16_TARGET static inline __m256d exact_half(const float *x, const float *origin, int t, int d, int high) {
    float a[4] = {0}, b[4] = {0};
    int base = t + 4 * high;
    if (base + 4 <= d) return _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + base)), _mm256_cvtps_pd(_mm_loadu_ps(origin + base)));
    for (int i = 0; base + i < d; i++) { a[i] = x[base + i]; b[i] = origin[base + i]; }
    return _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(a)), _mm256_cvtps_pd(_mm_loadu_ps(b)));
}

// One row (or centre) less `origin`, scaled by 2^e and rounded to int16; its
// rounded length |x̃ 2^-e|, residual length and |x − origin|² (real
// arithmetic, in Double, from the Float inputs) and the scale 2^-e. A row
// too large for 2^-60 gets an infinite length (the caller refuses the copy).
// By hand in AVX2: the compiler keeps Double sums in order, one value at a time.
I16_TARGET static void convert_row(const float *x, int d, const float *origin, int length, int16_t *out,
                                   double *rounded, double *residual, double *square, float *scale) {
    __m256 sign = _mm256_set1_ps(-0.0f), top = _mm256_setzero_ps();
    __m256d s2 = _mm256_setzero_pd();
    for (int t = 0; t < d; t += 8) {
        __m256 y = difference(x, origin, t, d);
        top = _mm256_max_ps(top, _mm256_andnot_ps(sign, y));
        __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(y)), hi = _mm256_cvtps_pd(_mm256_extractf128_ps(y, 1));
        s2 = _mm256_fmadd_pd(lo, lo, _mm256_fmadd_pd(hi, hi, s2));
    }
    float tops[8];
    _mm256_storeu_ps(tops, top);
    double largest = 0, norm2 = sum4(s2);
    for (int i = 0; i < 8; i++) largest = fmax(largest, (double)tops[i]);
    int e = scale_limit;
    if (largest > 0) {
        // The rounding adds at most 1/2 per value: room is left for it.
        double room = fmin(32766.0 / largest, (norm_cap - 0.5 * sqrt((double)d) - 1) / sqrt(norm2));
        int k;
        frexp(room, &k);   // room = f 2^k, f in [1/2, 1): 2^(k−1) ≤ room
        e = k - 1 < scale_limit ? k - 1 : scale_limit;
    }
    for (;;) {
        if (e < -scale_limit || !isfinite(norm2)) {
            *rounded = *residual = *square = INFINITY;
            *scale = 1;
            memset(out, 0, (size_t)length * sizeof(int16_t));
            return;
        }
        __m256 up = _mm256_set1_ps(ldexpf(1, e)), limit = _mm256_set1_ps(32767);
        __m256d down = _mm256_set1_pd(ldexp(1, -e));
        __m256d r2 = _mm256_setzero_pd(), e2 = r2, q2 = r2, stored2 = r2;
        int t = 0;
        for (; t < d; t += 8) {
            // Exact scaling by a power of two, rounded to nearest even (the default mode).
            __m256 v = _mm256_round_ps(_mm256_mul_ps(difference(x, origin, t, d), up), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            v = _mm256_max_ps(_mm256_sub_ps(_mm256_setzero_ps(), limit), _mm256_min_ps(limit, v));
            __m256i q = _mm256_cvtps_epi32(v);
            __m128i packed = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
            _mm_storeu_si128((__m128i *)(out + t), packed);   // t + 8 ≤ length: length is d rounded up to 32
            for (int half = 0; half < 2; half++) {
                __m256d qd = _mm256_cvtps_pd(half ? _mm256_extractf128_ps(v, 1) : _mm256_castps256_ps128(v));
                __m256d h = _mm256_mul_pd(qd, down), y = exact_half(x, origin, t, d, half), r = _mm256_sub_pd(y, h);
                stored2 = _mm256_fmadd_pd(qd, qd, stored2);
                r2 = _mm256_fmadd_pd(h, h, r2);
                e2 = _mm256_fmadd_pd(r, r, e2);
                q2 = _mm256_fmadd_pd(y, y, q2);
            }
        }
        for (; t < length; t++) out[t] = 0;
        if (sum4(stored2) > norm_cap * norm_cap) { e -= 1; continue; }   // not expected: room was left
        *rounded = sqrt(sum4(r2)) * (1 + 0x1p-40);
        *residual = sqrt(sum4(e2)) * (1 + 0x1p-40);
        *square = sum4(q2);
        *scale = (float)ldexp(1, -e);
        return;
    }
}
#else
static void convert_row(const float *x, int d, const float *origin, int length, int16_t *out,
                        double *rounded, double *residual, double *square, float *scale) {
    (void)x; (void)d; (void)origin;
    memset(out, 0, (size_t)length * sizeof(int16_t));
    *rounded = *residual = *square = INFINITY;   // never used: clus_i16_available() is 0
    *scale = 1;
}
#endif

void clus_i16_rows(const float *rows, long count, int d, const float *origin, int length, int16_t *out,
                   double *rounded, double *residual, double *square, float *scale) {
    for (long i = 0; i < count; i++)
        convert_row(rows + i * (long)d, d, origin, length, out + i * (long)length, rounded + i, residual + i,
                    square + i, scale + i);
}

void clus_i16_pack(const float *centres, int k, int d, const float *origin, int length, int16_t *out,
                   int16_t *rows, double *rounded, double *residual, double *square, float *scale) {
    int panels = (k + 15) / 16, pairs = length / 2;
    memset(out, 0, (size_t)panels * 16 * length * sizeof(int16_t));
    for (int j = 0; j < k; j++) {
        int16_t *row = rows + (long)j * length;
        convert_row(centres + (long)j * d, d, origin, length, row, rounded + j, residual + j, square + j, scale + j);
        // Panel j / 16, pair p: 16 columns of (value 2p, value 2p + 1), as vpmaddwd reads them.
        int16_t *panel = out + (long)(j / 16) * 16 * length;
        for (int p = 0; p < pairs; p++) {
            panel[(long)p * 32 + (j % 16) * 2] = row[2 * p];
            panel[(long)p * 32 + (j % 16) * 2 + 1] = row[2 * p + 1];
        }
    }
}

#if I16_BUILT
I16_TARGET static float dot(const int16_t *x, const int16_t *y, int length) {
    __m256i a = _mm256_setzero_si256(), b = a;
    int t = 0;
    for (; t + 32 <= length; t += 32) {
        a = _mm256_add_epi32(a, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(x + t)),
                                                  _mm256_loadu_si256((const __m256i *)(y + t))));
        b = _mm256_add_epi32(b, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(x + t + 16)),
                                                  _mm256_loadu_si256((const __m256i *)(y + t + 16))));
    }
    for (; t < length; t += 16)
        a = _mm256_add_epi32(a, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(x + t)),
                                                  _mm256_loadu_si256((const __m256i *)(y + t))));
    __m256i s = _mm256_add_epi32(a, b);
    __m128i h = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4E));
    h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0xB1));
    return (float)_mm_cvtsi128_si32(h);   // exact in int32; one rounding to Float
}

// `rows` (2, 4 or 6) rows read in place × `nv` (1 or 2) vectors of 8
// columns: per pair of dimensions one 32-bit broadcast per row and one load
// per vector. Six rows fill AVX2's 16 registers (12 sums, 2 vectors, the
// broadcast) and share each vector load among more multiply-adds: on Zen 3,
// 0.83–0.86 of the core's vpmaddwd rate against 0.73–0.82 with four
// (medians of 15, microbenchmark at k = 1000, d = 512). On Zen 4 (VNNI runs
// there, not this) four and six rows had timed alike.
I16_TARGET static inline __attribute__((always_inline))
void block(const int16_t *const *r, const int16_t *b, int pairs, float *c, int ldc, const float *rs, const float *cs,
           const int rows, const int nv) {
    __m256i a[6][2];
    const int32_t *p[6];
    for (int i = 0; i < rows; i++) {
        a[i][0] = a[i][1] = _mm256_setzero_si256();
        p[i] = (const int32_t *)r[i];
    }
    for (int t = 0; t < pairs; t++) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)(b + (long)t * 32));
        __m256i b1 = nv > 1 ? _mm256_loadu_si256((const __m256i *)(b + (long)t * 32 + 16)) : b0;
        for (int i = 0; i < rows; i++) {
            __m256i x = _mm256_set1_epi32(p[i][t]);
            a[i][0] = _mm256_add_epi32(a[i][0], _mm256_madd_epi16(x, b0));
            if (nv > 1) a[i][1] = _mm256_add_epi32(a[i][1], _mm256_madd_epi16(x, b1));
        }
    }
    // Exact sums, one rounding to Float, then the two scales (powers of two: exact while normal).
    __m256 s0 = _mm256_loadu_ps(cs), s1 = nv > 1 ? _mm256_loadu_ps(cs + 8) : s0;
    for (int i = 0; i < rows; i++) {
        __m256 ri = _mm256_set1_ps(rs[i]);
        _mm256_storeu_ps(c + (long)i * ldc, _mm256_mul_ps(_mm256_cvtepi32_ps(a[i][0]), _mm256_mul_ps(ri, s0)));
        if (nv > 1) _mm256_storeu_ps(c + (long)i * ldc + 8, _mm256_mul_ps(_mm256_cvtepi32_ps(a[i][1]), _mm256_mul_ps(ri, s1)));
    }
}

// The rows in blocks of six, the last few in one block of 2, 4 or 6: the
// caller's list is padded to a multiple of 8, and a block reads past
// `row_count` only into that padding (6f + 5 rows are odd, so their multiple
// of 8 is at least 6f + 6; 6f + 1 and 6f + 3 likewise reach 6f + 2 and 6f + 4).
I16_TARGET static void tile(const int16_t *const *rows, int row_count, const int16_t *packed, int column_count,
                            int length, float *c, int ldc, const float *row_scale, const float *column_scale,
                            const void *prefetch, long prefetch_bytes) {
    int full = row_count / 6, left = row_count - 6 * full, last = left == 0 ? 0 : left <= 2 ? 2 : left <= 4 ? 4 : 6;
    int row_blocks = full + (last > 0), panels = (column_count + 15) / 16, pairs = length / 2;
    clus_prefetch_stream ahead = clus_prefetch_stream_make(prefetch, prefetch_bytes, (long)row_blocks * panels);
    for (int q = 0; q < panels; q++) {
        const int16_t *bq = packed + (long)q * 16 * length;
        const float *cs = column_scale + q * 16;
        int two = column_count - q * 16 > 8;   // the last panel computes one vector when its columns fit in one
        for (int p = 0; p < row_blocks; p++) {
            clus_prefetch_step(&ahead);
            const int16_t *const *r = rows + p * 6;
            float *cp = c + (long)p * 6 * ldc + q * 16;
            const float *rs = row_scale + p * 6;
            int count = p < full ? 6 : last;
            // Each shape compiled apart, its loops unrolled and its sums in registers.
            if (count == 6 && two) block(r, bq, pairs, cp, ldc, rs, cs, 6, 2);
            else if (count == 6) block(r, bq, pairs, cp, ldc, rs, cs, 6, 1);
            else if (count == 4 && two) block(r, bq, pairs, cp, ldc, rs, cs, 4, 2);
            else if (count == 4) block(r, bq, pairs, cp, ldc, rs, cs, 4, 1);
            else if (two) block(r, bq, pairs, cp, ldc, rs, cs, 2, 2);
            else block(r, bq, pairs, cp, ldc, rs, cs, 2, 1);
        }
    }
}
#endif

// With AVX512_VNNI (Intel since Ice Lake, AMD Zen 4): vpdpwssd does 32
// multiply-adds and their add in one instruction, and 32 registers hold an
// 8-row × 32-column block (two panels). Measured on a Sapphire Rapids-class
// Xeon, the AVX2 block above leaves that core's second 512-bit port idle.
#if I16_BUILT && defined(__AVX512BW__) && defined(__AVX512VNNI__)
#define I16_VNNI_BUILT 1
#define I16_VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma")))

static int vnni_available(void) {
    static int known = -1;   // a benign race, as above
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw") ? 1 : 0;
    }
    return known;
}

// 8 rows × `nv` (1 or 2) panels of 16 columns: per pair of dimensions one
// 32-bit broadcast per row and one load per panel.
I16_VNNI_TARGET static inline __attribute__((always_inline))
void vnni_block(const int16_t *const *r, const int16_t *b, long panel, int pairs, float *c, int ldc, const float *rs,
                const float *cs, const int nv) {
    __m512i a00 = _mm512_setzero_si512(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    __m512i a40 = a00, a41 = a00, a50 = a00, a51 = a00, a60 = a00, a61 = a00, a70 = a00, a71 = a00;
    const int32_t *p0 = (const int32_t *)r[0], *p1 = (const int32_t *)r[1], *p2 = (const int32_t *)r[2],
                  *p3 = (const int32_t *)r[3], *p4 = (const int32_t *)r[4], *p5 = (const int32_t *)r[5],
                  *p6 = (const int32_t *)r[6], *p7 = (const int32_t *)r[7];
    for (int t = 0; t < pairs; t++) {
        __m512i b0 = _mm512_loadu_si512(b + (long)t * 32);
        __m512i b1 = nv > 1 ? _mm512_loadu_si512(b + panel + (long)t * 32) : b0;
        __m512i x;
#define I16_VROW(i)                                                   \
        x = _mm512_set1_epi32(p##i[t]);                               \
        a##i##0 = _mm512_dpwssd_epi32(a##i##0, x, b0);                \
        if (nv > 1) a##i##1 = _mm512_dpwssd_epi32(a##i##1, x, b1);
        I16_VROW(0) I16_VROW(1) I16_VROW(2) I16_VROW(3) I16_VROW(4) I16_VROW(5) I16_VROW(6) I16_VROW(7)
#undef I16_VROW
    }
    // Exact sums, one rounding to Float, then the two scales (powers of two: exact while normal).
    __m512 s0 = _mm512_loadu_ps(cs), s1 = nv > 1 ? _mm512_loadu_ps(cs + 16) : s0;
#define I16_VSTORE(i)                                                                                        \
    {                                                                                                        \
        __m512 ri = _mm512_set1_ps(rs[i]);                                                                   \
        _mm512_storeu_ps(c + (long)i * ldc, _mm512_mul_ps(_mm512_cvtepi32_ps(a##i##0), _mm512_mul_ps(ri, s0))); \
        if (nv > 1)                                                                                          \
            _mm512_storeu_ps(c + (long)i * ldc + 16, _mm512_mul_ps(_mm512_cvtepi32_ps(a##i##1), _mm512_mul_ps(ri, s1))); \
    }
    I16_VSTORE(0) I16_VSTORE(1) I16_VSTORE(2) I16_VSTORE(3) I16_VSTORE(4) I16_VSTORE(5) I16_VSTORE(6) I16_VSTORE(7)
#undef I16_VSTORE
}

// Rows come in multiples of 8 (the caller pads the list), columns in
// panels of 16 taken two at a time.
I16_VNNI_TARGET static void vnni_tile(const int16_t *const *rows, int row_count, const int16_t *packed, int column_count,
                                      int length, float *c, int ldc, const float *row_scale, const float *column_scale,
                                      const void *prefetch, long prefetch_bytes) {
    int row_blocks = (row_count + 7) / 8, wide = (column_count + 31) / 32, pairs = length / 2;
    long panel = 16L * length;
    clus_prefetch_stream ahead = clus_prefetch_stream_make(prefetch, prefetch_bytes, (long)row_blocks * wide);
    for (int q = 0; q < wide; q++) {
        const int16_t *bq = packed + (long)q * 2 * panel;
        int two = column_count - q * 32 > 16;   // the last pair of panels may be one
        for (int p = 0; p < row_blocks; p++) {
            clus_prefetch_step(&ahead);
            float *cp = c + (long)p * 8 * ldc + q * 32;
            if (two) vnni_block(rows + p * 8, bq, panel, pairs, cp, ldc, row_scale + p * 8, column_scale + q * 32, 2);
            else vnni_block(rows + p * 8, bq, panel, pairs, cp, ldc, row_scale + p * 8, column_scale + q * 32, 1);
        }
    }
}
#else
#define I16_VNNI_BUILT 0
#endif

float clus_i16_dot(const int16_t *x, const int16_t *y, int length) {
#if I16_BUILT
    return dot(x, y, length);
#else
    (void)x; (void)y; (void)length;
    return 0;
#endif
}

void clus_i16_rows_tile(const int16_t *const *rows, int row_count, const int16_t *packed, int column_count, int length,
                        float *c, int ldc, const float *row_scale, const float *column_scale,
                        const void *prefetch, long prefetch_bytes) {
#if I16_VNNI_BUILT
    if (vnni_available()) {
        vnni_tile(rows, row_count, packed, column_count, length, c, ldc, row_scale, column_scale, prefetch, prefetch_bytes);
        return;
    }
#endif
#if I16_BUILT
    tile(rows, row_count, packed, column_count, length, c, ldc, row_scale, column_scale, prefetch, prefetch_bytes);
#else
    (void)rows; (void)row_count; (void)packed; (void)column_count; (void)length; (void)c; (void)ldc;
    (void)row_scale; (void)column_scale; (void)prefetch; (void)prefetch_bytes;
#endif
}
