import CGramKernel
#if canImport(Glibc)
import Glibc
#endif

// Exact silhouette as `sklearn.metrics.silhouette_samples` / `silhouette_score`.
//
// Cosine and squared euclidean are linear in cluster sums and take
// `clusterSumSilhouettes` (O(n·k·d)). Euclidean and manhattan need every
// pairwise distance, each computed in Float32 and summed per cluster in
// Double (sklearn computes in float64 on the same Float32 values; results
// agree to about 1e-7, tests require 1e-6 absolute, per sample too; float64
// input: Embeddings64).
//
// Euclidean takes its tiles from dot products in release builds
// (Silhouette+Gram.swift: ‖x‖² + ‖y‖² − 2·x·y, close pairs recomputed from
// differences; the products from clus's own GEMM kernel, `EuclideanTiles`).
// Manhattan takes the panel kernel here: documents reordered
// by cluster and stored once in panels of 16 rows, dimension-major inside a
// panel (`PanelRows`), so the 16 values of one dimension fill one cache line
// that serves both the two vector loads of a 4×16 register block's columns
// and the four broadcasts of its rows. Debug builds take scalar loops.
//
// Both visit the n×n distance matrix in square tiles, each off-diagonal tile
// once (symmetry), never stored: a tile adds its row sums to its row block's
// per-cluster sums and its column sums to its column block's
// (`forEachTilePair`, `foldTile`). Tiles run in round-robin rounds in which no
// two share a block, so each sum is written by one task at a time and
// receives its terms in the same order on any thread count.

/// Hears (done, total) as a long computation advances; may be called from a worker thread.
public typealias ProgressCallback = (_ done: Int, _ total: Int) -> Void

/// Whether the public entry points take the sgemm and SIMD kernels.
/// Unoptimised SIMD code costs calls per lane; scalar loops keep the
/// debug-build tests quick (the kernel tests call both). Release builds take
/// the fast path.
#if DEBUG
private let simdKernels = false
#else
private let simdKernels = true
#endif

/// Rows per tile side; a multiple of `panelRows`.
private let blockRows = 128

/// Rows per panel: the 16 columns of the register block, two `Lanes`.
private let panelRows = 16

/// Silhouette coefficient of every document: (b − a) / max(a, b), where a is
/// its mean distance to the rest of its cluster and b the smallest mean
/// distance to another cluster; 0 in a singleton cluster.
///
/// Labels are arbitrary Ints (callers remove noise first). Throws `MetricError`
/// unless labels match the vectors one to one and 2 <= clusters <= n-1, and
/// `Cancelled` when `cancellation` is set (checked between tile rounds).
/// `progress` hears (rounds done, rounds) after each round of tiles.
/// - Complexity: O(n²·d / 2) time, spread over `parallelism`; O(n·d + n·k) memory.
public func silhouetteSamples(
    _ x: Embeddings, labels: [Int], metric: DistanceMetric = .euclidean,
    parallelism: Parallelism = .allCores, cancellation: Cancellation? = nil, progress: ProgressCallback? = nil
) throws -> [Double] {
    try silhouetteSamples(x, labels: labels, metric: metric, parallelism: parallelism, cancellation: cancellation,
                          simd: simdKernels, progress: progress)
}

/// `silhouetteSamples` with the distance kernel chosen: `simd` for the 4×16
/// register-blocked SIMD kernels, else plain scalar loops (tests use both).
func silhouetteSamples(
    _ x: Embeddings, labels: [Int], metric: DistanceMetric,
    parallelism: Parallelism, cancellation: Cancellation?, simd: Bool, tiles: EuclideanTiles? = nil,
    progress: ProgressCallback? = nil
) throws -> [Double] {
    try cancellation?.check()
    let compact = try CompactLabels.validated(x, labels, measure: .silhouette)
    if ClusterSums.applies(to: metric) {
        return try clusterSumSilhouettes(x, compact, metric: metric, points: nil, parallelism: parallelism,
                                         cancellation: cancellation, progress: progress)
    }
    switch metric {
    case .manhattan: return try silhouetteSamples(x, compact, ManhattanKernel.self, parallelism, cancellation, .differences, simd, progress)
    default:  // euclidean: cosine and sqeuclidean returned above
        let tiles = simd ? tiles ?? .forPass(work: saturatingProduct(x.count, x.count, x.dimension), dimension: x.dimension) : .differences
        return try silhouetteSamples(x, compact, EuclideanKernel.self, parallelism, cancellation, tiles, simd, progress)
    }
}

