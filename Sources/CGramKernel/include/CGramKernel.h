// Blocks of dot products between rows packed once, for the exact euclidean
// silhouette: clus's own GEMM micro-kernel.
//
// Written by hand because a BLAS's sgemm packs both operands again on every
// call (about 9% of the silhouette's time with OpenBLAS), and because the
// BLAS found on a machine may not know its CPU. Here the rows are packed
// once for the whole pass, and the register block is chosen when compiling
// for the machine (-march=native): 8 rows × 32 columns with AVX-512 (16 of
// its 32 registers accumulate), 4 × 24 with AVX2 (12 of 16), 4 × 16 with
// NEON (16 of 32), which keeps the FMA units busy and the loads within what
// the cores can issue. Measured on AMD Zen 4, one core, 512 × 512 × 512: 115
// GFLOP/s with AVX-512, 108 with AVX2 (OpenBLAS's sgemm 105 with packing).
// Both sides of a tile read one packed layout (panels of NR rows; MR divides
// NR), so the pass holds one packed copy of the documents.
#ifndef CGRAMKERNEL_H
#define CGRAMKERNEL_H

#include <stddef.h>
#include <stdint.h>

/// Rows per row panel (the register block's height).
int clus_gram_rows_per_panel(void);

/// Columns per column panel (the register block's width).
int clus_gram_columns_per_panel(void);

/// Floats per vector on the column side: the last column panel is computed
/// in whole vectors only, so `column_count` rounded up to this is written.
int clus_gram_columns_per_vector(void);

/// The instruction set the kernel was compiled for: "AVX-512", "AVX2", "NEON" or "generic".
const char *clus_gram_instructions(void);

/// Packs `count` rows of `d` values (row `p` is `rows + order[p] * d`) into
/// panels of `per_panel` rows (the column panel width, for the kernel), dimension-major inside a panel:
/// out[(p / per_panel) * d * per_panel + t * per_panel + p % per_panel].
/// The last panel is padded with zeros; `out` holds
/// ceil(count / per_panel) * per_panel * d floats.
void clus_gram_pack(const float *rows, const long *order, long count, int d, int per_panel, float *out);

/// c[i * ldc + j] = row i · column j for i < row_count, j < column_count,
/// rounded up to whole blocks (the caller's buffer has room for them): `a`
/// and `b` point at the panels holding the first row and the first column,
/// both at the start of a panel.
void clus_gram_tile(const float *a, int row_count, const float *b, int column_count, int d, float *c, int ldc);

/// c[i * ldc + j] = rows[i] · column j, like `clus_gram_tile`, but the rows
/// are read in place through pointers (no packing; `rows` holds row_count
/// pointers rounded up to a multiple of the rows per block, the extra ones
/// repeating a real row, and `c` has room for those rows), and the columns
/// are written up to column_count rounded up to whole vectors. The
/// `prefetch_bytes` from `prefetch` (may be NULL) are prefetched on the way.
void clus_gram_rows_tile(const float *const *rows, int row_count, const float *b, int column_count, int d,
                         float *c, int ldc, const void *prefetch, long prefetch_bytes);

/// How many of `count` columns `clus_rows_dots` should take from
/// `clus_gram_rows_tile`: the last panel's when they fill at most one
/// vector (the register block would then run at a fraction of its width
/// for a full block's cost), with AVX-512 and AVX2; 0 otherwise.
int clus_gram_tail_columns(int count);

/// c[i * ldc + j] = rows[i] · centres[j] for i < row_count, j < count, the
/// centres row-major (`d` floats each): dot products along d, a few rows
/// by a few centres at a time, each vector lane a useful product. For the
/// few columns of the last panel (see `clus_gram_tail_columns`).
void clus_rows_dots(const float *const *rows, int row_count, const float *centres, int count, int d, float *c, int ldc);

/// One document's full scan, from its products with k centres (`s`, in the
/// centres' group order): turns them into scores bias[q] − 2 s[q] in place
/// and returns the position of the lowest (the first on ties; 0 when none is
/// a number); `near` counts the scores within `window` of the lowest (at
/// least 1), `finite` tells whether every score is finite.
int clus_scores_lowest(float *s, const float *bias, int k, double window, int *near, int *finite);

/// Per group g (positions start[g] ..< start[g + 1] of the scores `s`), the
/// lowest score but the one at `excluded` (+infinity when none); with
/// `finite` false a non-finite score counts as −infinity.
void clus_group_minima(float *s, const long *start, int groups, int excluded, int finite, float *out);


// ---- k-means' full scan in bfloat16 (Bfloat16Kernel.c) ----

/// Whether the CPU that runs has the bfloat16 dot products (AVX512_BF16); 0 on other architectures.
int clus_bf16_available(void);

/// Asks for `bytes` from `start` to be brought into cache (a hint).
void clus_prefetch(const void *start, long bytes);

/// Values per stored row of `d` dimensions: d rounded up to 32 (zero padded).
int clus_bf16_row_length(int d);

/// Each of `count` rows of `d` Floats less `origin`, rounded to bfloat16
/// (nearest even; denormals to zero) into `length` values at `out + i * length`;
/// per row, in real arithmetic: the length of the stored row (`rounded`), of
/// what rounding left out (`residual`), both rounded up slightly, and |x − origin|² (`square`).
void clus_bf16_rows(const float *rows, long count, int d, const float *origin, int length, uint16_t *out,
                    double *rounded, double *residual, double *square);

/// As `clus_bf16_rows` for k centres (row-major, `d` each) into `rows`
/// (k × length), and again in panels of 32 columns as `clus_bf16_rows_tile`
/// reads them: panel j / 32 at out + (j / 32) * 32 * length, pair p of centre
/// j at [p * 64 + (j % 32) * 2].
void clus_bf16_pack(const float *centres, int k, int d, const float *origin, int length, uint16_t *out,
                    uint16_t *rows, double *rounded, double *residual, double *square);

/// Per group g, the group's lowest score but the one at `excluded`, plus
/// `shift`, as a distance: √max(0, low + shift) rounded down to Float (every
/// step rounded down; +infinity for a group with no other centre). The
/// bfloat16 scan's group lower bounds, written to `out`.
void clus_bf16_group_bounds(float *s, const long *start, int groups, int excluded, double shift, float *out);

/// x · y of two stored rows of `length` (a multiple of 32) bfloat16 values, with Float sums.
float clus_bf16_dot(const uint16_t *x, const uint16_t *y, int length);

/// c[i * ldc + j] = rows[i] · centre j in bfloat16 with Float sums, for
/// i < row_count (rounded up to 8: `rows` repeats a real row to fill) and j
/// < column_count rounded up to 16 (`c` has room). Prefetches as `clus_gram_rows_tile`.
void clus_bf16_rows_tile(const uint16_t *const *rows, int row_count, const uint16_t *packed, int column_count,
                         int length, float *c, int ldc, const void *prefetch, long prefetch_bytes);

/// One document's candidates from its bfloat16 products `p` with k centres:
/// score s = bias − 2p, error bound e = alpha·residual + beta·rounded + slack
/// (per centre); writes s − e into `p`, lists in `list` every centre with
/// s − e ≤ min(s + e) + window and returns how many; −1 when a score or the
/// window is not finite. `list` has room for k + 16 (whole vectors are stored).
int clus_bf16_candidates(float *p, const float *bias, const float *residual, const float *rounded, const float *slack,
                         float alpha, float beta, float window, int k, int *list);

#endif
