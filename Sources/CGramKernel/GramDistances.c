// The exact euclidean silhouette's distances from a tile row of dot products.
// Written in C rather than with Swift's SIMD types: Swift split the 16-lane
// vectors into 8-lane halves joined again around one vsqrtps, and the square
// root itself (12 cycles a 16-lane vector on Intel's AVX-512 cores) took
// about half of this pass; with AVX-512 it is an approximate reciprocal
// square root and one Newton step on the FMA units (see `lane_roots`).

#include "CGramKernel.h"

#include <math.h>

#if defined(__AVX512F__)
#include <immintrin.h>

// √v for v ≥ 0 within an ulp: r ≈ 1/√v to 2⁻¹⁴ (vrsqrt14ps), s = v·r, then
// s + (v − s²)·r/2, whose error is the square of r's (2⁻²⁸) plus the last
// rounding. 0 and +∞ are kept as they are (r is +∞ and 0 there), as is NaN.
// The Gram products themselves err by about 2⁻²⁴·√d·‖x‖‖y‖, far more than
// this, so the distances' accuracy is unchanged.
static inline __m512 lane_roots(__m512 v) {
    __m512 r = _mm512_rsqrt14_ps(v);
    __m512 s = _mm512_mul_ps(v, r);
    __m512 half = _mm512_mul_ps(r, _mm512_set1_ps(0.5f));
    __m512 e = _mm512_fnmadd_ps(s, s, v);
    s = _mm512_fmadd_ps(e, half, s);
    __mmask16 inside = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NEQ_UQ)
                     & _mm512_cmp_ps_mask(v, _mm512_set1_ps(INFINITY), _CMP_NEQ_UQ);
    return _mm512_mask_blend_ps(inside, v, s);
}

long clus_gram_distances(float *line, long count, float norm, const float *norms, int32_t *close) {
    const __m512 nx = _mm512_set1_ps(norm), zero = _mm512_setzero_ps();
    const __m512 two = _mm512_set1_ps(2), share = _mm512_set1_ps(1.0f / 32);
    long found = 0;
    for (long j = 0; j < count; j += 16) {
        __mmask16 valid = count - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (count - j)) - 1);
        __m512 total = _mm512_add_ps(nx, _mm512_maskz_loadu_ps(valid, norms + j));
        __m512 d2 = _mm512_fnmadd_ps(two, _mm512_maskz_loadu_ps(valid, line + j), total);
        d2 = _mm512_max_ps(zero, d2);   // negative rounding to 0; NaN kept (the second operand)
        __mmask16 near = _mm512_mask_cmp_ps_mask(valid, d2, _mm512_mul_ps(total, share), _CMP_LT_OQ);
        _mm512_mask_storeu_ps(line + j, valid, lane_roots(d2));
        while (near) {
            close[found++] = (int32_t)(j + __builtin_ctz(near));
            near &= near - 1;
        }
    }
    return found;
}

#else

typedef float lanes __attribute__((ext_vector_type(8)));
typedef float lanes_u __attribute__((ext_vector_type(8), aligned(4)));
typedef int32_t lane_flags __attribute__((ext_vector_type(8)));

// The close columns are rare (none in most tiles): one vector test per 8
// columns, the lanes looked at only when one is set. Looking at every lane
// (a scalar compare and branch each) was 45% of this function's samples and
// most of its 4.8% of the 50,000 × 512 pass on AMD Zen 3.
long clus_gram_distances(float *line, long count, float norm, const float *norms, int32_t *close) {
    long found = 0, j = 0;
    for (; j + 8 <= count; j += 8) {
        lanes total = norm + *(const lanes_u *)(norms + j);
        lanes d2 = total - 2 * *(const lanes_u *)(line + j);
        d2 = d2 < 0 ? (lanes)0 : d2;   // NaN kept
        lane_flags near = d2 < total * (1.0f / 32);   // -1 where close; never for NaN
        *(lanes_u *)(line + j) = __builtin_elementwise_sqrt(d2);
        if (__builtin_reduce_or(near))
            for (int l = 0; l < 8; l++)
                if (near[l]) close[found++] = (int32_t)(j + l);
    }
    for (; j < count; j++) {
        float total = norm + norms[j], d2 = total - 2 * line[j];
        if (d2 < 0) d2 = 0;
        line[j] = sqrtf(d2);
        if (d2 < total * (1.0f / 32)) close[found++] = (int32_t)j;
    }
    return found;
}

#endif
