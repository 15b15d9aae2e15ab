// OpenBLAS's sgemm for the exact euclidean silhouette's Gram tiles
// (Debian: libopenblas-pthread-dev, whose allocator is safe to call from
// several threads; clus runs each call single-threaded).
#include <cblas.h>