/// Bytes of working memory the exact silhouette of `n` documents of dimension
/// `d` in `k` clusters needs: the n × k per-cluster distance sums (Double),
/// the rows packed twice into SIMD panels, a few arrays of n, and each thread's
/// tile buffers. Large k is what hurts: one cluster per document is n² sums.
/// Saturates at `Int.max`.
/// - Complexity: O(1).
public func silhouetteMemory(documents n: Int, dimension d: Int, clusters k: Int, threads: Int) -> Int {
    let sums = saturatingProduct(n, k, MemoryLayout<Double>.size)
    let lanes = Lanes.scalarCount
    // the Gram kernel's row and column panels (or the difference kernel's
    // panels), padded as on the widest vectors, so the estimate is the same
    // on every machine
    let widest = GramRows.widestPanel
    let packed = saturatingProduct(2, n + widest, (d + lanes - 1) / lanes * lanes, MemoryLayout<Float>.size)
    // a Gram tile (euclidean) or a panel tile, and the column sums
    let side = max(blockRows, min(512, (n + widest - 1) / widest * widest))
    let perThread = side * side * MemoryLayout<Float>.size + side * MemoryLayout<Double>.size
    return saturatingSum(sums, packed, saturatingProduct(n, 64), saturatingProduct(max(1, threads), perThread))
}

/// Mean silhouette coefficient over all documents, in [−1, 1]; higher is better.
///
/// Throws as `silhouetteSamples`.
/// - Complexity: O(n²·d / 2) time, O(n·d + n·k) memory.
public func silhouetteScore(
    _ x: Embeddings, labels: [Int], metric: DistanceMetric = .euclidean,
    parallelism: Parallelism = .allCores, cancellation: Cancellation? = nil, progress: ProgressCallback? = nil
) throws -> Double {
    let s = try silhouetteSamples(x, labels: labels, metric: metric, parallelism: parallelism, cancellation: cancellation, progress: progress)
    return s.reduce(0, +) / Double(s.count)
}

private func silhouetteSamples<K: PairKernel>(
    _ x: Embeddings, _ labels: CompactLabels, _ kernel: K.Type,
    _ parallelism: Parallelism, _ cancellation: Cancellation?, _ tiles: EuclideanTiles, _ simd: Bool, _ progress: ProgressCallback?
) throws -> [Double] {
    let n = x.count, k = labels.clusterCount
    let (order, clusterOf) = clusterOrder(labels)
    let sums = UnsafeMutablePointer<Double>.allocate(capacity: n * k)
    sums.initialize(repeating: 0, count: n * k)
    defer { sums.deallocate() }

    if tiles != .differences {
        try clusterOf.withUnsafeBufferPointer { clusterOf in
            try gramSilhouetteSums(x, order: order, tiles: tiles, clusterOf: clusterOf.baseAddress!, clusters: k, sums: sums,
                                   parallelism: parallelism, cancellation: cancellation, progress: progress)
        }
    } else {
        let rows = PanelRows(x, order: order)
        try clusterOf.withUnsafeBufferPointer { clusterOf in
            try rows.withView { view in
                // n >= 3 here, so no buffer is empty.
                let job = TileJob(view: view, count: n, clusterOf: clusterOf.baseAddress!, clusters: k, sums: sums, simd: simd)
                try job.run(K.self, parallelism, cancellation, progress)
            }
        }
    }

    var result = [Double](repeating: 0, count: n)
    for p in 0 ..< n {
        result[order[p]] = coefficient(sums + p * k, cluster: clusterOf[p], sizes: labels.sizes)
    }
    return result
}

/// The documents ordered by cluster, stably (tile columns then fall in few
/// clusters), and the cluster of each position.
private func clusterOrder(_ labels: CompactLabels) -> (order: [Int], clusterOf: [Int]) {
    let n = labels.index.count, k = labels.clusterCount
    var next = [Int](repeating: 0, count: k)
    for c in 1 ..< max(1, k) { next[c] = next[c - 1] + labels.sizes[c - 1] }
    var order = [Int](repeating: 0, count: n)
    var clusterOf = [Int](repeating: 0, count: n)
    for i in 0 ..< n {
        let c = labels.index[i]
        order[next[c]] = i
        clusterOf[next[c]] = c
        next[c] += 1
    }
    return (order, clusterOf)
}

