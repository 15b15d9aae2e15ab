// Exact silhouette as `sklearn.metrics.silhouette_samples` / `silhouette_score`.
//
// Precision: the input is Float32 and sklearn computes in float64 on the same
// Float32 values. Here each distance is computed in Float32 and summed per
// cluster in Double. Euclidean, sqeuclidean and cosine (on unit rows) take
// ‖x‖² + ‖y‖² − 2·x·y from Float32 dot products (`gramDistances`), which is
// enough where ‖x − y‖² is not much smaller than ‖x‖² + ‖y‖²; closer pairs are
// recomputed from the differences, which keep full relative precision.
// Manhattan always uses differences. Results agree with sklearn to about 1e-7
// (tests require 1e-6 absolute, per sample too). Float64 input: Embeddings64.
//
// Shape of the work: documents are reordered by cluster and packed into
// 8-float SIMD chunks; the n×n distance matrix is visited in tiles of
// `blockRows` × `blockRows`, each off-diagonal tile once (symmetry), and never
// stored. A tile adds its row sums to its row block's per-cluster sums and its
// column sums to its column block's. Tiles run in round-robin rounds in which
// no two tiles share a block, so each sum is written by one task at a time and
// receives its terms in the same order on any thread count.

/// Rows per tile side; a multiple of 4 (the register block).
private let blockRows = 128

/// Silhouette coefficient of every document: (b − a) / max(a, b), where a is
/// its mean distance to the rest of its cluster and b the smallest mean
/// distance to another cluster; 0 in a singleton cluster.
///
/// Labels are arbitrary Ints (callers remove noise first). Throws `MetricError`
/// unless labels match the vectors one to one and 2 <= clusters <= n-1, and
/// `Cancelled` when `cancellation` is set (checked between tile rounds).
/// - Complexity: O(n²·d / 2) time, spread over `parallelism`; O(n·d + n·k) memory.
public func silhouetteSamples(
    _ x: Embeddings, labels: [Int], metric: DistanceMetric = .euclidean,
    parallelism: Parallelism = .allCores, cancellation: Cancellation? = nil
) throws -> [Double] {
    #if DEBUG
    // Unoptimised SIMD code costs calls per lane; scalar loops keep the
    // debug-build tests quick. Release builds take the register-blocked path.
    let simd = false
    #else
    let simd = true
    #endif
    return try silhouetteSamples(x, labels: labels, metric: metric, parallelism: parallelism, cancellation: cancellation, simd: simd)
}

/// `silhouetteSamples` with the distance kernel chosen: `simd` for the 2×4
/// register-blocked SIMD kernel, else plain scalar loops (tests use both).
func silhouetteSamples(
    _ x: Embeddings, labels: [Int], metric: DistanceMetric,
    parallelism: Parallelism, cancellation: Cancellation?, simd: Bool
) throws -> [Double] {
    try cancellation?.check()
    let compact = try CompactLabels.validated(x, labels, measure: "silhouette")
    switch metric {
    case .euclidean: return try silhouetteSamples(x, compact, EuclideanKernel.self, parallelism, cancellation, simd)
    case .sqeuclidean: return try silhouetteSamples(x, compact, SquaredEuclideanKernel.self, parallelism, cancellation, simd)
    case .manhattan: return try silhouetteSamples(x, compact, ManhattanKernel.self, parallelism, cancellation, simd)
    case .cosine: return try silhouetteSamples(x, compact, CosineKernel.self, parallelism, cancellation, simd)
    }
}

