// Agglomerative (hierarchical) clustering as scikit-learn's
// AgglomerativeClustering: the full merge tree, cut at k clusters.
// Ward, average and complete use the nearest-neighbour chain over a dense
// distance matrix (Müllner 2011, as SciPy); single linkage is Prim's minimum
// spanning tree with distances computed on the fly, so it needs O(n) memory.

import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How the distance between two clusters is measured.
public enum Linkage: String, Sendable, CaseIterable {
    /// Increase in within-cluster sum of squares (Euclidean only).
    case ward
    /// Mean pairwise distance.
    case average
    /// Largest pairwise distance.
    case complete
    /// Smallest pairwise distance.
    case single
}

/// The distance between two documents for agglomerative clustering.
public enum AgglomerativeMetric: String, Sendable, CaseIterable {
    case euclidean
    /// 1 − cos(x, y).
    case cosine
}

/// Why agglomerative clustering could not run on its input; the words a
/// user reads are the caller's.
public enum AgglomerativeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Ward with a distance other than Euclidean.
    case wardNeedsEuclidean
    /// k outside 1...n.
    case clusterCount(Int, documents: Int)
    /// A zero vector under the cosine metric.
    case zeroVector(document: Int)
    /// A NaN or infinite component.
    case nonFinite(document: Int)

    /// In the API's terms, for tests and debugging.
    public var description: String {
        switch self {
        case .wardNeedsEuclidean: "ward linkage needs the euclidean metric"
        case .clusterCount(let k, let n): "clusterCount must be between 1 and the \(n) documents, got \(k)"
        case .zeroVector(let i): VectorDefect.zero.description(document: i)
        case .nonFinite(let i): VectorDefect.nonFinite.description(document: i)
        }
    }
}

/// Bytes of working memory agglomerative clustering of `n` documents of
/// dimension `d` needs: a dense n × n Float matrix (except single linkage, a
/// few arrays of n), the merges, and a unit-length copy of the rows for cosine.
/// Saturates at `Int.max` instead of overflowing.
/// - Complexity: O(1).
public func agglomerativeMemory(documents n: Int, dimension d: Int = 0, linkage: Linkage,
                                metric: AgglomerativeMetric = .euclidean) -> Int {
    let matrix = linkage == .single ? 0 : saturatingProduct(n, n, MemoryLayout<Float>.size)
    let copy = metric == .cosine ? saturatingProduct(n, d, MemoryLayout<Float>.size) : 0
    // Prim's or the chain's arrays, the merges, the cut's union-find.
    let arrays = saturatingProduct(n, 72)
    return saturatingSum(matrix, copy, arrays)
}

/// Clusters the rows of `x` into `k` clusters by agglomerative clustering,
/// as scikit-learn's `AgglomerativeClustering(n_clusters: k, linkage:, metric:)`:
/// the same partition (labels up to renaming) barring exact ties. Labels are
/// numbered in order of each cluster's first document.
///
/// Whether `agglomerativeMemory` fits a budget is for the caller to decide
/// before calling, as for every method here: a memory budget is the
/// application's policy, not a precondition of the algorithm.
///
/// - Throws: `AgglomerativeError`, `Cancelled` (checked for every row of
///   distances and every step of the chain or tree, each O(n) work or more).
/// - Parameter progress: hears (steps done, steps): ward, average and
///   complete count the n rows of the distance matrix, then the n − 1 merges;
///   single linkage the n − 1 steps of its tree. It may be called from a
///   worker thread, one call at a time.
/// - Complexity: ward, average, complete: O(n² · d) to fill the matrix plus
///   O(n²) for the chain, O(n²) memory. single: O(n² · d) time, O(n) memory.
public func agglomerative(_ x: Embeddings, clusterCount k: Int, linkage: Linkage,
                          metric: AgglomerativeMetric = .euclidean,
                          parallelism: Parallelism = .allCores,
                          cancellation: Cancellation? = nil, progress: ProgressCallback? = nil) throws -> [Int] {
    let n = x.count
    guard k >= 1, k <= n else { throw AgglomerativeError.clusterCount(k, documents: n) }
    if linkage == .ward, metric != .euclidean { throw AgglomerativeError.wardNeedsEuclidean }
    try cancellation?.check()
    let rows = try prepared(x, metric: metric, parallelism: parallelism)
    let merges: [Merge]
    if linkage == .single {
        let tally = ProgressTally(total: n - 1, progress)
        merges = try minimumSpanningTree(rows, metric: metric, cancellation: cancellation, tally: tally)
    } else {
        let tally = ProgressTally(total: 2 * n - 1, progress)
        merges = try nearestNeighbourChain(rows, linkage: linkage, metric: metric, parallelism: parallelism,
                                           cancellation: cancellation, tally: tally)
    }
    return cut(merges, documents: n, clusterCount: k)
}