/// (b − a) / max(a, b) from a document's summed distances to each cluster.
@inline(__always)
func coefficient(_ row: UnsafeMutablePointer<Double>, cluster c: Int, sizes: [Int]) -> Double {
    let size = sizes[c]
    // A singleton's a is 0/0 in sklearn, which maps the NaN to 0.
    if size == 1 { return 0 }
    let a = row[c] / Double(size - 1)
    var b = Double.infinity
    for other in 0 ..< sizes.count where other != c {
        b = min(b, row[other] / Double(sizes[other]))
    }
    let m = max(a, b)
    return m > 0 ? (b - a) / m : 0
}

/// Vectors in the order given, in panels of `panelRows` rows: inside a panel,
/// dimension t of its 16 rows sits at t·16 ..< t·16+16. Rows past the end are
/// zeros (they add nothing to a distance and callers ignore them).
private struct PanelRows {
    let values: [Float]
    let dimension: Int

    init(_ x: Embeddings, order: [Int]) {
        let d = x.dimension
        let padded = (order.count + panelRows - 1) / panelRows * panelRows
        var values = [Float](repeating: 0, count: max(1, padded * d))
        values.withUnsafeMutableBufferPointer { out in
            x.values.withUnsafeBufferPointer { v in
                for (p, i) in order.enumerated() {
                    let src = i * d
                    let dst = (p / panelRows) * d * panelRows + p % panelRows
                    for j in 0 ..< d { out[dst + j * panelRows] = v[src + j] }
                }
            }
        }
        self.values = values
        self.dimension = d
    }

    func withView<R>(_ body: (PanelView) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer { v in
            try body(PanelView(values: v.baseAddress!, d: dimension))
        }
    }
}

/// Pointers into a `PanelRows`, for the kernels.
private struct PanelView: @unchecked Sendable {
    let values: UnsafePointer<Float>
    let d: Int

    /// Row r's dimension t is at `row(r)[t * panelRows]`.
    @inline(__always) func row(_ r: Int) -> UnsafePointer<Float> {
        values + (r / panelRows) * d * panelRows + r % panelRows
    }
}