/// Bytes of working memory the exact silhouette of `n` documents of dimension
/// `d` in `k` clusters needs: the n × k per-cluster distance sums (Double),
/// the rows packed into SIMD chunks, a few arrays of n, and each thread's
/// tile buffers. Large k is what hurts: one cluster per document is n² sums.
/// Saturates at `Int.max`.
/// - Complexity: O(1).
public func silhouetteMemory(documents n: Int, dimension d: Int, clusters k: Int, threads: Int) -> Int {
    let sums = saturatingProduct(n, k, MemoryLayout<Double>.size)
    let lanes = Lanes.scalarCount
    let packed = saturatingProduct(n + 3, (d + lanes - 1) / lanes * lanes, MemoryLayout<Float>.size)
    let perThread = blockRows * blockRows * MemoryLayout<Float>.size + blockRows * MemoryLayout<Double>.size
    return saturatingSum(sums, packed, saturatingProduct(n, 64), saturatingProduct(max(1, threads), perThread))
}

/// Mean silhouette coefficient over all documents, in [−1, 1]; higher is better.
///
/// Throws as `silhouetteSamples`.
/// - Complexity: O(n²·d / 2) time, O(n·d + n·k) memory.
public func silhouetteScore(
    _ x: Embeddings, labels: [Int], metric: DistanceMetric = .euclidean,
    parallelism: Parallelism = .allCores, cancellation: Cancellation? = nil
) throws -> Double {
    let s = try silhouetteSamples(x, labels: labels, metric: metric, parallelism: parallelism, cancellation: cancellation)
    return s.reduce(0, +) / Double(s.count)
}

private func silhouetteSamples<K: PairKernel>(
    _ x: Embeddings, _ labels: CompactLabels, _ kernel: K.Type,
    _ parallelism: Parallelism, _ cancellation: Cancellation?, _ simd: Bool
) throws -> [Double] {
    let n = x.count, k = labels.clusterCount
    // Documents ordered by cluster, stably: tile columns then fall in few clusters.
    var start = [Int](repeating: 0, count: k + 1)
    for c in 0 ..< k { start[c + 1] = start[c] + labels.sizes[c] }
    var order = [Int](repeating: 0, count: n)
    var clusterOf = [Int](repeating: 0, count: n)
    var next = start
    for i in 0 ..< n {
        let c = labels.index[i]
        order[next[c]] = i
        clusterOf[next[c]] = c
        next[c] += 1
    }
    let packed = PackedRows(x, order: order, normalise: K.normalisesRows)

    let sums = UnsafeMutablePointer<Double>.allocate(capacity: n * k)
    sums.initialize(repeating: 0, count: n * k)
    defer { sums.deallocate() }

    try clusterOf.withUnsafeBufferPointer { clusterOf in
        try packed.vectors.withUnsafeBufferPointer { data in
            try packed.norms.withUnsafeBufferPointer { norms in
                // n >= 3 here, so no buffer is empty.
                guard let base = data.baseAddress, let owner = clusterOf.baseAddress, let norms = norms.baseAddress else { return }
                let job = TileJob(
                    data: base, chunks: packed.chunks, count: n, norms: norms,
                    clusterOf: owner, clusters: k, sums: sums, simd: simd
                )
                try job.run(K.self, parallelism, cancellation)
            }
        }
    }

    if K.normalisesRows, packed.zeroRows.contains(true) {
        correctZeroRows(sums, packed.zeroRows, clusterOf, labels.sizes)
    }

    var result = [Double](repeating: 0, count: n)
    for p in 0 ..< n {
        let c = clusterOf[p], size = labels.sizes[c]
        // A singleton's a is 0/0 in sklearn, which maps the NaN to 0.
        if size == 1 { continue }
        let row = sums + p * k
        let a = row[c] / Double(size - 1)
        var b = Double.infinity
        for other in 0 ..< k where other != c {
            b = min(b, row[other] / Double(labels.sizes[other]))
        }
        let m = max(a, b)
        result[order[p]] = m > 0 ? (b - a) / m : 0
    }
    return result
}

