// The functions are static inline in include/CVectorMath.h; SwiftPM wants a source file.