/// Distances from rows r0..<r0+rn of `a` to rows c0..<c0+cn of `b` into `out`
/// (row stride `blockRows`); r0 a multiple of 4, c0 of `panelRows`. Rows are
/// computed in fours, so up to three rows past rn are written too.
@inline(__always)
private func tileDistances<K: PairKernel>(
    _: K.Type, _ a: PanelView, _ r0: Int, _ rn: Int, _ b: PanelView, _ c0: Int, _ cn: Int,
    _ out: UnsafeMutablePointer<Float>, simd: Bool
) {
    let d = a.d
    if !simd {
        for i in 0 ..< rn {
            let x = a.row(r0 + i)
            for j in 0 ..< cn {
                let y = b.row(c0 + j)
                var s: Float = 0
                for t in 0 ..< d { K.step(&s, x[t * panelRows], y[t * panelRows]) }
                out[i * blockRows + j] = K.finish(s)
            }
        }
        return
    }
    let panels = (cn + panelRows - 1) / panelRows
    for q in 0 ..< panels {
        let column = c0 + q * panelRows
        let y = b.row(column)
        let valid = cn - q * panelRows
        // Depth slices: a column panel's slice (8 KiB at 128 dimensions) stays
        // in L1 while every row group streams past it. Unsliced, the 32 KiB
        // panel of d = 512 fell out of L1 and the loads came from L2 at about
        // its bandwidth. Partial sums wait in `out` between slices.
        var t0 = 0
        while t0 < d {
            let t1 = min(d, t0 + depthSlice)
            var i = 0
            while i < rn {
                // Rows i..<i+4 share a panel: their values of dimension t share a cache line.
                let x = a.row(r0 + i)
                let o = out + i * blockRows + q * panelRows
                var c00 = Lanes(), c01 = Lanes(), c10 = Lanes(), c11 = Lanes()
                var c20 = Lanes(), c21 = Lanes(), c30 = Lanes(), c31 = Lanes()
                if t0 > 0 {
                    c00 = load(o); c01 = load(o + 8)
                    c10 = load(o + blockRows); c11 = load(o + blockRows + 8)
                    c20 = load(o + 2 * blockRows); c21 = load(o + 2 * blockRows + 8)
                    c30 = load(o + 3 * blockRows); c31 = load(o + 3 * blockRows + 8)
                }
                for t in t0 ..< t1 {
                    let yt = UnsafeRawPointer(y + t * panelRows)
                    let b0 = yt.loadUnaligned(as: Lanes.self), b1 = yt.loadUnaligned(fromByteOffset: 32, as: Lanes.self)
                    let xt = x + t * panelRows
                    let a0 = Lanes(repeating: xt[0]), a1 = Lanes(repeating: xt[1])
                    let a2 = Lanes(repeating: xt[2]), a3 = Lanes(repeating: xt[3])
                    // differences: a subtract per lane before each accumulation
                    K.step(&c00, a0, b0); K.step(&c01, a0, b1)
                    K.step(&c10, a1, b0); K.step(&c11, a1, b1)
                    K.step(&c20, a2, b0); K.step(&c21, a2, b1)
                    K.step(&c30, a3, b0); K.step(&c31, a3, b1)
                }
                save(c00, o); save(c01, o + 8)
                save(c10, o + blockRows); save(c11, o + blockRows + 8)
                save(c20, o + 2 * blockRows); save(c21, o + 2 * blockRows + 8)
                save(c30, o + 3 * blockRows); save(c31, o + 3 * blockRows + 8)
                i += 4
            }
            t0 = t1
        }
        // The sums of all dimensions, turned into distances in place.
        var i = 0
        while i < rn {
            for r in i ..< i + 4 {
                let o = out + r * blockRows + q * panelRows
                storeSums(K.self, load(o), valid, o)
                storeSums(K.self, load(o + 8), valid - 8, o + 8)
            }
            i += 4
        }
    }
}

/// How the exact euclidean silhouette computes its distance tiles.
enum EuclideanTiles: String, Sendable {
    /// Dot products from clus's own GEMM micro-kernel, turned into distances (Silhouette+Gram.swift).
    case gram
    /// Dot products from the BLAS's sgemm, turned into distances.
    case sgemm
    /// clus's register-blocked kernel on the differences (`tileDistances`):
    /// twice the arithmetic, kept for manhattan and to compare.
    case differences

    /// What `CLUS_DISTANCE_KERNEL` asks for, to compare or to pin the last
    /// digits; sgemm only when a BLAS loaded.
    static let asked: EuclideanTiles? = {
        let asked = getenv("CLUS_DISTANCE_KERNEL").flatMap { EuclideanTiles(rawValue: String(cString: $0)) }
        return asked == .sgemm && !BLASStatus.current.isLoaded ? .gram : asked
    }()

    /// Multiply-adds (rows × columns × d) from which a pass takes the timed
    /// choice: the timing (eight tiles of a large pass, four a kernel) costs a few
    /// percent of a pass this size (n = 11,600 at d = 512), and smaller
    /// passes take the own kernel, so their digits never depend on a timing.
    static let timedWork = 1 << 36

    /// The tiles for a pass of `work` multiply-adds at dimension `d`: the
    /// asked ones, else the own Gram kernel for small passes or without a
    /// BLAS, else whichever of it and sgemm times faster here
    /// (`KernelTiming`).
    static func forPass(work: Int, dimension d: Int) -> EuclideanTiles {
        if let asked { return asked }
        guard BLASStatus.current.isLoaded, work >= timedWork else { return .gram }
        return KernelTiming.at(dimension: d).faster
    }
}

private var gramKernelDescription: String {
    "clus's Gram kernel (\(String(cString: clus_gram_instructions())), \(GramRows.rowPanelHeight)"
        + " × \(GramRows.panelWidth) register block)"
}