/// Cosine puts a zero vector at distance 1 from every other document (sklearn
/// leaves it at zero when normalising). The unit-row kernel gave ‖0 − v‖²/2 =
/// 1/2 against a unit row and 0 against another zero row: add the rest.
/// - Complexity: O(n·k).
private func correctZeroRows(_ sums: UnsafeMutablePointer<Double>, _ zeroRows: [Bool], _ clusterOf: [Int], _ sizes: [Int]) {
    let k = sizes.count
    var zeros = [Int](repeating: 0, count: k)
    for (p, zero) in zeroRows.enumerated() where zero { zeros[clusterOf[p]] += 1 }
    for (p, zero) in zeroRows.enumerated() {
        let row = sums + p * k
        for c in 0 ..< k {
            if zero {
                let otherZeros = zeros[c] - (c == clusterOf[p] ? 1 : 0)
                row[c] += 0.5 * Double(sizes[c] - zeros[c]) + Double(otherZeros)
            } else {
                row[c] += 0.5 * Double(zeros[c])
            }
        }
    }
}

/// The documents' vectors in the order given, padded with zeros to whole
/// `Lanes` chunks and to a multiple of 4 rows (zeros add nothing to a distance).
private struct PackedRows {
    let vectors: [Lanes]
    let chunks: Int
    /// Per packed row: all zeros before normalising (only filled when normalising).
    let zeroRows: [Bool]
    /// Per packed row (padding included): its squared norm, summed in Double.
    let norms: [Float]

    init(_ x: Embeddings, order: [Int], normalise: Bool) {
        let d = x.dimension
        chunks = max(1, (d + Lanes.scalarCount - 1) / Lanes.scalarCount)
        let rows = (order.count + 3) / 4 * 4
        var vectors = [Lanes](repeating: .zero, count: rows * chunks)
        var zeroRows = [Bool](repeating: false, count: normalise ? order.count : 0)
        let stride = chunks * Lanes.scalarCount
        vectors.withUnsafeMutableBufferPointer { out in
            out.withMemoryRebound(to: Float.self) { f in
                x.values.withUnsafeBufferPointer { v in
                    for (p, i) in order.enumerated() {
                        let src = i * d, dst = p * stride
                        var scale = 1.0
                        if normalise {
                            var ss = 0.0
                            for j in 0 ..< d { ss += Double(v[src + j]) * Double(v[src + j]) }
                            // Zero rows stay zero, as sklearn's `normalize`.
                            if ss > 0 { scale = 1 / ss.squareRoot() } else { zeroRows[p] = true }
                        }
                        for j in 0 ..< d { f[dst + j] = Float(Double(v[src + j]) * scale) }
                    }
                }
            }
        }
        var norms = [Float](repeating: 0, count: rows)
        vectors.withUnsafeBufferPointer { out in
            out.withMemoryRebound(to: Float.self) { f in
                for p in 0 ..< order.count {
                    var ss = 0.0
                    for j in 0 ..< stride { ss += Double(f[p * stride + j]) * Double(f[p * stride + j]) }
                    norms[p] = Float(ss)
                }
            }
        }
        self.vectors = vectors
        self.zeroRows = zeroRows
        self.norms = norms
    }
}

/// The shared state of one blocked pass; tasks write disjoint rows of `sums`.
private struct TileJob: @unchecked Sendable {
    let data: UnsafePointer<Lanes>
    let chunks: Int
    let count: Int
    /// Squared norm of each packed row.
    let norms: UnsafePointer<Float>
    let clusterOf: UnsafePointer<Int>
    let clusters: Int
    /// count × clusters: summed distance from each document to each cluster.
    let sums: UnsafeMutablePointer<Double>
    /// The register-blocked SIMD kernel, else scalar loops.
    let simd: Bool

