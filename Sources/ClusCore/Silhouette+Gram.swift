import CVectorMath

// The exact euclidean silhouette's distance tiles from OpenBLAS's sgemm.
//
// Measured against the register-blocked SIMD kernel of `tileDistances` on
// this machine (AMD EPYC Zen 3, 2 cores): OpenBLAS's packed AVX2 kernel runs
// a 512 × 512 × 512 Gram tile at ~77 GFLOP/s per core, the panel kernel in
// place at ~60–68, so the tiles go to sgemm and only the epilogue is ours:
// ‖x‖² + ‖y‖² − 2·x·y, the close-pair guard, one vector square root, and the
// per-cluster sums of `foldTile`. OpenBLAS runs single-threaded inside our
// tasks (its own threads would fight ours; the pthread build's allocator is
// safe to call from several threads; Debian's serial build links no locks), on fixed
// tiles, so the result is the same on any thread count.

/// Rows per side of a Gram tile: sgemm's packing is amortised over 512
/// columns (1024 measured slower), and the 1 MiB tile stays in L3 for the
/// epilogue. Fewer documents, smaller tiles.
func gramTileSide(documents n: Int) -> Int { min(512, max(1, n)) }

/// Summed distances from each document (ordered by cluster) to each cluster,
/// into `sums` (n × k), by Gram tiles.
func gramSilhouetteSums(
    _ x: Embeddings, order: [Int], clusterOf: UnsafePointer<Int>, clusters k: Int,
    sums: UnsafeMutablePointer<Double>, parallelism: Parallelism, cancellation: Cancellation?, progress: ProgressCallback?
) throws {
    let n = order.count, d = x.dimension
    let (rows, norms) = orderedRows(x, order)
    let side = gramTileSide(documents: n)
    let blocks = (n + side - 1) / side
    try rows.withUnsafeBufferPointer { rows in
        try norms.withUnsafeBufferPointer { norms in
            let rows = rows.baseAddress!, norms = norms.baseAddress!
            try forEachTilePair(blocks: blocks, parallelism, cancellation, progress) { rb, cb in
                let r0 = rb * side, c0 = cb * side
                let rn = min(side, n - r0), cn = min(side, n - c0)
                let out = UnsafeMutablePointer<Float>.allocate(capacity: side * side)
                defer { out.deallocate() }
                dotProducts(rows + r0 * d, rows: rn, rows + c0 * d, columns: cn, depth: d, into: out, stride: side)
                for r in 0 ..< rn {
                    distancesFromGram(out + r * side, count: cn, x: rows + (r0 + r) * d, norm: norms[r0 + r],
                                      columns: rows + c0 * d, norms: norms + c0, d: d)
                }
                // self-distance: exactly 0, as sklearn
                if rb == cb { for r in 0 ..< rn { out[r * side + r] = 0 } }
                foldTile(out, stride: side, rows: r0, rn, columns: c0, cn, diagonal: rb == cb,
                         clusterOf: clusterOf, clusters: k, sums: sums)
            }
        }
    }
}

/// Summed distances from each of the documents at `points` to each cluster,
/// into `sums` (m × k): the points' rows against all documents (ordered by
/// cluster), by Gram tiles visited as `forEachPointTile` does.
func gramPointSums(
    _ x: Embeddings, points: [Int], order: [Int], position: [Int], clusterOf: UnsafePointer<Int>, clusters k: Int,
    sums: UnsafeMutablePointer<Double>, parallelism: Parallelism, cancellation: Cancellation?, progress: ProgressCallback?
) {
    let d = x.dimension
    // The columns are all n documents: each tile gathers its own from x
    // (a mapped file stays uncopied); only their norms are kept whole.
    let columnNorms = orderedNorms(x, order, parallelism: parallelism)
    let (rows, rowNorms) = orderedRows(x, points)
    let side = gramTileSide(documents: max(points.count, order.count))
    x.values.withUnsafeBufferPointer { v in
    order.withUnsafeBufferPointer { order in
    columnNorms.withUnsafeBufferPointer { columnNorms in
    rows.withUnsafeBufferPointer { rows in
    rowNorms.withUnsafeBufferPointer { rowNorms in
        let v = v.baseAddress!, order = order.baseAddress!, columnNorms = columnNorms.baseAddress!
        let rows = rows.baseAddress!, rowNorms = rowNorms.baseAddress!
        forEachPointTile(points: points, position: position, side: side, clusterOf: clusterOf, clusters: k, sums: sums,
                         parallelism: parallelism, cancellation: cancellation, progress: progress) { r0, rn, c0, cn, out in
            let columns = UnsafeMutablePointer<Float>.allocate(capacity: cn * d)
            defer { columns.deallocate() }
            for p in 0 ..< cn { (columns + p * d).initialize(from: v + order[c0 + p] * d, count: d) }
            dotProducts(rows + r0 * d, rows: rn, columns, columns: cn, depth: d, into: out, stride: side)
            for r in 0 ..< rn {
                distancesFromGram(out + r * side, count: cn, x: rows + (r0 + r) * d, norm: rowNorms[r0 + r],
                                  columns: columns, norms: columnNorms + c0, d: d)
            }
        }
    }
    }
    }
    }
    }
}