/// What computes the exact euclidean distances here, for people; without a
/// setting, the kernel timed faster at d = 512 and both times (which times
/// the two kernels, about 30 ms).
public var euclideanTilesDescription: String {
    switch EuclideanTiles.asked {
    case .gram: return "\(gramKernelDescription) (CLUS_DISTANCE_KERNEL=gram)"
    case .sgemm: return "sgemm, \(BLASStatus.current.summary) (CLUS_DISTANCE_KERNEL=sgemm)"
    case .differences: return "clus's difference kernel (CLUS_DISTANCE_KERNEL=differences)"
    case nil:
        guard BLASStatus.current.isLoaded else { return "\(gramKernelDescription); no BLAS to time it against" }
        let t = KernelTiming.at(dimension: 512)
        func ms(_ s: Double) -> String { "\(Double(Int((s * 1e5).rounded())) / 100) ms" }
        let sgemm = "sgemm, \(BLASStatus.current.summary)"
        let (first, second) = t.faster == .sgemm ? ((sgemm, t.sgemm), (gramKernelDescription, t.gram))
                                                 : ((gramKernelDescription, t.gram), (sgemm, t.sgemm))
        return "\(first.0), timed faster here at d = 512 (\(ms(first.1)) a \(KernelTiming.tileSide) × \(KernelTiming.tileSide) tile against \(ms(second.1)) for"
            + " \(second.0)); each dimension timed once a process, passes under 2^36 multiply-adds take the Gram kernel"
    }
}

/// Dimensions per depth slice of `tileDistances`.
private let depthSlice = 128

@inline(__always) private func load(_ p: UnsafeMutablePointer<Float>) -> Lanes {
    UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
}

@inline(__always) private func save(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
}

/// Lane-wise finished distances of the difference kernel; `min(8, valid)` values.
@inline(__always)
private func storeSums<K: PairKernel>(_: K.Type, _ acc: Lanes, _ valid: Int, _ o: UnsafeMutablePointer<Float>) {
    for l in 0 ..< max(0, min(8, valid)) { o[l] = K.finish(acc[l]) }
}

/// Adds each tile row's distances to that row's per-cluster sums
/// (`sums + i * clusters`), one run of same-cluster columns at a time.
@inline(__always)
func addRowSums(
    _ out: UnsafeMutablePointer<Float>, stride: Int = blockRows, rows rn: Int, columns c0: Int, _ cn: Int,
    _ clusterOf: UnsafePointer<Int>, _ clusters: Int, _ sums: (Int) -> UnsafeMutablePointer<Double>
) {
    addRowSums(out, stride: stride, rows: rn, columns: c0, runs: columnRuns(c0, cn, clusterOf), clusterOf, sums)
}

/// The boundaries of the runs of same-cluster columns among c0..<c0+cn
/// (0, …, cn): one cluster per run.
func columnRuns(_ c0: Int, _ cn: Int, _ clusterOf: UnsafePointer<Int>) -> [Int] {
    var runs = [0]
    for j in 1 ..< max(1, cn) where clusterOf[c0 + j] != clusterOf[c0 + j - 1] { runs.append(j) }
    runs.append(cn)
    return runs
}

/// `addRowSums` with the column runs already found (`columnRuns`).
@inline(__always)
func addRowSums(
    _ out: UnsafeMutablePointer<Float>, stride: Int, rows rn: Int, columns c0: Int, runs: [Int],
    _ clusterOf: UnsafePointer<Int>, _ sums: (Int) -> UnsafeMutablePointer<Double>
) {
    for r in 0 ..< rn {
        let line = out + r * stride
        let row = sums(r)
        for q in 0 ..< runs.count - 1 {
            row[clusterOf[c0 + runs[q]]] += sum(line, runs[q] ..< runs[q + 1])
        }
    }
}

/// The shared state of one blocked pass; tasks write disjoint rows of `sums`.
private struct TileJob: @unchecked Sendable {
    let view: PanelView
    let count: Int
    let clusterOf: UnsafePointer<Int>
    let clusters: Int
    /// count × clusters: summed distance from each document to each cluster.
    let sums: UnsafeMutablePointer<Double>
    /// The register-blocked SIMD kernels, else scalar loops.
    let simd: Bool

    func run<K: PairKernel>(_: K.Type, _ parallelism: Parallelism, _ cancellation: Cancellation?, _ progress: ProgressCallback?) throws {
        let blocks = (count + blockRows - 1) / blockRows
        try forEachTilePair(blocks: blocks, parallelism, cancellation, progress) { rb, cb in
            tile(K.self, rows: rb, columns: cb)
        }
    }