    func run<K: PairKernel>(_: K.Type, _ parallelism: Parallelism, _ cancellation: Cancellation?) throws {
        let blocks = (count + blockRows - 1) / blockRows
        // Round 0: diagonal tiles, each touching only its own block.
        parallelism.forEach(chunks: blocks) { b in
            if cancellation?.isCancelled == true { return }
            tile(K.self, rows: b, columns: b)
        }
        try cancellation?.check()
        // Then the circle method: in each round every block is in at most one pair.
        let players = blocks % 2 == 0 ? blocks : blocks + 1
        guard players > 1 else { return }
        for round in 0 ..< players - 1 {
            var pairs: [(Int, Int)] = []
            pairs.reserveCapacity(players / 2)
            pairs.append((round, players - 1))
            for i in 1 ..< players / 2 {
                pairs.append(((round + i) % (players - 1), (round - i + players - 1) % (players - 1)))
            }
            // With an odd count, the block paired with the phantom sits out.
            pairs.removeAll { $0.0 >= blocks || $0.1 >= blocks }
            parallelism.forEach(chunks: pairs.count) { t in
                if cancellation?.isCancelled == true { return }
                tile(K.self, rows: pairs[t].0, columns: pairs[t].1)
            }
            try cancellation?.check()
        }
    }

    /// Distances between row block `rb` and column block `cb`, folded into `sums`.
    private func tile<K: PairKernel>(_: K.Type, rows rb: Int, columns cb: Int) {
        let r0 = rb * blockRows, c0 = cb * blockRows
        let rn = min(blockRows, count - r0), cn = min(blockRows, count - c0)
        let out = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * blockRows)
        defer { out.deallocate() }
        if simd && K.fromSquaredDistance {
            gramDistances(K.self, r0, (rn + 3) & ~3, c0, (cn + 3) & ~3, out)
        } else {
            distances(K.self, r0, (rn + 3) & ~3, c0, (cn + 3) & ~3, out)
        }

        // Row side: each row's per-cluster sums over the tile's columns.
        var runs: [Int] = [0]  // column run boundaries (one cluster per run)
        for j in 1 ..< cn where clusterOf[c0 + j] != clusterOf[c0 + j - 1] { runs.append(j) }
        runs.append(cn)
        for r in 0 ..< rn {
            let line = out + r * blockRows
            if rb == cb { line[r] = 0 }  // self-distance: exactly 0, as sklearn
            let row = sums + (r0 + r) * clusters
            for q in 0 ..< runs.count - 1 {
                row[clusterOf[c0 + runs[q]]] += sum(line, runs[q] ..< runs[q + 1])
            }
        }
        // The diagonal tile holds both (i, j) and (j, i): rows cover it.
        if rb == cb { return }

