// OpenBLAS's sgemm for the exact euclidean silhouette's Gram tiles
// (Debian: libopenblas-serial-dev; any OpenBLAS build links).
#include <cblas.h>
