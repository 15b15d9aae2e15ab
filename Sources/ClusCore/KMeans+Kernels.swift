// The inner loops of k-means: nearest-centre assignment (GEMM-shaped, tiles
// of 4 documents × 3 centres in SIMD8<Float>), squared distances, and the
// fixed chunking that keeps every result independent of the thread count.

/// Eight Floats: one AVX2 register. A 4 × 3 tile of them (12 accumulators
/// plus 3 centre vectors) fits AVX2's 16 vector registers; with SIMD16 or
/// 4 × 4 tiles the accumulators spill on AVX2 machines.
typealias Lane = SIMD8<Float>

/// Rows of an `Embeddings` seen through a pointer, for the kernels.
struct RowMatrix {
    let base: UnsafePointer<Float>
    let count: Int
    let dimension: Int

    @inline(__always)
    func row(_ i: Int) -> UnsafePointer<Float> { base + i * dimension }
}

/// Fixed chunk boundaries: a function of n, k and d only, never of the
/// thread count, so per-chunk sums reduced in chunk order are reproducible.
struct ChunkPlan {
    let count: Int
    let rowsPerChunk: Int
    let chunks: Int

    /// At most 64 chunks (enough to balance the threads), fewer when k × d
    /// Doubles per chunk would outgrow the memory budget: Lloyd's per-chunk
    /// centre sums once did; kept so the boundaries, and with them the
    /// chunk-ordered sums of k-means++, stay as they were.
    init(count: Int, clusterCount k: Int, dimension d: Int) {
        let budget = 64 << 20
        let perChunk = max(1, k * d * MemoryLayout<Double>.size)
        let allowed = max(4, min(64, budget / perChunk))
        let wanted = (count + allowed - 1) / allowed
        let rows = max(1024, (wanted + 3) / 4 * 4)
        self.count = count
        self.rowsPerChunk = rows
        self.chunks = max(1, (count + rows - 1) / rows)
    }

    func range(_ chunk: Int) -> Range<Int> {
        chunk * rowsPerChunk ..< min(count, (chunk + 1) * rowsPerChunk)
    }
}

/// Loads `available` floats (all 8 when there are that many) and zeros the rest.
@inline(__always)
func loadLane(_ p: UnsafePointer<Float>, _ available: Int) -> Lane {
    if available >= 8 { return UnsafeRawPointer(p).loadUnaligned(as: Lane.self) }
    var v = Lane()
    for i in 0 ..< available { v[i] = p[i] }
    return v
}

/// Sums the lanes in one fixed order, so every code path rounds alike.
@inline(__always)
func laneSum(_ v: Lane) -> Float {
    let a = v.lowHalf + v.highHalf
    let b = a.lowHalf + a.highHalf
    return b[0] + b[1]
}

/// Squared Euclidean distance in Float from differences (no cancellation:
/// duplicates come out exactly 0, which k-means++ sampling relies on).
@inline(__always)
func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Float {
    var s0 = Lane(), s1 = Lane(), s2 = Lane(), s3 = Lane()
    var t = 0
    while t + 32 <= d {
        let e0 = UnsafeRawPointer(a + t).loadUnaligned(as: Lane.self) - UnsafeRawPointer(b + t).loadUnaligned(as: Lane.self)
        let e1 = UnsafeRawPointer(a + t + 8).loadUnaligned(as: Lane.self) - UnsafeRawPointer(b + t + 8).loadUnaligned(as: Lane.self)
        let e2 = UnsafeRawPointer(a + t + 16).loadUnaligned(as: Lane.self) - UnsafeRawPointer(b + t + 16).loadUnaligned(as: Lane.self)
        let e3 = UnsafeRawPointer(a + t + 24).loadUnaligned(as: Lane.self) - UnsafeRawPointer(b + t + 24).loadUnaligned(as: Lane.self)
        s0 = s0.addingProduct(e0, e0)
        s1 = s1.addingProduct(e1, e1)
        s2 = s2.addingProduct(e2, e2)
        s3 = s3.addingProduct(e3, e3)
        t += 32
    }
    while t < d {
        let e = loadLane(a + t, d - t) - loadLane(b + t, d - t)
        s0 = s0.addingProduct(e, e)
        t += 8
    }
    return laneSum((s0 + s1) + (s2 + s3))
}