        // Column side: each column's per-cluster sums over the tile's rows.
        let acc = UnsafeMutablePointer<Double>.allocate(capacity: blockRows)
        defer { acc.deallocate() }
        var r = 0
        while r < rn {
            let c = clusterOf[r0 + r]
            acc.initialize(repeating: 0, count: cn)
            while r < rn && clusterOf[r0 + r] == c {
                let line = out + r * blockRows
                for j in 0 ..< cn { acc[j] += Double(line[j]) }
                r += 1
            }
            for j in 0 ..< cn { sums[(c0 + j) * clusters + c] += acc[j] }
        }
    }

    /// `distances` for the kernels derived from ‖x − y‖², as a GEMM:
    /// ‖x‖² + ‖y‖² − 2·x·y with the dot products from a 4×16 register block
    /// (8 accumulators, 2 column loads, 4 broadcasts: 14 of the 16 AVX2
    /// registers) over a transposed 16-column panel that stays in L1.
    /// Only multiply-adds in the inner loop, against a subtract and a
    /// multiply-add per lane in `distances`: about 2× faster (measured, see
    /// README's performance section).
    ///
    /// Precision guard: the Float32 dot product errs by about ε·√d·‖x‖‖y‖,
    /// which swamps ‖x − y‖² for close points with large norms. Pairs with
    /// ‖x − y‖² < (‖x‖² + ‖y‖²)/32 are recomputed from the differences (as
    /// `distances`), so the relative error of every distance stays near
    /// 32·ε·√d, far inside the 1e-6 agreement with scikit-learn.
    @inline(__always)
    private func gramDistances<K: PairKernel>(
        _: K.Type, _ r0: Int, _ rn: Int, _ c0: Int, _ cn: Int, _ out: UnsafeMutablePointer<Float>
    ) {
        let m = chunks, dp = chunks * Lanes.scalarCount
        let panels = (cn + 15) / 16
        let f = UnsafeRawPointer(data).assumingMemoryBound(to: Float.self)
        // panel q, element t: lanes 0..<8 = columns 16q..<16q+8 at t, then 16q+8..<16q+16.
        let panel = UnsafeMutablePointer<Lanes>.allocate(capacity: panels * dp * 2)
        defer { panel.deallocate() }
        let pf = UnsafeMutableRawPointer(panel).assumingMemoryBound(to: Float.self)
        for q in 0 ..< panels {
            for l in 0 ..< 16 {
                let j = q * 16 + l, dst = pf + q * dp * 16 + l
                if j < cn {
                    let src = f + (c0 + j) * dp
                    for t in 0 ..< dp { dst[t * 16] = src[t] }
                } else {
                    for t in 0 ..< dp { dst[t * 16] = 0 }
                }
            }
        }
        let columnNorms = UnsafeMutablePointer<Lanes>.allocate(capacity: panels * 2)
        defer { columnNorms.deallocate() }
        for h in 0 ..< panels * 2 {
            var v = Lanes()
            for l in 0 ..< 8 where h * 8 + l < cn { v[l] = norms[c0 + h * 8 + l] }
            columnNorms[h] = v
        }
        for q in 0 ..< panels {
            let b = panel + q * dp * 2
            let ny0 = columnNorms[2 * q], ny1 = columnNorms[2 * q + 1]
            var i = 0
            while i < rn {
                let x0 = f + (r0 + i) * dp, x1 = x0 + dp, x2 = x1 + dp, x3 = x2 + dp
                var c00 = Lanes(), c01 = Lanes(), c10 = Lanes(), c11 = Lanes()
                var c20 = Lanes(), c21 = Lanes(), c30 = Lanes(), c31 = Lanes()
                for t in 0 ..< dp {
                    let b0 = b[2 * t], b1 = b[2 * t + 1]
                    let a0 = Lanes(repeating: x0[t]), a1 = Lanes(repeating: x1[t])
                    c00.addProduct(a0, b0); c01.addProduct(a0, b1)
                    c10.addProduct(a1, b0); c11.addProduct(a1, b1)
                    let a2 = Lanes(repeating: x2[t]), a3 = Lanes(repeating: x3[t])
                    c20.addProduct(a2, b0); c21.addProduct(a2, b1)
                    c30.addProduct(a3, b0); c31.addProduct(a3, b1)
                }
                let o = out + i * blockRows + q * 16, row = r0 + i, column = c0 + q * 16
                store(K.self, c00, ny0, row, column, cn - q * 16, o, m)
                store(K.self, c01, ny1, row, column + 8, cn - q * 16 - 8, o + 8, m)
                store(K.self, c10, ny0, row + 1, column, cn - q * 16, o + blockRows, m)
                store(K.self, c11, ny1, row + 1, column + 8, cn - q * 16 - 8, o + blockRows + 8, m)
                store(K.self, c20, ny0, row + 2, column, cn - q * 16, o + 2 * blockRows, m)
                store(K.self, c21, ny1, row + 2, column + 8, cn - q * 16 - 8, o + 2 * blockRows + 8, m)
                store(K.self, c30, ny0, row + 3, column, cn - q * 16, o + 3 * blockRows, m)
                store(K.self, c31, ny1, row + 3, column + 8, cn - q * 16 - 8, o + 3 * blockRows + 8, m)
                i += 4
            }
        }
    }

    /// Distances of `row` to 8 columns from their dot products `dot` and
    /// squared norms `ny`: ‖x‖² + ‖y‖² − 2·x·y, close pairs recomputed exactly.
    /// Writes `min(8, valid)` values to `o`.
    @inline(__always)
    private func store<K: PairKernel>(
        _: K.Type, _ dot: Lanes, _ ny: Lanes, _ row: Int, _ column: Int, _ valid: Int,
        _ o: UnsafeMutablePointer<Float>, _ m: Int
    ) {
        guard valid > 0 else { return }
        let total = Lanes(repeating: norms[row]) + ny
        var d2 = total - 2 * dot
        d2.replace(with: 0, where: d2 .< 0)
        let values = K.finish(squared: d2)
        let close = d2 .< total * (1.0 / 32)
        if valid >= 8 && !any(close) {
            UnsafeMutableRawPointer(o).storeBytes(of: values, as: Lanes.self)
            return
        }
        for l in 0 ..< min(8, valid) {
            o[l] = close[l] ? exactDistance(K.self, row, column + l, m) : values[l]
        }
    }

    /// One distance from the differences, for `gramDistances`' close pairs.
    @inline(never)
    private func exactDistance<K: PairKernel>(_: K.Type, _ row: Int, _ column: Int, _ m: Int) -> Float {
        let x = data + row * m, y = data + column * m
        var acc = Lanes()
        for v in 0 ..< m { K.step(&acc, x[v], y[v]) }
        return K.finish(lanesSum(acc))
    }

    /// Fills `out` (row stride `blockRows`) with distances of rows r0..<r0+rn
    /// to rows c0..<c0+cn; rn, cn multiples of 4. A 2×4 register block keeps
    /// 8 accumulators, 2 row operands and temporaries in the 16 AVX2 registers.
    @inline(__always)
    private func distances<K: PairKernel>(
        _: K.Type, _ r0: Int, _ rn: Int, _ c0: Int, _ cn: Int, _ out: UnsafeMutablePointer<Float>
    ) {
        let m = chunks
        if !simd {
            let f = UnsafeRawPointer(data).assumingMemoryBound(to: Float.self)
            for i in 0 ..< rn {
                let x = f + (r0 + i) * m * Lanes.scalarCount
                for j in 0 ..< cn {
                    let y = f + (c0 + j) * m * Lanes.scalarCount
                    var s: Float = 0
                    for t in 0 ..< m * Lanes.scalarCount { K.step(&s, x[t], y[t]) }
                    out[i * blockRows + j] = K.finish(s)
                }
            }
            return
        }
        // Column quads outer: their 4 rows stay in L1 while row pairs stream from L2.
        var j = 0
        while j < cn {
            let y0 = data + (c0 + j) * m, y1 = y0 + m, y2 = y1 + m, y3 = y2 + m
            var i = 0
            while i < rn {
                let x0 = data + (r0 + i) * m, x1 = x0 + m
                var a00 = Lanes(), a01 = Lanes(), a02 = Lanes(), a03 = Lanes()
                var a10 = Lanes(), a11 = Lanes(), a12 = Lanes(), a13 = Lanes()
                for v in 0 ..< m {
                    let p0 = x0[v], p1 = x1[v]
                    let q0 = y0[v], q1 = y1[v], q2 = y2[v], q3 = y3[v]
                    K.step(&a00, p0, q0); K.step(&a01, p0, q1); K.step(&a02, p0, q2); K.step(&a03, p0, q3)
                    K.step(&a10, p1, q0); K.step(&a11, p1, q1); K.step(&a12, p1, q2); K.step(&a13, p1, q3)
                }
                let o0 = out + i * blockRows + j, o1 = o0 + blockRows
                o0[0] = K.finish(lanesSum(a00)); o0[1] = K.finish(lanesSum(a01))
                o0[2] = K.finish(lanesSum(a02)); o0[3] = K.finish(lanesSum(a03))
                o1[0] = K.finish(lanesSum(a10)); o1[1] = K.finish(lanesSum(a11))
                o1[2] = K.finish(lanesSum(a12)); o1[3] = K.finish(lanesSum(a13))
                i += 2
            }
            j += 4
        }
    }
}

