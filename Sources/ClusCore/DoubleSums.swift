// Float32 (or float64) values added into Double sums, eight lanes at a time:
// the centroid pass of the centroid indices, the silhouette's column sums
// and k-means' centre sums all keep their totals this way; and a row's
// squared distance to a Double centre, which the centroid indices and the
// sqeuclidean silhouette share.

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

/// `sums[j] += Double(rows[r * stride + j])` for each of `count` rows in
/// turn, `j` in `0 ..< columns`: each column's sum gets the rows in order,
/// as `addWidened` row by row would, but the sums stay in registers across
/// the rows (the silhouette's column side, a band of a tile at a time).
@inline(__always)
func addRowsWidened(_ rows: UnsafePointer<Float>, stride: Int, count: Int, to sums: UnsafeMutablePointer<Double>,
                    columns: Int) {
    var j = 0
    // four independent sums a step: the adds of one column wait on each other
    while j + 32 <= columns {
        let slot = UnsafeMutableRawPointer(sums + j)
        var a = slot.loadUnaligned(as: SIMD8<Double>.self)
        var b = slot.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
        var c = slot.loadUnaligned(fromByteOffset: 128, as: SIMD8<Double>.self)
        var e = slot.loadUnaligned(fromByteOffset: 192, as: SIMD8<Double>.self)
        for r in 0 ..< count {
            let line = rows + r * stride + j
            a += widened(line)
            b += widened(line + 8)
            c += widened(line + 16)
            e += widened(line + 24)
        }
        slot.storeBytes(of: a, as: SIMD8<Double>.self)
        slot.storeBytes(of: b, toByteOffset: 64, as: SIMD8<Double>.self)
        slot.storeBytes(of: c, toByteOffset: 128, as: SIMD8<Double>.self)
        slot.storeBytes(of: e, toByteOffset: 192, as: SIMD8<Double>.self)
        j += 32
    }
    for r in 0 ..< count { addWidened(rows + r * stride + j, to: sums + j, count: columns - j) }
}

/// Squared euclidean distance of a row to a Double centroid, in Double, from
/// the differences (the centroid indices' distances, the sqeuclidean
/// silhouette's cluster sums).
@inline(__always)
func squaredDistance<S: BinaryFloatingPoint & SIMDScalar>(_ row: UnsafePointer<S>, toCentre centroid: UnsafePointer<Double>, _ d: Int) -> Double {
    // two accumulators: the adds of one row do not wait on each other
    var a = SIMD8<Double>(), b = SIMD8<Double>()
    var j = 0
    while j + 16 <= d {
        let p = widened(row + j) - UnsafeRawPointer(centroid + j).loadUnaligned(as: SIMD8<Double>.self)
        let q = widened(row + j + 8) - UnsafeRawPointer(centroid + j + 8).loadUnaligned(as: SIMD8<Double>.self)
        a += p * p
        b += q * q
        j += 16
    }
    var s = (a + b).sum()
    while j < d {
        let diff = Double(row[j]) - centroid[j]
        s += diff * diff
        j += 1
    }
    return s
}
