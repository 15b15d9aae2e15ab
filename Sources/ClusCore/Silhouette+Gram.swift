import CGramKernel
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

// The exact euclidean silhouette's distance tiles from dot products:
// ‖x‖² + ‖y‖² − 2·x·y, the close-pair guard, one vector square root, and the
// per-cluster sums of `foldTile`.
//
// The dot products come from clus's own GEMM micro-kernel (CGramKernel) on
// the documents packed once for the whole pass, or from the BLAS's sgemm,
// which packs both operands again on every call: a large pass takes the one
// timed faster on this machine (`KernelTiming`), since neither wins on every
// CPU. Either runs single-threaded inside our tasks, on fixed tiles, so the
// result is the same on any thread count.

/// Rows per side of a Gram tile: a whole number of both kinds of panel, at
/// most 512 (the 1 MiB tile stays in L2/L3 for the epilogue); fewer
/// documents, smaller tiles.
func gramTileSide(documents n: Int) -> Int {
    let unit = GramRows.tileUnit
    return min(max(unit, 512 / unit * unit), (max(1, n) + unit - 1) / unit * unit)
}

/// The documents at `order` laid out for one way of computing dot products,
/// and their squared norms (summed in Double).
struct GramRows: @unchecked Sendable {
    /// Rows per column panel of the own kernel (its register block's width).
    static let panelWidth = Int(clus_gram_columns_per_panel())
    /// Rows per row panel of the own kernel (its register block's height).
    static let rowPanelHeight = Int(clus_gram_tile_rows_per_panel())
    /// Tiles start at multiples of this: whole panels on both sides.
    static let tileUnit = leastCommonMultiple(panelWidth, rowPanelHeight)
    /// The widest panel on any machine (AVX-512's), for estimates that must not depend on this one.
    static let widestPanel = 32

    /// Which sides of a tile the rows serve: the own kernel packs each side
    /// in its own layout; sgemm reads rows as they are for both.
    enum Sides { case rows, columns, both }

    let tiles: EuclideanTiles
    let count: Int
    let d: Int
    /// Row panels of `rowPanelHeight` rows (own kernel), or rows (sgemm).
    private let rowValues: UnsafeMutablePointer<Float>?
    /// Column panels of `panelWidth` rows (own kernel), or the same rows as `rowValues` (sgemm).
    private let columnValues: UnsafeMutablePointer<Float>?
    let norms: UnsafeMutablePointer<Float>

    /// `parallelism` shares out the norms and the packing (a large pass's
    /// 2 × 100 MB of panels at 50,000 × 512, page faults included), by
    /// whole panels: the same layout on any thread count.
    init(_ x: Embeddings, order: [Int], tiles: EuclideanTiles, sides: Sides = .both,
         parallelism: Parallelism = .serial) {
        let n = order.count, d = x.dimension
        self.tiles = tiles
        self.count = n
        self.d = d
        norms = .allocate(capacity: n)
        norms.initialize(repeating: 0, count: n)
        // chunks of whole panels of either height
        let unit = tiles == .sgemm ? 1 : Self.tileUnit
        let chunkRows = max(unit, (n + 4 * parallelism.threads - 1) / (4 * parallelism.threads) / unit * unit)
        let chunks = (n + chunkRows - 1) / chunkRows
        (rowValues, columnValues) = x.values.withUnsafeBufferPointer { [norms] v in
            let v = UncheckedBox(v.baseAddress!)
            let rows = tiles == .sgemm ? UnsafeMutablePointer<Float>.allocate(capacity: max(1, n * d)) : nil
            func panels(_ height: Int) -> UnsafeMutablePointer<Float> {
                .allocate(capacity: max(1, (n + height - 1) / height * height * d))
            }
            let rowPanels = tiles == .sgemm || sides == .columns ? nil : panels(Self.rowPanelHeight)
            let columnPanels = tiles == .sgemm || sides == .rows ? nil : panels(Self.panelWidth)
            let indices = order.map { CLong($0) }
            let out = UncheckedBox((rows, rowPanels, columnPanels))
            parallelism.forEach(chunks: chunks) { chunk in
                let v = v.value, (rows, rowPanels, columnPanels) = out.value
                let start = chunk * chunkRows, end = min(n, start + chunkRows)
                for p in start ..< end {
                    let i = order[p]
                    var ss = 0.0
                    for j in 0 ..< d { ss += Double(v[i * d + j]) * Double(v[i * d + j]) }
                    norms[p] = Float(ss)
                    if let rows { (rows + p * d).initialize(from: v + i * d, count: d) }
                }
                indices.withUnsafeBufferPointer { indices in
                    for (height, panels) in [(Self.rowPanelHeight, rowPanels), (Self.panelWidth, columnPanels)] {
                        guard let panels else { continue }
                        clus_gram_pack(v, indices.baseAddress! + start, end - start, Int32(d), Int32(height),
                                       panels + start * d)
                    }
                }
            }
            return rows.map { ($0, $0) } ?? (rowPanels, columnPanels)
        }
    }

