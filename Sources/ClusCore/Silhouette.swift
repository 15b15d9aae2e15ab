// Exact silhouette as `sklearn.metrics.silhouette_samples` / `silhouette_score`.
//
// Precision: the input is Float32 and sklearn computes in float64 on the same
// Float32 values. Here each distance is computed in Float32 from the
// differences (cosine: from unit rows) and summed per cluster in Double, which
// agrees with sklearn to about 1e-7 (tests require 1e-6 absolute).
//
// Shape of the work: documents are reordered by cluster and packed into
// 16-float SIMD chunks; the n×n distance matrix is visited in tiles of
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
    try cancellation?.check()
    let compact = try CompactLabels.validated(x, labels, measure: "silhouette")
    return try silhouetteSamples(x, compact, metric.kernel, parallelism, cancellation)
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
    _ parallelism: Parallelism, _ cancellation: Cancellation?
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
            // n >= 3 here, so neither buffer is empty.
            guard let base = data.baseAddress, let owner = clusterOf.baseAddress else { return }
            let job = TileJob(
                data: base, chunks: packed.chunks, count: n,
                clusterOf: owner, clusters: k, sums: sums
            )
            try job.run(K.self, parallelism, cancellation)
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
/// 16-float chunks and to a multiple of 4 rows (zeros add nothing to a distance).
private struct PackedRows {
    let vectors: [SIMD16<Float>]
    let chunks: Int
    /// Per packed row: all zeros before normalising (only filled when normalising).
    let zeroRows: [Bool]

    init(_ x: Embeddings, order: [Int], normalise: Bool) {
        let d = x.dimension
        chunks = max(1, (d + 15) / 16)
        let rows = (order.count + 3) / 4 * 4
        var vectors = [SIMD16<Float>](repeating: .zero, count: rows * chunks)
        var zeroRows = [Bool](repeating: false, count: normalise ? order.count : 0)
        let stride = chunks * 16
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
        self.vectors = vectors
        self.zeroRows = zeroRows
    }
}

/// The shared state of one blocked pass; tasks write disjoint rows of `sums`.
private struct TileJob: @unchecked Sendable {
    let data: UnsafePointer<SIMD16<Float>>
    let chunks: Int
    let count: Int
    let clusterOf: UnsafePointer<Int>
    let clusters: Int
    /// count × clusters: summed distance from each document to each cluster.
    let sums: UnsafeMutablePointer<Double>

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
        distances(K.self, r0, (rn + 3) & ~3, c0, (cn + 3) & ~3, out)

        // Row side: each row's per-cluster sums over the tile's columns.
        var runs: [Int] = [0]  // column run boundaries (one cluster per run)
        for j in 1 ..< cn where clusterOf[c0 + j] != clusterOf[c0 + j - 1] { runs.append(j) }
        runs.append(cn)
        for r in 0 ..< rn {
            let line = out + r * blockRows
            if rb == cb { line[r] = 0 }  // self-distance: exactly 0, as sklearn
            let row = sums + (r0 + r) * clusters
            for q in 0 ..< runs.count - 1 {
                var s = 0.0
                for j in runs[q] ..< runs[q + 1] { s += Double(line[j]) }
                row[clusterOf[c0 + runs[q]]] += s
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

    /// Fills `out` (row stride `blockRows`) with distances of rows r0..<r0+rn
    /// to rows c0..<c0+cn; rn, cn multiples of 4. A 4×4 register block keeps
    /// 16 accumulators and 8 operands in vector registers.
    @inline(__always)
    private func distances<K: PairKernel>(
        _: K.Type, _ r0: Int, _ rn: Int, _ c0: Int, _ cn: Int, _ out: UnsafeMutablePointer<Float>
    ) {
        let m = chunks
        var i = 0
        while i < rn {
            let x0 = data + (r0 + i) * m, x1 = x0 + m, x2 = x1 + m, x3 = x2 + m
            var j = 0
            while j < cn {
                let y0 = data + (c0 + j) * m, y1 = y0 + m, y2 = y1 + m, y3 = y2 + m
                var a00 = SIMD16<Float>(), a01 = SIMD16<Float>(), a02 = SIMD16<Float>(), a03 = SIMD16<Float>()
                var a10 = SIMD16<Float>(), a11 = SIMD16<Float>(), a12 = SIMD16<Float>(), a13 = SIMD16<Float>()
                var a20 = SIMD16<Float>(), a21 = SIMD16<Float>(), a22 = SIMD16<Float>(), a23 = SIMD16<Float>()
                var a30 = SIMD16<Float>(), a31 = SIMD16<Float>(), a32 = SIMD16<Float>(), a33 = SIMD16<Float>()
                for v in 0 ..< m {
                    let p0 = x0[v], p1 = x1[v], p2 = x2[v], p3 = x3[v]
                    let q0 = y0[v], q1 = y1[v], q2 = y2[v], q3 = y3[v]
                    K.step(&a00, p0, q0); K.step(&a01, p0, q1); K.step(&a02, p0, q2); K.step(&a03, p0, q3)
                    K.step(&a10, p1, q0); K.step(&a11, p1, q1); K.step(&a12, p1, q2); K.step(&a13, p1, q3)
                    K.step(&a20, p2, q0); K.step(&a21, p2, q1); K.step(&a22, p2, q2); K.step(&a23, p2, q3)
                    K.step(&a30, p3, q0); K.step(&a31, p3, q1); K.step(&a32, p3, q2); K.step(&a33, p3, q3)
                }
                let o0 = out + i * blockRows + j, o1 = o0 + blockRows, o2 = o1 + blockRows, o3 = o2 + blockRows
                o0[0] = K.finish(a00.sum()); o0[1] = K.finish(a01.sum()); o0[2] = K.finish(a02.sum()); o0[3] = K.finish(a03.sum())
                o1[0] = K.finish(a10.sum()); o1[1] = K.finish(a11.sum()); o1[2] = K.finish(a12.sum()); o1[3] = K.finish(a13.sum())
                o2[0] = K.finish(a20.sum()); o2[1] = K.finish(a21.sum()); o2[2] = K.finish(a22.sum()); o2[3] = K.finish(a23.sum())
                o3[0] = K.finish(a30.sum()); o3[1] = K.finish(a31.sum()); o3[2] = K.finish(a32.sum()); o3[3] = K.finish(a33.sum())
                j += 4
            }
            i += 4
        }
    }
}
