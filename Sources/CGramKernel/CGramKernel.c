#include "CGramKernel.h"

#include <string.h>

typedef float v16 __attribute__((ext_vector_type(16)));
typedef float v16u __attribute__((ext_vector_type(16), aligned(4)));

#if defined(__AVX512F__)
#define MR 8
#define NR 32
#define INSTRUCTIONS "AVX-512"
#elif defined(__AVX2__) && defined(__FMA__)
#define MR 4
#define NR 24
#define INSTRUCTIONS "AVX2"
#elif defined(__ARM_NEON)
#define MR 4
#define NR 16
#define INSTRUCTIONS "NEON"
#else
#define MR 2
#define NR 16
#define INSTRUCTIONS "generic"
#endif

int clus_gram_rows_per_panel(void) { return MR; }
int clus_gram_columns_per_panel(void) { return NR; }
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

// A block of MR rows × NR columns from panels of NR rows (one layout serves
// both sides): `a` is the rows' first value in their panel, read at stride NR.
#if NR == 32
// 2·MR accumulators, two column loads and MR broadcasts per dimension.
static void block(const float *a, const float *b, int d, float *c, int ldc) {
    v16 acc[MR][2];
    for (int i = 0; i < MR; i++) acc[i][0] = acc[i][1] = (v16)0;
    for (int t = 0; t < d; t++) {
        v16 b0 = LOAD16(b + (long)t * NR), b1 = LOAD16(b + (long)t * NR + 16);
        const float *at = a + (long)t * NR;
#pragma unroll
        for (int i = 0; i < MR; i++) {
            v16 ai = (v16)at[i];
            acc[i][0] += ai * b0;
            acc[i][1] += ai * b1;
        }
    }
    for (int i = 0; i < MR; i++) {
        STORE16(c + (long)i * ldc, acc[i][0]);
        STORE16(c + (long)i * ldc + 16, acc[i][1]);
    }
}
#elif NR == 24
// 3·MR accumulators (12 of AVX2's 16 registers), three column loads and MR broadcasts per dimension.
typedef float v8 __attribute__((ext_vector_type(8)));
typedef float v8u __attribute__((ext_vector_type(8), aligned(4)));
static void block(const float *a, const float *b, int d, float *c, int ldc) {
    v8 acc[MR][3];
    for (int i = 0; i < MR; i++) acc[i][0] = acc[i][1] = acc[i][2] = (v8)0;
    for (int t = 0; t < d; t++) {
        const float *bt = b + (long)t * NR;
        v8 b0 = *(const v8u *)bt, b1 = *(const v8u *)(bt + 8), b2 = *(const v8u *)(bt + 16);
        const float *at = a + (long)t * NR;
#pragma unroll
        for (int i = 0; i < MR; i++) {
            v8 ai = (v8)at[i];
            acc[i][0] += ai * b0;
            acc[i][1] += ai * b1;
            acc[i][2] += ai * b2;
        }
    }
    for (int i = 0; i < MR; i++) {
        float *ci = c + (long)i * ldc;
        *(v8u *)ci = acc[i][0];
        *(v8u *)(ci + 8) = acc[i][1];
        *(v8u *)(ci + 16) = acc[i][2];
    }
}
#else
// MR accumulators, one column load and MR broadcasts per dimension.
static void block(const float *a, const float *b, int d, float *c, int ldc) {
    v16 acc[MR];
    for (int i = 0; i < MR; i++) acc[i] = (v16)0;
    for (int t = 0; t < d; t++) {
        v16 b0 = LOAD16(b + (long)t * NR);
        const float *at = a + (long)t * NR;
#pragma unroll
        for (int i = 0; i < MR; i++) acc[i] += (v16)at[i] * b0;
    }
    for (int i = 0; i < MR; i++) STORE16(c + (long)i * ldc, acc[i]);
}
#endif

void clus_gram_tile(const float *a, int row_count, const float *b, int column_count, int d, float *c, int ldc) {
    int row_blocks = (row_count + MR - 1) / MR, column_panels = (column_count + NR - 1) / NR;
    // A column panel (NR × d) stays in L1/L2 while the tile's rows stream past it.
    for (int q = 0; q < column_panels; q++) {
        const float *bq = b + (long)q * d * NR;
        for (int p = 0; p < row_blocks; p++) {
            int row = p * MR;
            block(a + (long)(row / NR) * d * NR + row % NR, bq, d, c + (long)row * ldc + q * NR, ldc);
        }
    }
}