    func deallocate() {
        rowValues?.deallocate()
        if tiles != .sgemm { columnValues?.deallocate() }
        norms.deallocate()
    }

    /// Rows of a `side`-row tile per `products` call in a pass: the own
    /// kernel's tiles are computed and folded `panels` row panels at a time
    /// (`bandPanels`), the band's distances still in L1 (a 448 × 448 tile
    /// written out whole is 800 KB of L2); sgemm packs its operands again on
    /// every call, so it takes the whole tile at once.
    func band(side: Int, panels: Int? = nil) -> Int {
        tiles == .gram ? GramRows.rowPanelHeight * (panels ?? Self.bandPanels(side: side)) : side
    }

    /// Row panels per band: as many as keep the band's distances within this
    /// CPU's L1 data cache, at most 32 KiB (1 with AVX-512's 14-row panels
    /// at 448 columns). Each column panel (d × `panelWidth`, 48 KB at 512 ×
    /// 24) then serves that many row panels per trip from L3: on AMD Zen 3
    /// (32 KiB L1, AVX2's 4-row panels at 504 columns: 4 panels) the 50,000
    /// × 512 pass took 7.73 s against 8.24 s with one panel a band (the same
    /// run of Scripts/bench/silhouette.py); at 20,000 the gain was within the
    /// noise; 6 panels (48 KB) did no better. Speed only: every dot product,
    /// distance and sum is the same for any band.
    static func bandPanels(side: Int) -> Int {
        max(1, bandBytes / (rowPanelHeight * max(1, side) * MemoryLayout<Float>.size))
    }

    /// The L1 data cache, at most 32 KiB (32 KiB when the system does not say): read once a process.
    private static let bandBytes: Int = {
        let cache = sysconf(Int32(_SC_LEVEL1_DCACHE_SIZE))
        return min(32 << 10, cache > 0 ? cache : 32 << 10)
    }()

    /// out[i * stride + j] = row (r0 + i) · column (c0 + j) of `columns`,
    /// for i < rn, j < cn; r0 is a multiple of `rowPanelHeight`, c0 of
    /// `panelWidth`. The own kernel writes whole blocks: `out` must hold rows
    /// rounded up to `rowPanelHeight` and columns to `panelWidth`.
    func products(rows r0: Int, _ rn: Int, columns: GramRows, _ c0: Int, _ cn: Int,
                  into out: UnsafeMutablePointer<Float>, stride: Int) {
        let a = rowValues! + r0 * d, b = columns.columnValues! + c0 * d
        if tiles == .sgemm {
            dotProducts(a, rows: rn, b, columns: cn, depth: d, into: out, stride: stride)
        } else {
            clus_gram_tile(a, Int32(rn), b, Int32(cn), Int32(d), out, Int32(stride))
        }
    }
}

private func leastCommonMultiple(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return a / x * b
}

/// Summed distances from each document (ordered by cluster) to each cluster,
/// into `sums` (n × k), by Gram tiles; `bandPanels` (tests) overrides
/// `GramRows.bandPanels`, with the same result.
func gramSilhouetteSums(
    _ x: Embeddings, order: [Int], tiles: EuclideanTiles, clusterOf: UnsafePointer<Int>, clusters k: Int,
    sums: UnsafeMutablePointer<Double>, parallelism: Parallelism, cancellation: Cancellation?, progress: ProgressCallback?,
    bandPanels: Int? = nil
) throws {
    let n = order.count, d = x.dimension
    let rows = GramRows(x, order: order, tiles: tiles, parallelism: parallelism)
    defer { rows.deallocate() }
    let side = gramTileSide(documents: n)
    let blocks = (n + side - 1) / side
    let band = rows.band(side: side, panels: bandPanels)
    try x.values.withUnsafeBufferPointer { v in
        try order.withUnsafeBufferPointer { order in
            let v = v.baseAddress!, order = order.baseAddress!
            try forEachTilePair(blocks: blocks, parallelism, cancellation, progress) { rb, cb in
                let r0 = rb * side, c0 = cb * side
                let rn = min(side, n - r0), cn = min(side, n - c0)
                let out = UnsafeMutablePointer<Float>.allocate(capacity: band * side)
                let close = UnsafeMutablePointer<Int32>.allocate(capacity: side)
                defer { out.deallocate(); close.deallocate() }
                var fold = TileFold(rows: r0, rn, columns: c0, cn, diagonal: rb == cb, clusterOf: clusterOf,
                                    clusters: k, sums: sums)
                while fold.folded < rn {
                    let b0 = fold.folded, bn = min(band, rn - b0)
                    rows.products(rows: r0 + b0, bn, columns: rows, c0, cn, into: out, stride: side)
                    for r in 0 ..< bn {
                        distancesFromGram(out + r * side, count: cn, x: v + order[r0 + b0 + r] * d,
                                          norm: rows.norms[r0 + b0 + r], columns: order + c0, of: v,
                                          norms: rows.norms + c0, d: d, close: close)
                        // self-distance: exactly 0, as sklearn
                        if rb == cb { out[r * side + b0 + r] = 0 }
                    }
                    fold.add(out, stride: side, rows: bn)
                }
                fold.finish()
            }
        }
    }
}

