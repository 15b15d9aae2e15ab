// Lane-wise math on Swift's SIMD types, where Swift has no vector form.
//
// Swift's SIMD8<Float>.squareRoot() compiles to eight scalar square roots,
// each with a call to libm's sqrtf for negative input (errno); the silhouette's
// euclidean distances spent about a quarter of their time there. Clang's
// elementwise builtin is one vsqrtps. ext_vector_type(8) float is what Swift
// imports as SIMD8<Float>, and a static inline function is inlined into Swift.
#ifndef CVECTORMATH_H
#define CVECTORMATH_H

typedef float clus_float8 __attribute__((ext_vector_type(8)));

static inline __attribute__((always_inline)) clus_float8 clus_sqrt8(clus_float8 v) {
    return __builtin_elementwise_sqrt(v);
}

#endif