/// Steps of a long computation done so far, counted from any thread and told
/// to a `ProgressCallback` by one thread at a time: a thread that finds
/// another one reporting leaves the report to it, so workers never wait.
final class ProgressTally: @unchecked Sendable {
    let total: Int
    private let progress: ProgressCallback?
    private let done = Atomic<Int>(0)
    /// The count last reported, so reports never go backwards.
    private let reported = Mutex<Int>(0)

    init(total: Int, _ progress: ProgressCallback?) {
        self.total = total
        self.progress = progress
    }

    /// Counts `steps` more done and reports the count unless another thread is reporting.
    func add(_ steps: Int = 1) {
        guard let progress else { return }
        let now = done.add(steps, ordering: .relaxed).newValue
        reported.withLockIfAvailable { last in
            if now > last {
                last = now
                progress(now, total)
            }
        }
    }
}

/// One merge of the tree: two documents standing for their clusters, and the height.
struct Merge {
    var a: Int
    var b: Int
    var height: Double
}

/// The rows as the distance needs them (unit length for cosine), checked finite.
private func prepared(_ x: Embeddings, metric: AgglomerativeMetric,
                      parallelism: Parallelism) throws(AgglomerativeError) -> Embeddings {
    let d = x.dimension
    if let bad = x.values.firstIndex(where: { !$0.isFinite }) {
        throw AgglomerativeError.nonFinite(document: bad / max(1, d))
    }
    guard metric == .cosine else { return x }
    do {
        return try unitRows(x, parallelism: parallelism)
    } catch {
        let zero = (0 ..< x.count).first { i in x[row: i].allSatisfy { $0 == 0 } } ?? 0
        throw AgglomerativeError.zeroVector(document: zero)
    }
}

/// Distance of two prepared rows: squared Euclidean (ward: the sum-of-squares
/// scale; the others: monotone in the Euclidean distance, so merges agree) or
/// cosine distance of unit rows.
@inline(__always)
private func pairDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int,
                          metric: AgglomerativeMetric) -> Float {
    switch metric {
    case .euclidean: return squaredDistance(a, b, d)
    case .cosine: return max(0, squaredDistance(a, b, d) / 2)  // 1 − cos for unit rows
    }
}

