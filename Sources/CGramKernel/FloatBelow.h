// A lower bound computed in Double, kept as a Float that is still one: the
// Yinyang group bounds of the Float and the rounded full scans share it.
#ifndef CLUS_FLOAT_BELOW_H
#define CLUS_FLOAT_BELOW_H

#include <stdint.h>
#include <string.h>

// d (≥ 0, or +infinity) rounded down to a Float: the nearest one, or the one
// below it when the nearest lies above d (then it is above 0: one step down
// is one less in its bits).
static inline float clus_float_below(double d) {
    float f = (float)d;
    if ((double)f > d) {
        uint32_t bits;
        memcpy(&bits, &f, sizeof bits);
        bits -= 1;
        memcpy(&f, &bits, sizeof f);
    }
    return f;
}

#endif