/// Summed distances from each of the documents at `points` to each cluster,
/// into `sums` (m × k): the points' rows against all documents (ordered by
/// cluster) by Gram tiles, one block of documents at a time, packed when its
/// turn comes, so the pass holds the points and one block, never a copy of
/// all documents (the sampled silhouette of 10⁷ documents). Within a block
/// the points are shared out in chunks; each point's sums get the blocks'
/// terms in block order, so the result is the same on any thread count.
/// `progress` hears (blocks done, blocks).
func gramPointSums(
    _ x: Embeddings, points: [Int], order: [Int], position: [Int], tiles: EuclideanTiles, clusterOf: UnsafePointer<Int>,
    clusters k: Int, sums: UnsafeMutablePointer<Double>, parallelism: Parallelism, cancellation: Cancellation?,
    progress: ProgressCallback?
) {
    let n = order.count, m = points.count, d = x.dimension
    let rows = GramRows(x, order: points, tiles: tiles, sides: .rows, parallelism: parallelism)
    defer { rows.deallocate() }
    let side = gramTileSide(documents: n), panel = GramRows.rowPanelHeight
    // enough chunks for every thread, each a whole number of panels
    let chunk = min(side, max(panel, (m + 2 * parallelism.threads - 1) / (2 * parallelism.threads) + panel - 1) / panel * panel)
    let chunks = (m + chunk - 1) / chunk, blocks = (n + side - 1) / side
    x.values.withUnsafeBufferPointer { v in
    order.withUnsafeBufferPointer { order in
        let v = v.baseAddress!, order = order.baseAddress!
        for cb in 0 ..< blocks {
            if cancellation?.isCancelled == true { return }
            let c0 = cb * side, cn = min(side, n - c0)
            let columns = GramRows(x, order: Array(UnsafeBufferPointer(start: order + c0, count: cn)), tiles: tiles,
                                   sides: .columns, parallelism: parallelism)
            defer { columns.deallocate() }
            parallelism.forEach(chunks: chunks) { ch in
                let r0 = ch * chunk, rn = min(chunk, m - r0)
                let out = UnsafeMutablePointer<Float>.allocate(capacity: chunk * side)
                let close = UnsafeMutablePointer<Int32>.allocate(capacity: side)
                defer { out.deallocate(); close.deallocate() }
                rows.products(rows: r0, rn, columns: columns, 0, cn, into: out, stride: side)
                for r in 0 ..< rn {
                    distancesFromGram(out + r * side, count: cn, x: v + points[r0 + r] * d, norm: rows.norms[r0 + r],
                                      columns: order + c0, of: v, norms: columns.norms, d: d, close: close)
                    // each point's distance to itself: exactly 0, as sklearn
                    let own = position[points[r0 + r]]
                    if own >= c0 && own < c0 + cn { out[r * side + own - c0] = 0 }
                }
                addRowSums(out, stride: side, rows: rn, columns: c0, cn, clusterOf, k) { sums + (r0 + $0) * k }
            }
            progress?(cb + 1, blocks)
        }
    }
    }
}