/// Squared Euclidean distance accumulated in Double, for inertia and
/// relocation where the value itself is reported or compared across rows.
/// Vector accumulators in a fixed order keep it fast and reproducible.
@inline(__always)
func squaredDistanceDouble(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Double>, _ d: Int) -> Double {
    var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
    var t = 0
    while t + 8 <= d {
        let x = UnsafeRawPointer(a + t).loadUnaligned(as: SIMD8<Float>.self)
        let e0 = SIMD4<Double>(x.lowHalf) - UnsafeRawPointer(b + t).loadUnaligned(as: SIMD4<Double>.self)
        let e1 = SIMD4<Double>(x.highHalf) - UnsafeRawPointer(b + t + 4).loadUnaligned(as: SIMD4<Double>.self)
        s0 = s0.addingProduct(e0, e0)
        s1 = s1.addingProduct(e1, e1)
        t += 8
    }
    let v = s0 + s1
    var s = (v[0] + v[1]) + (v[2] + v[3])
    while t < d {
        let e = Double(a[t]) - b[t]
        s += e * e
        t += 1
    }
    return s
}

/// The centres as the assignment kernel reads them: Float rows padded with
/// zeros to a multiple of 8 values, the count padded to a multiple of 3
/// with centres whose bias is +infinity so they never win.
struct CentrePanel {
    let clusterCount: Int
    let paddedCount: Int
    let stride: Int
    var values: [Float]
    /// |c|², the part of |x - c|² = |x|² - 2 x·c + |c|² that depends only on c.
    var bias: [Float]

    init(centres: [Double], clusterCount k: Int, dimension d: Int) {
        clusterCount = k
        paddedCount = (k + 2) / 3 * 3
        stride = max(8, (d + 7) / 8 * 8)
        values = [Float](repeating: 0, count: paddedCount * stride)
        bias = [Float](repeating: .infinity, count: paddedCount)
        for j in 0 ..< k {
            var norm = 0.0
            for t in 0 ..< d {
                let v = Float(centres[j * d + t])
                values[j * stride + t] = v
                norm += Double(v) * Double(v)
            }
            bias[j] = Float(norm)
        }
    }
}

/// Twelve dot-product accumulators: 4 documents × 3 centres.
struct Tile4x3 {
    var a00 = Lane(), a01 = Lane(), a02 = Lane()
    var a10 = Lane(), a11 = Lane(), a12 = Lane()
    var a20 = Lane(), a21 = Lane(), a22 = Lane()
    var a30 = Lane(), a31 = Lane(), a32 = Lane()

    @inline(__always)
    mutating func add(_ x0: Lane, _ x1: Lane, _ x2: Lane, _ x3: Lane, _ c0: Lane, _ c1: Lane, _ c2: Lane) {
        a00 = a00.addingProduct(x0, c0); a01 = a01.addingProduct(x0, c1); a02 = a02.addingProduct(x0, c2)
        a10 = a10.addingProduct(x1, c0); a11 = a11.addingProduct(x1, c1); a12 = a12.addingProduct(x1, c2)
        a20 = a20.addingProduct(x2, c0); a21 = a21.addingProduct(x2, c1); a22 = a22.addingProduct(x2, c2)
        a30 = a30.addingProduct(x3, c0); a31 = a31.addingProduct(x3, c1); a32 = a32.addingProduct(x3, c2)
    }
}

/// Three accumulators: 1 document × 3 centres, the same order per dot product
/// as `Tile4x3`, so a document gets the same label whichever tile holds it.
/// Six centres' accumulators for one document: six independent chains keep
/// the FMA units busy where three waited on each other's latency.
struct Tile1x6 {
    var a0 = Lane(), a1 = Lane(), a2 = Lane(), a3 = Lane(), a4 = Lane(), a5 = Lane()
}

struct Tile1x3 {
    var a0 = Lane(), a1 = Lane(), a2 = Lane()

    @inline(__always)
    mutating func add(_ x: Lane, _ c0: Lane, _ c1: Lane, _ c2: Lane) {
        a0 = a0.addingProduct(x, c0); a1 = a1.addingProduct(x, c1); a2 = a2.addingProduct(x, c2)
    }
}

