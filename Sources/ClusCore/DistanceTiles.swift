// Blocks of squared Euclidean distances from Gram tiles (sgemm), for the
// methods that need every pairwise distance: HDBSCAN's core distances and
// spanning tree, and ward's matrix. ‖a‖² + ‖b‖² − 2·a·b in Float carries a
// rounding error that `SquaredDistanceBound` bounds, so callers that must
// agree with scikit-learn's float64 recompute exactly only the close calls.

/// Squared norms of the rows, summed in Double.
func squaredNorms(_ x: Embeddings, parallelism: Parallelism) -> [Double] {
    let n = x.count, d = x.dimension
    var norms = [Double](repeating: 0, count: n)
    x.values.withUnsafeBufferPointer { v in
        norms.withUnsafeMutableBufferPointer { out in
            guard let base = v.baseAddress else { return }
            let chunk = 1024
            parallelism.forEach(chunks: (n + chunk - 1) / chunk) { c in
                for i in c * chunk ..< min(n, (c + 1) * chunk) {
                    let p = base + i * d
                    out[i] = dotInDouble(p, p, d)
                }
            }
        }
    }
    return norms
}

/// a · a summed in Double lanes (fixed order).
@inline(__always)
private func dotInDouble(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Double {
    var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
    var t = 0
    while t + 8 <= d {
        let x = UnsafeRawPointer(a + t).loadUnaligned(as: SIMD8<Float>.self)
        let y = UnsafeRawPointer(b + t).loadUnaligned(as: SIMD8<Float>.self)
        s0 = s0.addingProduct(SIMD4<Double>(x.lowHalf), SIMD4<Double>(y.lowHalf))
        s1 = s1.addingProduct(SIMD4<Double>(x.highHalf), SIMD4<Double>(y.highHalf))
        t += 8
    }
    let v = s0 + s1
    var s = (v[0] + v[1]) + (v[2] + v[3])
    while t < d {
        s += Double(a[t]) * Double(b[t])
        t += 1
    }
    return s
}

/// How far a squared distance from `squaredDistanceRows` may be from the
/// exact one: sgemm's dot product of depth d is off by at most about
/// d·2⁻²⁴·‖a‖‖b‖ whatever its summation order, the norms and the two
/// additions by a few 2⁻²⁴·(‖a‖² + ‖b‖²) more; doubled for safety. The same
/// bound covers the fallback's differences (off by d·2⁻²⁴·‖a − b‖² at most).
struct SquaredDistanceBound {
    let factor: Double
    init(dimension d: Int) { factor = 2 * Double(d + 8) * 0x1p-24 }
    /// The bound for two rows of squared norms `a` and `b`, plus a hair for
    /// the Double recomputation's own rounding.
    @inline(__always)
    func of(_ a: Double, _ b: Double) -> Double { factor * (a + b) + 0x1p-1000 }
}

/// Squared distances of the rows `rows` of `x` to every row, into
/// `out[(i − rows.lowerBound) * stride + j]`, never below 0, each within
/// `SquaredDistanceBound` of the exact value. Runs on the calling thread.
/// `norms` are the rows' squared norms rounded to Float.
func squaredDistanceRows(_ x: Embeddings, base: UnsafePointer<Float>, norms: UnsafePointer<Float>,
                         rows: Range<Int>, into out: UnsafeMutablePointer<Float>, stride: Int) {
    let n = x.count, d = x.dimension
    let first = rows.lowerBound
    if dotProducts(base + first * d, rows: rows.count, base, columns: n, depth: d, into: out, stride: stride) {
        for i in rows {
            let o = out + (i - first) * stride
            let ni = norms[i]
            for j in 0 ..< n { o[j] = max(0, (ni + norms[j]) - 2 * o[j]) }
        }
    } else {
        // No BLAS: differences, exact enough and no cancellation.
        for i in rows {
            let o = out + (i - first) * stride
            for j in 0 ..< n { o[j] = squaredDistance(base + i * d, base + j * d, d) }
        }
    }
}