/// Sum of `line[range]` in Double, in four interleaved partial sums: four
/// independent add chains instead of one, in a fixed order (deterministic).
@inline(__always)
private func sum(_ line: UnsafeMutablePointer<Float>, _ range: Range<Int>) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var j = range.lowerBound
    while j + 4 <= range.upperBound {
        s0 += Double(line[j]); s1 += Double(line[j + 1]); s2 += Double(line[j + 2]); s3 += Double(line[j + 3])
        j += 4
    }
    while j < range.upperBound {
        s0 += Double(line[j])
        j += 1
    }
    return (s0 + s1) + (s2 + s3)
}

/// Sum of the lanes as a tree of vector adds (`sum()` adds them one by one).
@inline(__always)
private func lanesSum(_ v: Lanes) -> Float {
    let four = v.lowHalf + v.highHalf
    let two = four.lowHalf + four.highHalf
    return two[0] + two[1]
}

/// Silhouette coefficients of the documents at `points` only, each exact
/// against all n documents (as `silhouetteSamples` would give them).
///
/// Throws as `silhouetteSamples`; `Cancelled` is checked per group of points.
/// - Complexity: O(m·n·d) time for m points, spread over `parallelism`; O(n·d + m·k) memory.
public func silhouetteSamples(
    _ x: Embeddings, labels: [Int], of points: [Int], metric: DistanceMetric = .euclidean,
    parallelism: Parallelism = .allCores, cancellation: Cancellation? = nil
) throws -> [Double] {
    #if DEBUG
    let simd = false
    #else
    let simd = true
    #endif
    try cancellation?.check()
    let compact = try CompactLabels.validated(x, labels, measure: "silhouette")
    precondition(points.allSatisfy { $0 >= 0 && $0 < x.count }, "point outside the documents")
    if points.isEmpty { return [] }
    switch metric {
    case .euclidean: return try pointSilhouettes(x, compact, points, EuclideanKernel.self, parallelism, cancellation, simd)
    case .sqeuclidean: return try pointSilhouettes(x, compact, points, SquaredEuclideanKernel.self, parallelism, cancellation, simd)
    case .manhattan: return try pointSilhouettes(x, compact, points, ManhattanKernel.self, parallelism, cancellation, simd)
    case .cosine: return try pointSilhouettes(x, compact, points, CosineKernel.self, parallelism, cancellation, simd)
    }
}

