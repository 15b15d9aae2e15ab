// Blocks of dot products between rows packed once, for the exact euclidean
// silhouette: clus's own GEMM micro-kernel.
//
// Written by hand because a BLAS's sgemm packs both operands again on every
// call (about 12% of the silhouette's time with OpenBLAS's SkylakeX core),
// and because the BLAS found on a machine may not know its CPU. Here the
// rows are packed once for the whole pass, twice over: in row panels for the
// register block's broadcasts and in column panels for its vector loads. The
// register block is chosen when compiling for the machine (-march=native):
// 14 rows × 32 columns with AVX-512 (28 of its 32 registers accumulate), 4 ×
// 24 with AVX2 (12 of 16), 4 × 16 with NEON (16 of 32), which keeps the FMA
// units busy and the loads within what the cores can issue. Which of this
// and the BLAS's sgemm a pass takes is timed at run time (KernelTiming).
#ifndef CGRAMKERNEL_H
#define CGRAMKERNEL_H

#include <stddef.h>
#include <stdint.h>

/// Rows per block of `clus_gram_rows_tile` (k-means' register block height).
int clus_gram_rows_per_panel(void);

/// Rows per row panel of `clus_gram_tile` (its register block's height).
int clus_gram_tile_rows_per_panel(void);

/// Columns per column panel (the register block's width).
int clus_gram_columns_per_panel(void);

/// Floats per vector on the column side: the last column panel is computed
/// in whole vectors only, so `column_count` rounded up to this is written.
int clus_gram_columns_per_vector(void);

/// The instruction set the kernel was compiled for: "AVX-512", "AVX2", "NEON" or "generic".
const char *clus_gram_instructions(void);

/// Packs `count` rows of `d` values (row `p` is `rows + order[p] * d`) into
/// panels of `per_panel` rows (a row or column panel of the kernel), dimension-major inside a panel:
/// out[(p / per_panel) * d * per_panel + t * per_panel + p % per_panel].
/// The last panel is padded with zeros; `out` holds
/// ceil(count / per_panel) * per_panel * d floats.
void clus_gram_pack(const float *rows, const long *order, long count, int d, int per_panel, float *out);

/// c[i * ldc + j] = row i · column j for i < row_count, j < column_count,
/// rounded up to whole blocks (the caller's buffer has room for them): `a`
/// points at the row panel (of `clus_gram_tile_rows_per_panel()` rows)
/// holding the first row, `b` at the column panel (of
/// `clus_gram_columns_per_panel()` rows) holding the first column, both
/// packed by `clus_gram_pack`.
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

/// The silhouette's distances from one tile row of dot products, in place:
/// line[j] = √max(0, norm + norms[j] − 2·line[j]) for j < count. Writes to `close`
/// the columns j whose squared distance is below (norm + norms[j]) / 32, in
/// order, and returns how many: there the Float dot product's error swamps
/// the distance, and the caller recomputes them from the differences.
long clus_gram_distances(float *line, long count, float norm, const float *norms, int32_t *close);

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

/// Each group's lower bound on the document's distance from its centres, as
/// a Float rounded down: √max(0, m_g + `square` − `slack`) from the group
/// minima m_g of `clus_group_minima` (+infinity where a group has no score).
void clus_group_lower_bounds(float *s, const long *start, int groups, int excluded, int finite, double square,
                             double slack, float *out);


// ---- k-means' full scan from rounded products (RoundedKernel.c, Int16Kernel.c) ----

/// The formats: documents and centres less the data's mean, rounded to
/// bfloat16 (AVX512_BF16's dot products) or scaled by a power of two and
/// rounded to int16 (AVX2's vpmaddwd). Both are stored as 16-bit values.
enum { CLUS_ROUNDED_NONE = 0, CLUS_ROUNDED_INT16 = 1, CLUS_ROUNDED_BFLOAT16 = 2 };

/// Whether the CPU that runs has the bfloat16 dot products (AVX512_BF16); 0 on other architectures.
int clus_bf16_available(void);

/// Whether the CPU that runs can use `format`; and the faster format it can use (NONE when neither).
int clus_rounded_supports(int format);
int clus_rounded_best_format(void);

/// Asks for `bytes` from `start` to be brought into cache (a hint).
void clus_prefetch(const void *start, long bytes);

/// Values per stored row of `d` dimensions: d rounded up to 32 (zero padded).
int clus_rounded_row_length(int d);

/// Each of `count` rows of `d` Floats less `origin`, rounded in `format`
/// into `length` values at `out + i * length` (bfloat16: nearest even,
/// denormals to zero; int16: scaled by 2^e, nearest even, |row| ≤ 46340);
/// per row, in real arithmetic: the length of the stored row as a real
/// vector (times `scale`; `rounded`), of what rounding left out (`residual`),
/// both rounded up slightly, |x − origin|² (`square`), and the factor that
/// turns stored values into real ones (`scale`: 2^−e, or 1 for bfloat16).
/// A row the format cannot hold gets infinite lengths.
void clus_rounded_rows(int format, const float *rows, long count, int d, const float *origin, int length, uint16_t *out,
                       double *rounded, double *residual, double *square, float *scale);

/// As `clus_rounded_rows` for k centres (row-major, `d` each) into `rows`
/// (k × length), and again in panels as `clus_rounded_rows_tile` reads them
/// (bfloat16: 32 columns, pair p of centre j at panel j / 32, [p * 64 + (j % 32) * 2];
/// int16: 16 columns, at panel j / 16, [p * 32 + (j % 16) * 2]); `out` has
/// room for k rounded up to 32 centres.
void clus_rounded_pack(int format, const float *centres, int k, int d, const float *origin, int length, uint16_t *out,
                       uint16_t *rows, double *rounded, double *residual, double *square, float *scale);

/// Per group g (positions start[g] ..< start[g + 1] of the scores `s`), the
/// group's lowest score but the one at `excluded`, plus `shift`, as a
/// distance: √max(0, low + shift) rounded down to Float (every step rounded
/// down; +infinity for a group with no other centre). The rounded scan's
/// group lower bounds, written to `out`.
void clus_rounded_group_bounds(float *s, const long *start, int groups, int excluded, double shift, float *out);

/// x · y of two stored rows of `length` (a multiple of 32) values, before
/// their scales: bfloat16 with Float sums; int16 exact, rounded once to Float.
float clus_rounded_dot(int format, const uint16_t *x, const uint16_t *y, int length);

/// c[i * ldc + j] = rows[i] · centre j, scaled (int16: by row_scale[i] ·
/// column_scale[j]; bfloat16 ignores both), for i < row_count (rounded up to
/// 8: `rows` and `row_scale` repeat a real row to fill) and j < column_count
/// rounded up to 16 (`c` and `column_scale` have room). Prefetches as `clus_gram_rows_tile`.
void clus_rounded_rows_tile(int format, const uint16_t *const *rows, int row_count, const uint16_t *packed,
                            int column_count, int length, float *c, int ldc, const float *row_scale,
                            const float *column_scale, const void *prefetch, long prefetch_bytes);

/// One document's candidates from its products `p` with k centres:
/// score s = bias − 2p, error bound e = alpha·residual + beta·rounded + slack
/// (per centre); writes s − e into `p`, lists in `list` every centre with
/// s − e ≤ min(s + e) + window and returns how many; −1 when a score or the
/// window is not finite. `list` has room for k + 16 (whole vectors are stored).
int clus_rounded_candidates(float *p, const float *bias, const float *residual, const float *rounded, const float *slack,
                            float alpha, float beta, float window, int k, int *list);

#endif
