// Blocks of squared Euclidean distances from Gram tiles (sgemm), for the
// methods that need every pairwise distance: HDBSCAN's core distances and
// spanning tree, and ward's matrix. ‖a‖² + ‖b‖² − 2·a·b in Float carries a
// rounding error that `SquaredDistanceBound` bounds, so callers that must
// agree with scikit-learn's float64 recompute exactly only the close calls.

#if canImport(Glibc)
import Glibc
#endif

/// Uninitialised Floats for an n × n matrix, aligned to 2 MiB and marked
/// for transparent huge pages where the kernel offers them: a matrix row
/// apart is then rarely a TLB miss, and the pages fault in 512 times fewer.
/// Free with `free`.
func allocateMatrix(count: Int) -> UnsafeMutablePointer<Float> {
    let bytes = max(1, count) * MemoryLayout<Float>.size
    var raw: UnsafeMutableRawPointer?
    guard posix_memalign(&raw, 1 << 21, bytes) == 0, let raw else {
        return UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))  // unreachable in practice; freed alike
    }
    _ = madvise(raw, bytes, 14)  // MADV_HUGEPAGE; a no-op where unsupported
    return raw.bindMemory(to: Float.self, capacity: max(1, count))
}

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

/// Fills the n × n row-major `matrix` with the squared distances of the
/// rows of `x` (never below 0, each within `SquaredDistanceBound` of the
/// exact value), by symmetric tiles: block-row after block-row, each tile
/// above the diagonal computed once and copied below it. After each block of
/// rows is complete, `rowsDone(rows)` runs on the calling thread (it may
/// spread its own work); cancellation stops between tiles.
///
/// With `refine`, the values whose error bound passes 1/1024 of them (close
/// pairs far from the origin) are recomputed from differences, for the
/// linkages that use the Float values as they are.
func fillSquaredDistances(_ x: Embeddings, norms: [Double], into matrix: UnsafeMutablePointer<Float>, refine: Bool = false,
                          parallelism: Parallelism, cancellation: Cancellation?,
                          rowsDone: (Range<Int>) -> Void) throws(Cancelled) {
    let n = x.count, d = x.dimension
    guard n > 0 else { return }
    let side = gramTileSide(documents: n)
    let blocks = (n + side - 1) / side
    let rounded = norms.map { Float($0) }
    // Norms near Float's range would overflow the Gram values: differences then.
    let gram = norms.allSatisfy { $0 < Double(Float.greatestFiniteMagnitude) / 16 }
    try x.values.withUnsafeBufferPointer { (v: UnsafeBufferPointer<Float>) throws(Cancelled) in
        try rounded.withUnsafeBufferPointer { (r: UnsafeBufferPointer<Float>) throws(Cancelled) in
            guard let base = v.baseAddress, let norms = r.baseAddress else { return }
            for rb in 0 ..< blocks {
                let rows = rb * side ..< min(n, (rb + 1) * side)
                parallelism.forEach(chunks: blocks - rb) { t in
                    if cancellation?.isCancelled == true { return }
                    let columns = (rb + t) * side ..< min(n, (rb + t + 1) * side)
                    squaredDistanceTile(base, d: d, norms: norms, rows: rows, columns: columns, into: matrix, stride: n,
                                        refine: refine, gram: gram)
                }
                try cancellation?.check()
                rowsDone(rows)
            }
        }
    }
}

/// One tile of `fillSquaredDistances`: rows × columns (columns at or right of
/// the rows' block), then its mirror image below the diagonal.
private func squaredDistanceTile(_ base: UnsafePointer<Float>, d: Int, norms: UnsafePointer<Float>, rows: Range<Int>,
                                 columns: Range<Int>, into m: UnsafeMutablePointer<Float>, stride n: Int, refine: Bool, gram: Bool) {
    let out = m + rows.lowerBound * n + columns.lowerBound
    if gram, dotProducts(base + rows.lowerBound * d, rows: rows.count, base + columns.lowerBound * d, columns: columns.count,
                   depth: d, into: out, stride: n) {
        let factor = Float(SquaredDistanceBound(dimension: d).factor * 1024)
        for i in rows {
            let o = m + i * n, ni = norms[i]
            for j in columns { o[j] = max(0, (ni + norms[j]) - 2 * o[j]) }
            guard refine else { continue }
            for j in columns where o[j] < factor * (ni + norms[j]) { o[j] = squaredDistance(base + i * d, base + j * d, d) }
        }
    } else {
        // No BLAS (or huge values): differences, exact enough and no cancellation.
        for i in rows {
            let o = m + i * n
            for j in columns { o[j] = squaredDistance(base + i * d, base + j * d, d) }
        }
    }
    guard columns.lowerBound != rows.lowerBound else { return }
    for j in columns {
        let o = m + j * n
        for i in rows { o[i] = m[i * n + j] }
    }
}