/// Points per task of `pointSilhouettes`: their rows (64 × 2 KiB at d = 512)
/// and a column block stay in L2 while the block's quads stream past them.
private let pointGroup = 64

private func pointSilhouettes<K: PairKernel>(
    _ x: Embeddings, _ labels: CompactLabels, _ points: [Int], _: K.Type,
    _ parallelism: Parallelism, _ cancellation: Cancellation?, _ simd: Bool
) throws -> [Double] {
    let n = x.count, k = labels.clusterCount, m = points.count
    let packed = PackedRows(x, order: Array(0 ..< n), normalise: K.normalisesRows)
    let chunks = packed.chunks
    let zeroRows = packed.zeroRows
    var sums = [Double](repeating: 0, count: m * k)
    let groups = (m + pointGroup - 1) / pointGroup
    sums.withUnsafeMutableBufferPointer { sumsBuffer in
        packed.vectors.withUnsafeBufferPointer { data in
            labels.index.withUnsafeBufferPointer { clusterOf in
                guard let base = data.baseAddress, let sums = sumsBuffer.baseAddress, let owner = clusterOf.baseAddress else { return }
                let shared = UncheckedBox((base, sums, owner))
                parallelism.forEach(chunks: groups) { g in
                    if cancellation?.isCancelled == true { return }
                    let (data, sums, clusterOf) = shared.value
                    let lo = g * pointGroup, hi = min(m, lo + pointGroup)
                    let line = UnsafeMutablePointer<Float>.allocate(capacity: 2 * 4)
                    defer { line.deallocate() }
                    var column = 0
                    while column < n {
                        let columnEnd = min(n, column + blockRows)
                        var t = lo
                        while t < hi {
                            // Pairs of points; an odd last point pairs with itself.
                            let p0 = points[t], p1 = t + 1 < hi ? points[t + 1] : p0
                            let s0 = sums + t * k, s1 = t + 1 < hi ? sums + (t + 1) * k : nil
                            var j = column
                            while j < columnEnd {
                                let width = min(4, columnEnd - j)
                                pairDistances(K.self, data, chunks, p0, p1, j, simd, line)
                                for q in 0 ..< width {
                                    let c = clusterOf[j + q]
                                    var d0 = Double(line[q]), d1 = Double(line[4 + q])
                                    if K.normalisesRows {
                                        if zeroRows[p0] || zeroRows[j + q] { d0 = 1 }
                                        if zeroRows[p1] || zeroRows[j + q] { d1 = 1 }
                                    }
                                    if j + q == p0 { d0 = 0 }
                                    if j + q == p1 { d1 = 0 }
                                    s0[c] += d0
                                    s1?[c] += d1
                                }
                                j += 4
                            }
                            t += 2
                        }
                        column = columnEnd
                    }
                }
            }
        }
    }
    try cancellation?.check()
    var result = [Double](repeating: 0, count: m)
    for t in 0 ..< m {
        let c = labels.index[points[t]], size = labels.sizes[c]
        if size == 1 { continue }
        let a = sums[t * k + c] / Double(size - 1)
        var b = Double.infinity
        for other in 0 ..< k where other != c {
            b = min(b, sums[t * k + other] / Double(labels.sizes[other]))
        }
        let mx = max(a, b)
        result[t] = mx > 0 ? (b - a) / mx : 0
    }
    return result
}

