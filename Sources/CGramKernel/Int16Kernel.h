// The int16 format of the rounded full scan (Int16Kernel.c), for RoundedKernel.c's dispatch.
#ifndef CLUS_INT16_KERNEL_H
#define CLUS_INT16_KERNEL_H

#include <stdint.h>

int clus_i16_available(void);
void clus_i16_rows(const float *rows, long count, int d, const float *origin, int length, int16_t *out,
                   double *rounded, double *residual, double *square, float *scale);
void clus_i16_pack(const float *centres, int k, int d, const float *origin, int length, int16_t *out,
                   int16_t *rows, double *rounded, double *residual, double *square, float *scale);
float clus_i16_dot(const int16_t *x, const int16_t *y, int length);
void clus_i16_rows_tile(const int16_t *const *rows, int row_count, const int16_t *packed, int column_count, int length,
                        float *c, int ldc, const float *row_scale, const float *column_scale,
                        const void *prefetch, long prefetch_bytes);

#endif