/// A running choice among the centres the kernel scores for one document.
protocol CentreChoice {
    init()
    /// Scores centre `j` by |c|² − 2 x·c (|x − c|² less |x|²).
    mutating func offer(bias: Float, dot: Float, index j: Int)
}

/// The running nearest centre of one document.
struct Nearest: CentreChoice {
    var score = Float.infinity
    var index = 0

    /// Lower index wins ties: `<`, not `<=`.
    @inline(__always)
    mutating func offer(bias: Float, dot: Float, index j: Int) {
        let s = bias - (dot + dot)
        if s < score { score = s; index = j }
    }
}

/// The nearest centre (chosen exactly as `Nearest` does) and the
/// second-lowest score, for Hamerly's bounds.
struct NearestTwo: CentreChoice {
    var score = Float.infinity
    var index = 0
    var second = Float.infinity

    @inline(__always)
    mutating func offer(bias: Float, dot: Float, index j: Int) {
        let s = bias - (dot + dot)
        if s < score { second = score; score = s; index = j } else if s < second { second = s }
    }
}

/// Documents summed in Float before their sums join the Double centre sums:
/// a Float add per value instead of a widening and a Double add, with the
/// rounding of at most 256 terms (about 2⁻²⁴·16 relative, typically), where
/// scikit-learn sums every document of a cluster in float32.
private let floatRun = 256

/// Per-chunk centre sums fed one document at a time in document order: Float
/// runs of `floatRun` documents flushed into Double sums, so every path that
/// feeds the same labels in the same order rounds alike.
struct RunSums {
    let x: RowMatrix
    let clusterCount: Int
    let sums: UnsafeMutablePointer<Double>
    let counts: UnsafeMutablePointer<Int>
    private let run: UnsafeMutablePointer<Float>
    private var touched: [Bool]
    private var inRun = 0

    init(_ x: RowMatrix, clusterCount k: Int, sums: UnsafeMutablePointer<Double>, counts: UnsafeMutablePointer<Int>) {
        self.x = x
        clusterCount = k
        self.sums = sums
        self.counts = counts
        run = .allocate(capacity: k * x.dimension)
        run.initialize(repeating: 0, count: k * x.dimension)
        touched = [Bool](repeating: false, count: k)
    }

    /// Adds document `i` to cluster `j`.
    @inline(__always)
    mutating func add(_ i: Int, to j: Int) {
        let d = x.dimension
        counts[j] += 1
        touched[j] = true
        let s = run + j * d
        let p = x.row(i)
        for t in 0 ..< d { s[t] += p[t] }
        inRun += 1
        if inRun >= floatRun { flush() }
    }

    /// Moves the Float run into the Double sums.
    mutating func flush() {
        let d = x.dimension
        for j in 0 ..< clusterCount where touched[j] {
            let from = run + j * d
            addWidened(from, to: sums + j * d, count: d)
            from.update(repeating: 0, count: d)
            touched[j] = false
        }
        inRun = 0
    }

    /// Flushes and frees the run.
    mutating func finish() {
        flush()
        run.deallocate()
    }
}

/// Assigns each document of `rows` (a chunk) to its nearest centre, writes
/// the label, and when `sums` is given adds the document to its centre's
/// sum and count. Returns how many labels changed.
///
/// Float32 dot products suffice here: their rounding error (about
/// √d · 2⁻²⁴ · |x||c|) can only swap documents between centres whose
/// distances agree to that level, which changes the inertia by no more than
/// that; the reported inertia is recomputed in Double.
func assignChunk(_ x: RowMatrix, _ panel: CentrePanel, rows: Range<Int>,
                 labels: UnsafeMutablePointer<Int>,
                 sums: UnsafeMutablePointer<Double>?, counts: UnsafeMutablePointer<Int>?) -> Int {
    var changed = 0
    var run = sums.flatMap { s in counts.map { RunSums(x, clusterCount: panel.clusterCount, sums: s, counts: $0) } }
    let first = rows.lowerBound
    scanCentres(x, panel, documents: rows.count, document: { first + $0 }) { (i: Int, best: Nearest) in
        if labels[i] != best.index { changed += 1 }
        labels[i] = best.index
        run?.add(i, to: best.index)
    }
    run?.finish()
    return changed
}