/// Distances of packed rows p0 and p1 to rows j..<j+4 into out[0..<4] and
/// out[4..<8] (rows past n are zero padding; callers ignore them).
@inline(__always)
private func pairDistances<K: PairKernel>(
    _: K.Type, _ data: UnsafePointer<Lanes>, _ m: Int, _ p0: Int, _ p1: Int, _ j: Int,
    _ simd: Bool, _ out: UnsafeMutablePointer<Float>
) {
    if !simd {
        let f = UnsafeRawPointer(data).assumingMemoryBound(to: Float.self)
        let w = m * Lanes.scalarCount
        for (r, p) in [p0, p1].enumerated() {
            let xr = f + p * w
            for q in 0 ..< 4 {
                let y = f + (j + q) * w
                var s: Float = 0
                for t in 0 ..< w { K.step(&s, xr[t], y[t]) }
                out[r * 4 + q] = K.finish(s)
            }
        }
        return
    }
    let x0 = data + p0 * m, x1 = data + p1 * m
    let y0 = data + j * m, y1 = y0 + m, y2 = y1 + m, y3 = y2 + m
    var a00 = Lanes(), a01 = Lanes(), a02 = Lanes(), a03 = Lanes()
    var a10 = Lanes(), a11 = Lanes(), a12 = Lanes(), a13 = Lanes()
    for v in 0 ..< m {
        let q0 = y0[v], q1 = y1[v], q2 = y2[v], q3 = y3[v]
        let u0 = x0[v], u1 = x1[v]
        K.step(&a00, u0, q0); K.step(&a01, u0, q1); K.step(&a02, u0, q2); K.step(&a03, u0, q3)
        K.step(&a10, u1, q0); K.step(&a11, u1, q1); K.step(&a12, u1, q2); K.step(&a13, u1, q3)
    }
    out[0] = K.finish(lanesSum(a00)); out[1] = K.finish(lanesSum(a01))
    out[2] = K.finish(lanesSum(a02)); out[3] = K.finish(lanesSum(a03))
    out[4] = K.finish(lanesSum(a10)); out[5] = K.finish(lanesSum(a11))
    out[6] = K.finish(lanesSum(a12)); out[7] = K.finish(lanesSum(a13))
}