    /// Distances between row block `rb` and column block `cb`, folded into `sums`.
    private func tile<K: PairKernel>(_: K.Type, rows rb: Int, columns cb: Int) {
        let r0 = rb * blockRows, c0 = cb * blockRows
        let rn = min(blockRows, count - r0), cn = min(blockRows, count - c0)
        let out = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * blockRows)
        defer { out.deallocate() }
        tileDistances(K.self, view, r0, (rn + 3) & ~3, view, c0, cn, out, simd: simd)
        // self-distance: exactly 0, as sklearn
        if rb == cb { for r in 0 ..< rn { out[r * blockRows + r] = 0 } }

        foldTile(out, stride: blockRows, rows: r0, rn, columns: c0, cn, diagonal: rb == cb,
                 clusterOf: clusterOf, clusters: clusters, sums: sums)
    }
}

/// Visits every tile of a symmetric blocks × blocks grid once, (b, b) and
/// (i, j) with i != j in either order, spread over `parallelism`: first the
/// diagonal, then rounds of the circle method in which no two tiles share a
/// block, so per-block sums are written by one task at a time and get their
/// terms in the same order on any thread count. `progress` hears each round.
func forEachTilePair(
    blocks: Int, _ parallelism: Parallelism, _ cancellation: Cancellation?, _ progress: ProgressCallback?,
    _ tile: (_ rows: Int, _ columns: Int) -> Void
) throws {
    let players = blocks % 2 == 0 ? blocks : blocks + 1
    // Round 0: diagonal tiles, each touching only its own block.
    parallelism.forEach(chunks: blocks) { b in
        if cancellation?.isCancelled == true { return }
        tile(b, b)
    }
    try cancellation?.check()
    progress?(1, players)
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
            tile(pairs[t].0, pairs[t].1)
        }
        try cancellation?.check()
        progress?(round + 2, players)
    }
}

/// Visits the tiles of the documents at `points` (rows) against all n
/// documents ordered by cluster (columns, `position` maps a document to its
/// column), `side` × `side` each: a task owns a block of points and walks
/// every column block, so each point's sums get their terms in one order on
/// any thread count. `fill(r0, rn, c0, cn, out)` writes a tile's distances
/// (row stride `side`); each point's distance to itself is then 0, as
/// sklearn, and the rows are folded into `sums` (m × clusters). `progress`
/// hears (column blocks done, column blocks) from the first block of points.
func forEachPointTile(
    points: [Int], position: [Int], side: Int, clusterOf: UnsafePointer<Int>, clusters k: Int,
    sums: UnsafeMutablePointer<Double>, parallelism: Parallelism, cancellation: Cancellation?, progress: ProgressCallback?,
    fill: (_ r0: Int, _ rn: Int, _ c0: Int, _ cn: Int, _ out: UnsafeMutablePointer<Float>) -> Void
) {
    let m = points.count, n = position.count
    let rowBlocks = (m + side - 1) / side, columnBlocks = (n + side - 1) / side
    parallelism.forEach(chunks: rowBlocks) { rb in
        let r0 = rb * side, rn = min(side, m - r0)
        let out = UnsafeMutablePointer<Float>.allocate(capacity: side * side)
        defer { out.deallocate() }
        for cb in 0 ..< columnBlocks {
            if cancellation?.isCancelled == true { return }
            let c0 = cb * side, cn = min(side, n - c0)
            fill(r0, rn, c0, cn, out)
            for r in 0 ..< rn {
                let own = position[points[r0 + r]]
                if own >= c0 && own < c0 + cn { out[r * side + own - c0] = 0 }
            }
            addRowSums(out, stride: side, rows: rn, columns: c0, cn, clusterOf, k) { sums + (r0 + $0) * k }
            // the blocks of points move in step: the first one tells
            if rb == 0 { progress?(cb + 1, columnBlocks) }
        }
    }
}

/// Folds a tile of distances (`out`, row stride `stride`) between rows
/// r0..<r0+rn and columns c0..<c0+cn into the per-cluster `sums` of both its
/// rows and (off the diagonal) its columns.
func foldTile(
    _ out: UnsafeMutablePointer<Float>, stride: Int, rows r0: Int, _ rn: Int, columns c0: Int, _ cn: Int, diagonal: Bool,
    clusterOf: UnsafePointer<Int>, clusters: Int, sums: UnsafeMutablePointer<Double>
) {
    var fold = TileFold(rows: r0, rn, columns: c0, cn, diagonal: diagonal, clusterOf: clusterOf, clusters: clusters,
                        sums: sums)
    fold.add(out, stride: stride, rows: rn)
    fold.finish()
}

