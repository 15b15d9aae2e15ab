// Float32 (or float64) values added into Double sums, eight lanes at a time:
// the centroid pass of the centroid indices, the silhouette's column sums
// and k-means' centre sums all keep their totals this way.

/// Eight values from `p`, widened to Double.
@inline(__always)
func widened<S: BinaryFloatingPoint & SIMDScalar>(_ p: UnsafePointer<S>) -> SIMD8<Double> {
    SIMD8<Double>(UnsafeRawPointer(p).loadUnaligned(as: SIMD8<S>.self))
}

/// `sums[i] += Double(values[i])` for `i` in `0 ..< count`, in SIMD8 steps.
@inline(__always)
func addWidened<S: BinaryFloatingPoint & SIMDScalar>(_ values: UnsafePointer<S>, to sums: UnsafeMutablePointer<Double>, count: Int) {
    var i = 0
    while i + 8 <= count {
        let slot = UnsafeMutableRawPointer(sums + i)
        slot.storeBytes(of: slot.loadUnaligned(as: SIMD8<Double>.self) + widened(values + i), as: SIMD8<Double>.self)
        i += 8
    }
    while i < count {
        sums[i] += Double(values[i])
        i += 1
    }
}