/// Ward, average or complete linkage by the nearest-neighbour chain over a
/// dense matrix of current cluster distances. Clusters that merged away are
/// masked out of the rows rather than overwritten in every row, updates read
/// the two merged rows (only the merged cluster's column is written across
/// the rows), and once half the clusters are gone the matrix is compacted
/// to the living ones, in order, so scans and updates shrink with them.
///
/// Average and complete on Euclidean need real distances, not squares, so
/// the matrix holds square roots for them.
private func nearestNeighbourChain(_ x: Embeddings, linkage: Linkage, metric: AgglomerativeMetric, parallelism: Parallelism,
                                   cancellation: Cancellation?, tally: ProgressTally) throws(Cancelled) -> [Merge] {
    let n = x.count
    let m = allocateMatrix(count: n * n)
    defer { free(m) }
    try distanceMatrix(x, into: m, squareRoots: metric == .euclidean && linkage != .ward, metric: metric,
                       parallelism: parallelism, cancellation: cancellation, tally: tally)
    var state = ChainState(m, documents: n)
    var merges: [Merge] = []
    merges.reserveCapacity(n - 1)
    var chain: [Int] = []
    while merges.count < n - 1 {
        if chain.isEmpty { chain.append(state.alive[0]) }
        var a = 0, b = 0
        while true {
            // each step scans a row of n and a merge updates n more: one check a step is cheap
            try cancellation?.check()
            a = chain[chain.count - 1]
            // Prefer the previous chain element on ties, as SciPy does.
            let previous = chain.count >= 2 ? chain[chain.count - 2] : -1
            var best = state.nearest(to: a)
            if previous >= 0, best < 0 || !(state.distance(a, best) < state.distance(a, previous)) { best = previous }
            // Overflowed distances leave no finite neighbour: take any active one.
            b = best >= 0 ? best : state.alive.first { $0 != a } ?? a
            if chain.count >= 2, b == chain[chain.count - 2] { break }
            chain.append(b)
        }
        chain.removeLast(2)
        let (low, high) = a < b ? (a, b) : (b, a)
        let dab = Double(state.distance(a, b))
        merges.append(Merge(a: state.ids[low], b: state.ids[high], height: dab))
        // The merged cluster lives on at `high`; `low` leaves.
        updateDistances(&state, merging: low, into: high, height: dab, linkage: linkage, parallelism: parallelism)
        state.remove(low, into: high)
        if state.alive.count >= 256, state.alive.count * 2 <= state.stride { state.compact(chain: &chain) }
        tally.add()
    }
    return merges
}

/// The chain's clusters by position in the matrix (`stride` × `stride`,
/// row-major, positions in the order of the documents they started from).
private struct ChainState {
    let m: UnsafeMutablePointer<Float>
    var stride: Int
    /// The document each position's cluster is named after (its highest).
    var ids: [Int]
    var size: [Int]
    /// +∞ for clusters merged away, 0 for the others: added to a row, it hides them.
    var mask: [Float]
    /// Positions of the living clusters, ascending.
    var alive: [Int]
    /// Each row's nearest living cluster (first on ties; −1: none finite)
    /// and its distance, or `unknown` until a scan finds it.
    var nn: [Int]
    var nnDistance: [Float]
    static let unknown = -2

    init(_ m: UnsafeMutablePointer<Float>, documents n: Int) {
        self.m = m
        stride = n
        ids = Array(0 ..< n)
        size = [Int](repeating: 1, count: n)
        mask = [Float](repeating: 0, count: n)
        alive = Array(0 ..< n)
        nn = [Int](repeating: Self.unknown, count: n)
        nnDistance = [Float](repeating: .infinity, count: n)
    }

    func distance(_ a: Int, _ b: Int) -> Float { m[a * stride + b] }

    /// The first position at the smallest distance from `a` (−1 if none is
    /// finite): kept from the last scan while the merges leave it exact.
    mutating func nearest(to a: Int) -> Int {
        if nn[a] != Self.unknown { return nn[a] }
        let found = mask.withUnsafeBufferPointer { nearestInRow(m + a * stride, mask: $0.baseAddress!, count: stride) }
        nn[a] = found
        nnDistance[a] = found >= 0 ? m[a * stride + found] : .infinity
        return found
    }

    mutating func remove(_ low: Int, into high: Int) {
        mask[low] = .infinity
        alive.remove(at: alive.firstIndex(of: low)!)
        size[high] += size[low]
    }

    /// Moves the living clusters' rows and columns to the front, in order
    /// (so first-index ties break as before), and renumbers the chain.
    mutating func compact(chain: inout [Int]) {
        let count = alive.count
        var position = [Int](repeating: -1, count: stride)
        for (r, old) in alive.enumerated() { position[old] = r }
        // Row r moves down from row alive[r] ≥ r to a stride of at most half:
        // no row is overwritten before it is read, and within row 0 reads run ahead of writes.
        for (r, old) in alive.enumerated() {
            let from = m + old * stride, to = m + r * count
            for (c, column) in alive.enumerated() { to[c] = from[column] }
        }
        ids = alive.map { ids[$0] }
        size = alive.map { size[$0] }
        nn = alive.map { nn[$0] < 0 ? nn[$0] : position[nn[$0]] }
        nnDistance = alive.map { nnDistance[$0] }
        mask = [Float](repeating: 0, count: count)
        chain = chain.map { position[$0] }
        alive = Array(0 ..< count)
        stride = count
    }
}