/// A tile's fold into the per-cluster sums, a band of its rows at a time, in
/// order: the Gram pass folds each band while its distances are still in L1
/// instead of writing the whole tile out first. The sums get the same terms
/// in the same order however the rows are banded.
struct TileFold {
    private let r0: Int, rn: Int, c0: Int, cn: Int, diagonal: Bool
    private let clusterOf: UnsafePointer<Int>, clusters: Int, sums: UnsafeMutablePointer<Double>
    /// Column run boundaries (one cluster per run).
    private let runs: [Int]
    /// Column side: the open run of same-cluster rows' sums, per column.
    private let acc: UnsafeMutablePointer<Double>
    private var openCluster = -1
    /// Rows folded so far.
    private(set) var folded = 0

    init(rows r0: Int, _ rn: Int, columns c0: Int, _ cn: Int, diagonal: Bool, clusterOf: UnsafePointer<Int>,
         clusters: Int, sums: UnsafeMutablePointer<Double>) {
        (self.r0, self.rn, self.c0, self.cn, self.diagonal) = (r0, rn, c0, cn, diagonal)
        (self.clusterOf, self.clusters, self.sums) = (clusterOf, clusters, sums)
        runs = columnRuns(c0, cn, clusterOf)
        acc = .allocate(capacity: max(1, cn))
    }

    /// Folds the next `count` rows of the tile (`band`, row stride `stride`).
    mutating func add(_ band: UnsafeMutablePointer<Float>, stride: Int, rows count: Int) {
        // Row side: each row's per-cluster sums over the tile's columns.
        let first = r0 + folded, clusters = clusters, sums = sums
        addRowSums(band, stride: stride, rows: count, columns: c0, runs: runs, clusterOf) { sums + (first + $0) * clusters }
        // Column side: each column's per-cluster sums over a run of
        // same-cluster rows, which may go on into the next band. The diagonal
        // tile holds both (i, j) and (j, i): its rows cover it.
        var i = diagonal ? count : 0
        while i < count {
            let c = clusterOf[r0 + folded + i]
            if c != openCluster {
                closeRun()
                acc.initialize(repeating: 0, count: cn)
                openCluster = c
            }
            var end = i + 1
            while end < count && clusterOf[r0 + folded + end] == c { end += 1 }
            addRowsWidened(band + i * stride, stride: stride, count: end - i, to: acc, columns: cn)
            i = end
        }
        folded += count
    }

    private func closeRun() {
        guard openCluster >= 0 else { return }
        for j in 0 ..< cn { sums[(c0 + j) * clusters + openCluster] += acc[j] }
    }

    /// Adds the last run of rows to the columns' sums; the fold is then spent.
    mutating func finish() {
        precondition(folded == rn, "a tile's fold ends after all its rows")
        closeRun()
        openCluster = -1
        acc.deallocate()
    }
}

/// Sum of `line[range]` in Double, in eight lanes of two vector accumulators
/// and a fixed order (deterministic), then the scalar tail.
@inline(__always)
private func sum(_ line: UnsafeMutablePointer<Float>, _ range: Range<Int>) -> Double {
    var low = SIMD4<Double>(), high = SIMD4<Double>()
    var j = range.lowerBound
    while j + 8 <= range.upperBound {
        let v = UnsafeRawPointer(line + j).loadUnaligned(as: Lanes.self)
        low += SIMD4<Double>(v.lowHalf)
        high += SIMD4<Double>(v.highHalf)
        j += 8
    }
    var s = (low + high).sum()
    while j < range.upperBound {
        s += Double(line[j])
        j += 1
    }
    return s
}