/// Scores every centre of `panel` for `count` documents (the `m`-th is row
/// `document(m)`) and hands each document's choice to `finish`, in order.
/// Tiles of 4 documents × 3 centres; a document's dot products round the
/// same whichever tile holds it.
@inline(__always)
func scanCentres<Choice: CentreChoice>(_ x: RowMatrix, _ panel: CentrePanel, documents count: Int,
                                       document: (Int) -> Int, _ finish: (Int, Choice) -> Void) {
    let d = x.dimension
    panel.values.withUnsafeBufferPointer { cbuf in
    panel.bias.withUnsafeBufferPointer { bias in
        guard let cbase = cbuf.baseAddress else { return }
        let stride = panel.stride

        @inline(__always)
        func centre(_ j: Int, _ t: Int) -> Lane {
            UnsafeRawPointer(cbase + j * stride + t).loadUnaligned(as: Lane.self)
        }

        @inline(__always)
        func row(_ p: UnsafePointer<Float>, _ t: Int) -> Lane {
            UnsafeRawPointer(p + t).loadUnaligned(as: Lane.self)
        }

        var m = 0
        while m + 4 <= count {
            let i0 = document(m), i1 = document(m + 1), i2 = document(m + 2), i3 = document(m + 3)
            let p0 = x.row(i0), p1 = x.row(i1), p2 = x.row(i2), p3 = x.row(i3)
            var n0 = Choice(), n1 = Choice(), n2 = Choice(), n3 = Choice()
            var j = 0
            while j < panel.paddedCount {
                var tile = Tile4x3()
                var t = 0
                while t + 8 <= d {
                    tile.add(row(p0, t), row(p1, t), row(p2, t), row(p3, t),
                             centre(j, t), centre(j + 1, t), centre(j + 2, t))
                    t += 8
                }
                if t < d {
                    tile.add(loadLane(p0 + t, d - t), loadLane(p1 + t, d - t),
                             loadLane(p2 + t, d - t), loadLane(p3 + t, d - t),
                             centre(j, t), centre(j + 1, t), centre(j + 2, t))
                }
                let b0 = bias[j], b1 = bias[j + 1], b2 = bias[j + 2]
                n0.offer(bias: b0, dot: laneSum(tile.a00), index: j)
                n0.offer(bias: b1, dot: laneSum(tile.a01), index: j + 1)
                n0.offer(bias: b2, dot: laneSum(tile.a02), index: j + 2)
                n1.offer(bias: b0, dot: laneSum(tile.a10), index: j)
                n1.offer(bias: b1, dot: laneSum(tile.a11), index: j + 1)
                n1.offer(bias: b2, dot: laneSum(tile.a12), index: j + 2)
                n2.offer(bias: b0, dot: laneSum(tile.a20), index: j)
                n2.offer(bias: b1, dot: laneSum(tile.a21), index: j + 1)
                n2.offer(bias: b2, dot: laneSum(tile.a22), index: j + 2)
                n3.offer(bias: b0, dot: laneSum(tile.a30), index: j)
                n3.offer(bias: b1, dot: laneSum(tile.a31), index: j + 1)
                n3.offer(bias: b2, dot: laneSum(tile.a32), index: j + 2)
                j += 3
            }
            finish(i0, n0); finish(i1, n1); finish(i2, n2); finish(i3, n3)
            m += 4
        }
        while m < count {
            let i = document(m)
            let p = x.row(i)
            var n = Choice()
            var j = 0
            while j < panel.paddedCount {
                var tile = Tile1x3()
                var t = 0
                while t + 8 <= d {
                    tile.add(row(p, t), centre(j, t), centre(j + 1, t), centre(j + 2, t))
                    t += 8
                }
                if t < d {
                    tile.add(loadLane(p + t, d - t), centre(j, t), centre(j + 1, t), centre(j + 2, t))
                }
                n.offer(bias: bias[j], dot: laneSum(tile.a0), index: j)
                n.offer(bias: bias[j + 1], dot: laneSum(tile.a1), index: j + 1)
                n.offer(bias: bias[j + 2], dot: laneSum(tile.a2), index: j + 2)
                j += 3
            }
            finish(i, n)
            m += 1
        }
    }
    }
}