/// Lance–Williams: the distances of the cluster `low` ∪ `high` (at `high`) to
/// every other alive cluster, into row and column `high`, keeping each row's
/// nearest cluster (`ChainState.nearest`) exact: a row changes only in the
/// columns `high` (new value) and `low` (gone). The column is a write per
/// row, a cache miss each at large n: the threads share them.
private func updateDistances(_ state: inout ChainState, merging low: Int, into high: Int, height dab: Double,
                             linkage: Linkage, parallelism: Parallelism) {
    let m = state.m, n = state.stride
    let na = Double(state.size[low]), nb = Double(state.size[high])
    let rowLow = m + low * n, rowHigh = m + high * n
    let chunks = state.alive.count >= 4096 ? parallelism.threads * 2 : 1
    let chunk = (state.alive.count + chunks - 1) / chunks
    var rowBest = [(Int, Float)](repeating: (-1, .infinity), count: chunks)
    state.alive.withUnsafeBufferPointer { alive in
    state.size.withUnsafeBufferPointer { size in
    state.nn.withUnsafeMutableBufferPointer { nn in
    state.nnDistance.withUnsafeMutableBufferPointer { nnDistance in
    rowBest.withUnsafeMutableBufferPointer { rowBest in
        parallelism.forEach(chunks: chunks) { c in
            var best = -1, bestValue = Float.infinity
            for t in c * chunk ..< min(alive.count, (c + 1) * chunk) {
                let k = alive[t]
                if k == low || k == high { continue }
                let dka = Double(rowLow[k]), dkb = Double(rowHigh[k])
                let value: Double
                switch linkage {
                case .ward:
                    let nk = Double(size[k])
                    value = ((na + nk) * dka + (nb + nk) * dkb - nk * dab) / (na + nb + nk)
                case .average: value = (na * dka + nb * dkb) / (na + nb)
                case .complete: value = max(dka, dkb)
                case .single: value = min(dka, dkb)
                }
                let v = Float(value)
                rowHigh[k] = v
                m[k * n + high] = v
                if v < bestValue { best = k; bestValue = v }
                let j = nn[k]
                if j == ChainState.unknown { continue }
                if j == low || (j == high && v > nnDistance[k]) {
                    nn[k] = ChainState.unknown
                } else if j == high || v < nnDistance[k] || (v == nnDistance[k] && j >= 0 && high < j) {
                    nn[k] = high; nnDistance[k] = v
                }
            }
            rowBest[c] = (best, bestValue)
        }
    }
    }
    }
    }
    }
    // the merged row's nearest: the first of the smallest, over the chunks in order
    var best = -1, bestValue = Float.infinity
    for (k, v) in rowBest where v < bestValue { best = k; bestValue = v }
    state.nn[high] = best
    state.nnDistance[high] = bestValue
}

/// The first index of the smallest value of `row` + `mask` (−1 if none is finite).
@inline(__always)
private func nearestInRow(_ row: UnsafePointer<Float>, mask: UnsafePointer<Float>, count n: Int) -> Int {
    typealias Wide = SIMD16<Float>
    var lowest = Wide(repeating: .infinity)
    var j = 0
    while j + 16 <= n {
        let v = UnsafeRawPointer(row + j).loadUnaligned(as: Wide.self) + UnsafeRawPointer(mask + j).loadUnaligned(as: Wide.self)
        lowest = pointwiseMin(lowest, v)
        j += 16
    }
    var value = lowest.min()
    while j < n { value = min(value, row[j] + mask[j]); j += 1 }
    guard value < .infinity else { return -1 }
    for j in 0 ..< n where row[j] + mask[j] == value { return j }
    return -1
}