/// The squared norms of the rows at `order` (summed in Double, as
/// `orderedRows` sums them), with its eight spare slots.
private func orderedNorms(_ x: Embeddings, _ order: [Int], parallelism: Parallelism) -> [Float] {
    let d = x.dimension, n = order.count, chunk = 4096
    var norms = [Float](repeating: 0, count: n + 8)
    x.values.withUnsafeBufferPointer { v in
        norms.withUnsafeMutableBufferPointer { out in
            let shared = UncheckedBox((v.baseAddress!, out.baseAddress!))
            parallelism.forEach(chunks: (n + chunk - 1) / chunk) { c in
                let (v, out) = shared.value
                for p in c * chunk ..< min(n, (c + 1) * chunk) {
                    let row = v + order[p] * d
                    var ss = 0.0
                    for j in 0 ..< d { ss += Double(row[j]) * Double(row[j]) }
                    out[p] = Float(ss)
                }
            }
        }
    }
    return norms
}

/// The rows at `order`, row-major as sgemm reads them, and their squared norms
/// (summed in Double; eight spare slots for a vector load past the end).
private func orderedRows(_ x: Embeddings, _ order: [Int]) -> (rows: [Float], norms: [Float]) {
    let d = x.dimension
    var rows = [Float](repeating: 0, count: order.count * d)
    var norms = [Float](repeating: 0, count: order.count + 8)
    x.values.withUnsafeBufferPointer { v in
        for (p, i) in order.enumerated() {
            var ss = 0.0
            for j in 0 ..< d {
                let value = v[i * d + j]
                rows[p * d + j] = value
                ss += Double(value) * Double(value)
            }
            norms[p] = Float(ss)
        }
    }
    return (rows, norms)
}

/// Turns one tile row of dot products (of the row `x`, squared norm `norm`,
/// with `count` rows from `columns`) into distances in place:
/// √(‖x‖² + ‖y‖² − 2·x·y), with pairs closer than (‖x‖² + ‖y‖²)/32 recomputed
/// from the differences (the Float32 dot product errs by about ε·√d·‖x‖‖y‖,
/// which would swamp their small distance).
@inline(__always)
private func distancesFromGram(
    _ line: UnsafeMutablePointer<Float>, count: Int, x: UnsafePointer<Float>, norm: Float,
    columns: UnsafePointer<Float>, norms: UnsafePointer<Float>, d: Int
) {
    let nx = Lanes(repeating: norm)
    var j = 0
    while j < count {
        let slot = UnsafeMutableRawPointer(line + j)
        let ny = UnsafeRawPointer(norms + j).loadUnaligned(as: Lanes.self)
        let total = nx + ny
        var d2 = total - 2 * slot.loadUnaligned(as: Lanes.self)
        d2.replace(with: 0, where: d2 .< 0)
        let close = d2 .< total * (1.0 / 32)
        var values = clus_sqrt8(d2)
        if any(close) {
            for l in 0 ..< min(8, count - j) where close[l] {
                values[l] = exactDistance(x, columns + (j + l) * d, d)
            }
        }
        if j + 8 <= count {
            slot.storeBytes(of: values, as: Lanes.self)
        } else {
            for l in 0 ..< count - j { line[j + l] = values[l] }
        }
        j += 8
    }
}

/// ‖x − y‖ from the differences, summed in Double.
@inline(never)
private func exactDistance(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ d: Int) -> Float {
    var s = 0.0
    for t in 0 ..< d {
        let e = x[t] - y[t]
        s += Double(e * e)
    }
    return Float(s.squareRoot())
}