/// Silhouette coefficients of the documents at `points` only, each exact
/// against all n documents (as `silhouetteSamples` would give them).
///
/// Throws as `silhouetteSamples`; `Cancelled` is checked per tile.
/// `progress` hears (column blocks done, column blocks) from the first block of points.
/// - Complexity: O(m·n·d) time for m points, spread over `parallelism`; O(n·d + m·k) memory.
public func silhouetteSamples(
    _ x: Embeddings, labels: [Int], of points: [Int], metric: DistanceMetric = .euclidean,
    parallelism: Parallelism = .allCores, cancellation: Cancellation? = nil, progress: ProgressCallback? = nil
) throws -> [Double] {
    try silhouetteSamples(x, labels: labels, of: points, metric: metric, parallelism: parallelism,
                          cancellation: cancellation, simd: simdKernels, progress: progress)
}

/// `silhouetteSamples(of:)` with the distance kernel chosen (tests use both).
func silhouetteSamples(
    _ x: Embeddings, labels: [Int], of points: [Int], metric: DistanceMetric,
    parallelism: Parallelism, cancellation: Cancellation?, simd: Bool, tiles: EuclideanTiles? = nil,
    progress: ProgressCallback? = nil
) throws -> [Double] {
    try cancellation?.check()
    let compact = try CompactLabels.validated(x, labels, measure: .silhouette)
    precondition(points.allSatisfy { $0 >= 0 && $0 < x.count }, "point outside the documents")
    if points.isEmpty { return [] }
    if ClusterSums.applies(to: metric) {
        return try clusterSumSilhouettes(x, compact, metric: metric, points: points, parallelism: parallelism,
                                         cancellation: cancellation, progress: progress)
    }
    switch metric {
    case .manhattan: return try pointSilhouettes(x, compact, points, ManhattanKernel.self, parallelism, cancellation, .differences, simd, progress)
    default:  // euclidean: cosine and sqeuclidean returned above
        let work = saturatingProduct(points.count, x.count, x.dimension)
        let tiles = simd ? tiles ?? .forPass(work: work, dimension: x.dimension) : .differences
        return try pointSilhouettes(x, compact, points, EuclideanKernel.self, parallelism, cancellation, tiles, simd, progress)
    }
}

/// The points as the rows and all documents (ordered by cluster) as the
/// columns of the same tiles and kernels as the exact pass; each task owns a
/// block of points and walks every column block, so each point's sums get
/// their terms in one order on any thread count.
private func pointSilhouettes<K: PairKernel>(
    _ x: Embeddings, _ labels: CompactLabels, _ points: [Int], _: K.Type,
    _ parallelism: Parallelism, _ cancellation: Cancellation?, _ tiles: EuclideanTiles, _ simd: Bool, _ progress: ProgressCallback?
) throws -> [Double] {
    let n = x.count, k = labels.clusterCount, m = points.count
    let (order, clusterOf) = clusterOrder(labels)
    var position = [Int](repeating: 0, count: n)
    for (p, i) in order.enumerated() { position[i] = p }
    var sums = [Double](repeating: 0, count: m * k)
    if tiles != .differences {
        sums.withUnsafeMutableBufferPointer { sums in
            clusterOf.withUnsafeBufferPointer { clusterOf in
                gramPointSums(x, points: points, order: order, position: position, tiles: tiles, clusterOf: clusterOf.baseAddress!,
                              clusters: k, sums: sums.baseAddress!, parallelism: parallelism,
                              cancellation: cancellation, progress: progress)
            }
        }
    } else {
        let columns = PanelRows(x, order: order)
        let rows = PanelRows(x, order: points)
        sums.withUnsafeMutableBufferPointer { sums in
            clusterOf.withUnsafeBufferPointer { clusterOf in
                columns.withView { columnView in
                    rows.withView { rowView in
                        forEachPointTile(points: points, position: position, side: blockRows, clusterOf: clusterOf.baseAddress!,
                                         clusters: k, sums: sums.baseAddress!, parallelism: parallelism,
                                         cancellation: cancellation, progress: progress) { r0, rn, c0, cn, out in
                            tileDistances(K.self, rowView, r0, (rn + 3) & ~3, columnView, c0, cn, out, simd: simd)
                        }
                    }
                }
            }
        }
    }
    try cancellation?.check()
    var result = [Double](repeating: 0, count: m)
    sums.withUnsafeMutableBufferPointer { sums in
        for t in 0 ..< m {
            let c = labels.index[points[t]]
            result[t] = coefficient(sums.baseAddress! + t * k, cluster: c, sizes: labels.sizes)
        }
    }
    return result
}