/// Fills `m` with the n × n matrix of the distances between the documents,
/// +∞ on the diagonal; with `squareRoots` the Euclidean distances, not their
/// squares. Gram tiles (sgemm), the close pairs from differences; one
/// progress step and cancellation check a row.
private func distanceMatrix(_ x: Embeddings, into m: UnsafeMutablePointer<Float>, squareRoots: Bool, metric: AgglomerativeMetric,
                            parallelism: Parallelism, cancellation: Cancellation?, tally: ProgressTally) throws(Cancelled) {
    let n = x.count
    let norms = squaredNorms(x, parallelism: parallelism)
    try fillSquaredDistances(x, norms: norms, into: m, refine: true, parallelism: parallelism, cancellation: cancellation) { rows in
        let chunk = 16
        parallelism.forEach(chunks: (rows.count + chunk - 1) / chunk) { c in
            for i in rows.lowerBound + c * chunk ..< min(rows.upperBound, rows.lowerBound + (c + 1) * chunk) {
                if cancellation?.isCancelled == true { return }
                let row = m + i * n
                switch metric {
                case .euclidean: if squareRoots { for j in 0 ..< n { row[j] = row[j].squareRoot() } }
                case .cosine: for j in 0 ..< n { row[j] = max(0, row[j] / 2) }  // 1 − cos for unit rows
                }
                row[i] = .infinity
                tally.add()
            }
        }
    }
    try cancellation?.check()
}

/// Single linkage as Prim's minimum spanning tree (its edges are the merges),
/// distances computed on the fly.
private func minimumSpanningTree(_ x: Embeddings, metric: AgglomerativeMetric,
                                 cancellation: Cancellation?, tally: ProgressTally) throws(Cancelled) -> [Merge] {
    let n = x.count, d = x.dimension
    var merges: [Merge] = []
    merges.reserveCapacity(max(0, n - 1))
    var inTree = [Bool](repeating: false, count: n)
    var nearest = [Float](repeating: .infinity, count: n)
    var parent = [Int](repeating: 0, count: n)
    try x.values.withUnsafeBufferPointer { (v: UnsafeBufferPointer<Float>) throws(Cancelled) in
        guard let base = v.baseAddress else { return }
        var current = 0
        inTree[0] = true
        for _ in 1 ..< max(1, n) {
            try cancellation?.check()  // a step is n distances
            var next = -1
            var nextDistance = Float.infinity
            for j in 0 ..< n where !inTree[j] {
                let dist = pairDistance(base + current * d, base + j * d, d, metric: metric)
                if dist < nearest[j] { nearest[j] = dist; parent[j] = current }
                if next < 0 || nearest[j] < nextDistance { next = j; nextDistance = nearest[j] }
            }
            inTree[next] = true
            merges.append(Merge(a: parent[next], b: next, height: Double(nextDistance)))
            current = next
            tally.add()
        }
    }
    return merges
}

/// The partition left after the n − k lowest merges (stable by height, as
/// SciPy sorts its linkage matrix), numbered by first document.
func cut(_ merges: [Merge], documents n: Int, clusterCount k: Int) -> [Int] {
    let order = merges.indices.sorted {
        merges[$0].height != merges[$1].height ? merges[$0].height < merges[$1].height : $0 < $1
    }
    var parent = Array(0 ..< n)
    func find(_ i: Int) -> Int {
        var r = i
        while parent[r] != r { r = parent[r] }
        var j = i
        while parent[j] != r { let next = parent[j]; parent[j] = r; j = next }
        return r
    }
    for index in order.prefix(n - k) {
        let ra = find(merges[index].a), rb = find(merges[index].b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
    var code = [Int](repeating: -1, count: n)
    var labels = [Int](repeating: 0, count: n)
    var next = 0
    for i in 0 ..< n {
        let r = find(i)
        if code[r] < 0 { code[r] = next; next += 1 }
        labels[i] = code[r]
    }
    return labels
}