/// Turns one tile row of dot products (of the row `x`, squared norm `norm`,
/// with the `count` documents whose indices start at `columns`, vectors in
/// `vectors`) into distances in place:
/// √(‖x‖² + ‖y‖² − 2·x·y), with pairs closer than (‖x‖² + ‖y‖²)/32 recomputed
/// from the differences (the Float32 dot product errs by about ε·√d·‖x‖‖y‖,
/// which would swamp their small distance). `close` is scratch for `count`
/// column positions.
@inline(__always)
func distancesFromGram(
    _ line: UnsafeMutablePointer<Float>, count: Int, x: UnsafePointer<Float>, norm: Float,
    columns: UnsafePointer<Int>, of vectors: UnsafePointer<Float>, norms: UnsafePointer<Float>, d: Int,
    close: UnsafeMutablePointer<Int32>
) {
    let found = clus_gram_distances(line, count, norm, norms, close)
    for c in 0 ..< found {
        let j = Int(close[c])
        line[j] = exactDistance(x, vectors + columns[j] * d, d)
    }
}

/// ‖x − y‖ from the differences in Double (scikit-learn computes these
/// distances in float64). Data whose clusters are tight beside their spread,
/// such as make_blobs' default, recompute a tenth of all pairs here: vector
/// code, not a scalar loop.
@inline(never)
private func exactDistance(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ d: Int) -> Float {
    Float(squaredDistanceInDouble(x, y, d).squareRoot())
}

/// clus's Gram kernel against the BLAS's sgemm on a large pass's tiles
/// (448 × 448 with AVX-512) at one dimension, timed once a process. Which is
/// faster depends on the CPU and on the BLAS's core: with OpenBLAS's
/// SkylakeX core sgemm was 7–17% faster than the 8 × 32 register block in
/// the silhouette pass on an Intel Xeon (Sapphire Rapids class), the 14 × 32
/// block is 4–18% faster than sgemm there; the 8 × 32 block was 9–21%
/// faster than sgemm on Zen 4. The two agree to about 1e-6, not bit for
/// bit, so a process keeps one answer per dimension: the same data give the
/// same digits throughout a session.
struct KernelTiming: Sendable {
    /// Seconds a tile, medians of three.
    let gram: Double, sgemm: Double

    /// The tiles timed: a large pass's.
    static let tileSide = gramTileSide(documents: 1 << 20)

    /// sgemm only when clearly faster: the own kernel needs no BLAS and no packing per call.
    var faster: EuclideanTiles { sgemm < 0.95 * gram ? .sgemm : .gram }

    private static let measured = Mutex<[Int: KernelTiming]>([:])

    static func at(dimension d: Int) -> KernelTiming {
        if let known = measured.withLock({ $0[d] }) { return known }
        let timing = measure(dimension: d)
        return measured.withLock { table in
            if let known = table[d] { return known }
            table[d] = timing
            return timing
        }
    }

    /// Seeded data; one block of rows against another column block each
    /// time, as in a pass; the kernels alternate, after one untimed tile
    /// each: four tiles a kernel, three timed.
    private static func measure(dimension d: Int) -> KernelTiming {
        let side = tileSide, blocks = 4
        var random = SeededGenerator(seed: 16)
        let values = (0 ..< blocks * side * d).map { _ in Float(random.nextUnit() * 2 - 1) }
        let x = Embeddings(count: blocks * side, dimension: d, values: values)
        let order = Array(0 ..< blocks * side)
        let own = GramRows(x, order: order, tiles: .gram), blas = GramRows(x, order: order, tiles: .sgemm)
        let out = UnsafeMutablePointer<Float>.allocate(capacity: side * side)
        defer {
            own.deallocate()
            blas.deallocate()
            out.deallocate()
        }
        let clock = ContinuousClock()
        // Each kernel as the pass calls it (`band`).
        func seconds(_ rows: GramRows, columnBlock c: Int) -> Double {
            let band = rows.band(side: side)
            return clock.measure {
                for b0 in stride(from: 0, to: side, by: band) {
                    rows.products(rows: b0, min(band, side - b0), columns: rows, c * side, side, into: out, stride: side)
                }
            }.inSeconds
        }
        _ = seconds(own, columnBlock: 0)
        _ = seconds(blas, columnBlock: 0)
        // Each kernel reads its own copy of the blocks: block 1 + round is new to it in each round.
        var gram: [Double] = [], sgemm: [Double] = []
        for round in 0 ..< 3 {
            if round % 2 == 0 {
                gram.append(seconds(own, columnBlock: 1 + round))
                sgemm.append(seconds(blas, columnBlock: 1 + round))
            } else {
                sgemm.append(seconds(blas, columnBlock: 1 + round))
                gram.append(seconds(own, columnBlock: 1 + round))
            }
        }
        return KernelTiming(gram: gram.sorted()[1], sgemm: sgemm.sorted()[1])
    }
}
