// HDBSCAN as scikit-learn's `sklearn.cluster.HDBSCAN` (Campello, Moulavi &
// Sander 2013; McInnes & Healy 2017): core distances, Prim's minimum spanning
// tree of the mutual reachability graph (from a Float distance matrix with
// exact close calls, HDBSCAN+Matrix.swift, or computed on the fly in O(n)
// memory), the single-linkage tree, its condensed tree, and the clusters of
// excess of mass. Every tie is broken as scikit-learn breaks it.

/// Settings of an HDBSCAN clustering, named and defaulted as scikit-learn's.
public struct HDBSCANOptions: Sendable {
    /// Smallest group of documents that counts as a cluster.
    public var minClusterSize: Int = 5
    /// Neighbours (the document itself included) that define a core distance;
    /// nil means `minClusterSize`.
    public var minSamples: Int? = nil
    /// Distance between documents.
    public var metric: AgglomerativeMetric = .euclidean
    /// Bytes the n × n Float distance matrix of the fast path may take
    /// (`hdbscanMatrixMemory`); beyond it the distances are recomputed in
    /// O(n) memory, several times slower. nil: a quarter of physical memory.
    public var matrixMemoryLimit: Int? = nil

    /// Options with scikit-learn's defaults unless given.
    public init(minClusterSize: Int = 5, minSamples: Int? = nil, metric: AgglomerativeMetric = .euclidean,
                matrixMemoryLimit: Int? = nil) {
        self.minClusterSize = minClusterSize
        self.minSamples = minSamples
        self.metric = metric
        self.matrixMemoryLimit = matrixMemoryLimit
    }
}

/// Why HDBSCAN could not run on its input; the words a user reads are the caller's.
public enum HDBSCANError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `minClusterSize` below 2.
    case minClusterSize(Int)
    /// `minSamples` outside 1...n.
    case minSamples(Int, documents: Int)
    /// A zero vector under the cosine metric.
    case zeroVector(document: Int)
    /// A NaN or infinite component.
    case nonFinite(document: Int)

    /// In the API's terms, for tests and debugging.
    public var description: String {
        switch self {
        case .minClusterSize(let m): "minClusterSize must be at least 2, got \(m)"
        case .minSamples(let m, let n): "minSamples must be between 1 and the \(n) documents, got \(m)"
        case .zeroVector(let i): VectorDefect.zero.description(document: i)
        case .nonFinite(let i): VectorDefect.nonFinite.description(document: i)
        }
    }
}

/// Bytes of working memory HDBSCAN of `n` documents of dimension `d` needs:
/// a few arrays of n for the core distances, the spanning tree, the
/// single-linkage and condensed trees (about 256 bytes a document), a row of
/// n distances per thread, and a unit-length copy of the rows for cosine.
/// Saturates at `Int.max`.
/// - Complexity: O(1).
public func hdbscanMemory(documents n: Int, dimension d: Int, minSamples: Int, threads: Int,
                          metric: AgglomerativeMetric = .euclidean) -> Int {
    let perThread = saturatingProduct(max(1, threads), saturatingSum(saturatingProduct(n, 8), saturatingProduct(minSamples, 8)))
    let copy = metric == .cosine ? saturatingProduct(n, d, MemoryLayout<Float>.size) : 0
    return saturatingSum(saturatingProduct(n, 256), perThread, copy)
}

/// Clusters the rows of `x` by HDBSCAN; returns a label per document, -1 for
/// noise, clusters numbered 0... in the order scikit-learn numbers them.
///
/// - Throws: `HDBSCANError`, `Cancelled` (checked for every row of core
///   distances and every step of the tree, each n distances, and every few
///   thousand steps of the condensed tree).
/// - Parameter progress: hears (steps done, steps): the n documents' core
///   distances, then the n − 1 steps of the spanning tree, which cost about
///   the same (n distances each). It may be called from a worker thread, one
///   call at a time.
/// - Complexity: O(n² · d) arithmetic: when `hdbscanMatrixMemory` fits
///   `options.matrixMemoryLimit`, once by Gram tiles into an n × n Float matrix
///   (O(n²) memory, a few distances per document recomputed in Double);
///   otherwise each distance about twice in Double, O(n · minSamples) memory.
public func hdbscan(_ x: Embeddings, options: HDBSCANOptions = HDBSCANOptions(),
                    parallelism: Parallelism = .allCores,
                    cancellation: Cancellation? = nil, progress: ProgressCallback? = nil) throws -> [Int] {
    let n = x.count
    guard options.minClusterSize >= 2 else { throw HDBSCANError.minClusterSize(options.minClusterSize) }
    let minSamples = options.minSamples ?? options.minClusterSize
    guard minSamples >= 1, minSamples <= n else { throw HDBSCANError.minSamples(minSamples, documents: n) }
    if let bad = x.values.firstIndex(where: { !$0.isFinite }) {
        throw HDBSCANError.nonFinite(document: bad / max(1, x.dimension))
    }
    var rows = x
    if options.metric == .cosine {
        do { rows = try unitRows(x, parallelism: parallelism) } catch {
            let zero = (0 ..< n).first { i in x[row: i].allSatisfy { $0 == 0 } } ?? 0
            throw HDBSCANError.zeroVector(document: zero)
        }
    }
    if n == 1 { return [-1] }
    try cancellation?.check()
    let space = DistanceSpace(x: rows, metric: options.metric)
    let tally = ProgressTally(total: 2 * n - 1, progress)
    let tree: [Merge]
    if hdbscanMatrixMemory(documents: n) <= options.matrixMemoryLimit ?? defaultMatrixAllowance(), space.fitsFloatGram {
        let matrix = DistanceMatrix(space, parallelism: parallelism)
        let core = try space.coreDistances(into: matrix, neighbours: minSamples, parallelism: parallelism,
                                           cancellation: cancellation, tally: tally)
        tree = try space.spanningTree(matrix: matrix, core: core, parallelism: parallelism, cancellation: cancellation, tally: tally)
    } else {
        let core = try space.coreDistances(neighbours: minSamples, parallelism: parallelism, cancellation: cancellation, tally: tally)
        tree = try space.spanningTree(core: core, parallelism: parallelism, cancellation: cancellation, tally: tally)
    }
    try cancellation?.check()
    let hierarchy = SingleLinkage(tree, documents: n)
    let condensed = try CondensedTree(hierarchy, minClusterSize: options.minClusterSize, cancellation: cancellation)
    return try condensed.excessOfMassLabels(cancellation: cancellation)
}

/// Steps of the condensed tree's walks between two checks of the
/// cancellation: each step is a few operations, so checks cost nothing.
private let stepsBetweenChecks = 1024

/// Distances between the documents in Double, as scikit-learn computes them
/// (Euclidean, or 1 − cos of unit rows): mutual reachability distances tie
/// often, and which tied edge the tree takes depends on every comparison
/// before it, so Float rounding would change the labels.
struct DistanceSpace {
    let x: Embeddings
    let metric: AgglomerativeMetric
    var count: Int { x.count }

    /// Whether squared norms stay far enough below Float's range for Gram
    /// tiles to hold them (and their sums) without overflowing.
    var fitsFloatGram: Bool {
        x.values.withUnsafeBufferPointer { v in v.allSatisfy { abs($0) < 0x1p50 } } && x.dimension < 1 << 20
    }

    /// Distances from document `i` to every document, written to `out`.
    func distances(from i: Int, base: UnsafePointer<Float>, into out: UnsafeMutablePointer<Double>, range: Range<Int>) {
        let d = x.dimension
        let p = base + i * d
        for j in range {
            let s = squaredDistanceInDouble(p, base + j * d, d)
            out[j] = metric == .euclidean ? s.squareRoot() : max(0, s / 2)
        }
    }

    /// Distance to the `neighbours`-th nearest document, the document itself counting as the first.
    func coreDistances(neighbours: Int, parallelism: Parallelism, cancellation: Cancellation?,
                       tally: ProgressTally) throws(Cancelled) -> [Double] {
        let n = count
        var core = [Double](repeating: 0, count: n)
        guard neighbours > 1 else {
            tally.add(n)
            return core
        }
        let chunk = 64
        core.withUnsafeMutableBufferPointer { out in
            x.values.withUnsafeBufferPointer { v in
                guard let base = v.baseAddress else { return }
                parallelism.forEach(chunks: (n + chunk - 1) / chunk) { c in
                    var row = [Double](repeating: 0, count: n)
                    var smallest = [Double](repeating: .infinity, count: neighbours - 1)
                    row.withUnsafeMutableBufferPointer { r in
                        guard let rbase = r.baseAddress else { return }
                        for i in c * chunk ..< min(n, (c + 1) * chunk) {
                            // a row is n distances: checking once a row stops within milliseconds
                            if cancellation?.isCancelled == true { return }
                            distances(from: i, base: base, into: rbase, range: 0 ..< n)
                            for t in smallest.indices { smallest[t] = .infinity }
                            // The k − 1 smallest of the others, kept sorted.
                            for j in 0 ..< n where j != i {
                                let value = r[j]
                                if value >= smallest[neighbours - 2] { continue }
                                var t = neighbours - 2
                                while t > 0, smallest[t - 1] > value { smallest[t] = smallest[t - 1]; t -= 1 }
                                smallest[t] = value
                            }
                            out[i] = smallest[neighbours - 2]
                            tally.add()
                        }
                    }
                }
            }
        }
        try cancellation?.check()
        return core
    }

    /// Prim's tree of the mutual reachability distances max(core a, core b,
    /// d(a, b)) from document 0, as scikit-learn's `mst_from_data_matrix`:
    /// each step takes the first document (lowest index) at the smallest distance.
    func spanningTree(core: [Double], parallelism: Parallelism, cancellation: Cancellation?,
                      tally: ProgressTally) throws(Cancelled) -> [Merge] {
        let n = count
        var inTree = [Bool](repeating: false, count: n)
        var reach = [Double](repeating: .infinity, count: n)
        var source = [Int](repeating: 0, count: n)
        var row = [Double](repeating: 0, count: n)
        var edges: [Merge] = []
        edges.reserveCapacity(n - 1)
        let chunk = 2048
        let chunks = (n + chunk - 1) / chunk
        var best = [(Int, Double)](repeating: (-1, .infinity), count: chunks)
        var current = 0
        try x.values.withUnsafeBufferPointer { (v: UnsafeBufferPointer<Float>) throws(Cancelled) in
            guard let base = v.baseAddress else { return }
            for _ in 0 ..< n - 1 {
                try cancellation?.check()  // a step is n distances
                inTree[current] = true
                let c = current, coreC = core[c]
                inTree.withUnsafeBufferPointer { t in
                reach.withUnsafeMutableBufferPointer { r in
                source.withUnsafeMutableBufferPointer { s in
                row.withUnsafeMutableBufferPointer { dist in
                best.withUnsafeMutableBufferPointer { b in
                    guard let dbase = dist.baseAddress else { return }
                    parallelism.forEach(chunks: chunks) { k in
                        let range = k * chunk ..< min(n, (k + 1) * chunk)
                        distances(from: c, base: base, into: dbase, range: range)
                        var chosen = -1, value = Double.infinity
                        for j in range where !t[j] {
                            let mutual = max(coreC, core[j], dist[j])
                            if mutual < r[j] { r[j] = mutual; s[j] = c }
                            if r[j] < value { value = r[j]; chosen = j }
                        }
                        b[k] = (chosen, value)
                    }
                }
                }
                }
                }
                }
                var next = -1, value = Double.infinity
                for (j, v) in best where j >= 0 && (next < 0 || v < value) { next = j; value = v }
                edges.append(Merge(a: source[next], b: next, height: value))
                current = next
                tally.add()
            }
        }
        return edges
    }
}

/// scikit-learn's single-linkage tree from the spanning tree: edges sorted
/// stably by distance, node n + i made by the i-th merge.
private struct SingleLinkage {
    var left: [Int] = [], right: [Int] = [], distance: [Double] = [], size: [Int] = []
    let documents: Int

    init(_ edges: [Merge], documents n: Int) {
        documents = n
        let order = edges.indices.sorted {
            edges[$0].height != edges[$1].height ? edges[$0].height < edges[$1].height : $0 < $1
        }
        var parent = [Int](repeating: -1, count: 2 * n - 1)
        var sizes = [Int](repeating: 1, count: 2 * n - 1)
        func find(_ i: Int) -> Int {
            var r = i
            while parent[r] >= 0 { r = parent[r] }
            var j = i
            while parent[j] >= 0 { let next = parent[j]; parent[j] = r; j = next }
            return r
        }
        for (i, e) in order.enumerated() {
            let a = find(edges[e].a), b = find(edges[e].b)
            left.append(a); right.append(b); distance.append(edges[e].height)
            size.append(sizes[a] + sizes[b])
            parent[a] = n + i; parent[b] = n + i
            sizes[n + i] = sizes[a] + sizes[b]
        }
    }

    func count(_ node: Int) -> Int { node >= documents ? size[node - documents] : 1 }

    /// The nodes under `root` (itself included).
    func subtree(_ root: Int) -> [Int] {
        var out = [root]
        var i = 0
        while i < out.count {
            let node = out[i]
            if node >= documents { out.append(left[node - documents]); out.append(right[node - documents]) }
            i += 1
        }
        return out
    }
}

/// The condensed tree: clusters of at least `minClusterSize` documents, the
/// λ = 1 / distance at which each was born and each document fell out.
private struct CondensedTree {
    struct Row { var parent: Int; var child: Int; var lambda: Double; var size: Int }
    var rows: [Row] = []
    let documents: Int

    /// As scikit-learn's `_condense_tree`.
    init(_ h: SingleLinkage, minClusterSize: Int, cancellation: Cancellation?) throws(Cancelled) {
        let n = h.documents
        documents = n
        let root = 2 * n - 2
        var relabel = [Int](repeating: 0, count: root + 1)
        relabel[root] = n
        var nextLabel = n + 1
        var ignore = [Bool](repeating: false, count: root + 1)
        for (step, node) in h.subtree(root).enumerated() {
            if step % stepsBetweenChecks == 0 { try cancellation?.check() }
            if ignore[node] || node < n { continue }
            let l = h.left[node - n], r = h.right[node - n]
            let dist = h.distance[node - n]
            let lambda = dist > 0 ? 1 / dist : Double.infinity
            let lc = h.count(l), rc = h.count(r)
            func fallOut(_ side: Int) {
                for sub in h.subtree(side) {
                    if sub < n { rows.append(Row(parent: relabel[node], child: sub, lambda: lambda, size: 1)) }
                    ignore[sub] = true
                }
            }
            if lc >= minClusterSize && rc >= minClusterSize {
                relabel[l] = nextLabel; nextLabel += 1
                rows.append(Row(parent: relabel[node], child: relabel[l], lambda: lambda, size: lc))
                relabel[r] = nextLabel; nextLabel += 1
                rows.append(Row(parent: relabel[node], child: relabel[r], lambda: lambda, size: rc))
            } else if lc < minClusterSize && rc < minClusterSize {
                fallOut(l); fallOut(r)
            } else if lc < minClusterSize {
                relabel[r] = relabel[node]
                fallOut(l)
            } else {
                relabel[l] = relabel[node]
                fallOut(r)
            }
        }
    }

    /// Labels of the excess-of-mass clusters, the root never selected
    /// (scikit-learn's `allow_single_cluster=False`); -1 for noise.
    func excessOfMassLabels(cancellation: Cancellation?) throws(Cancelled) -> [Int] {
        let n = documents
        let top = rows.reduce(n) { max($0, $1.parent, $1.size > 1 ? $1.child : 0) }
        let clusters = top - n + 1
        var birth = [Double](repeating: 0, count: clusters)
        var parentOf = [Int](repeating: -1, count: clusters)
        var children = [[Int]](repeating: [], count: clusters)
        for row in rows where row.size > 1 {
            birth[row.child - n] = row.lambda
            parentOf[row.child - n] = row.parent - n
            children[row.parent - n].append(row.child - n)
        }
        var stability = [Double](repeating: 0, count: clusters)
        for row in rows { stability[row.parent - n] += (row.lambda - birth[row.parent - n]) * Double(row.size) }

        var selected = [Bool](repeating: true, count: clusters)
        selected[0] = false
        for c in stride(from: clusters - 1, through: 1, by: -1) {
            // nested clusters can make a step O(clusters)
            try cancellation?.check()
            let subtree = children[c].reduce(0.0) { $0 + stability[$1] }
            if subtree > stability[c] {
                selected[c] = false
                stability[c] = subtree
            } else {
                var stack = children[c]
                while let s = stack.popLast() { selected[s] = false; stack.append(contentsOf: children[s]) }
            }
        }
        var code = [Int](repeating: -1, count: clusters)
        var next = 0
        for c in 0 ..< clusters where selected[c] { code[c] = next; next += 1 }
        var labels = [Int](repeating: -1, count: n)
        for (step, row) in rows.enumerated() {
            if step % stepsBetweenChecks == 0 { try cancellation?.check() }
            guard row.size == 1 else { continue }
            var c = row.parent - n
            while c > 0, !selected[c] { c = parentOf[c] }
            labels[row.child] = c > 0 ? code[c] : -1
        }
        return labels
    }
}

/// Squared Euclidean distance of two Float rows, differences and sums in Double.
@inline(__always)
func squaredDistanceInDouble(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Double {
    var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
    var t = 0
    while t + 8 <= d {
        let x = UnsafeRawPointer(a + t).loadUnaligned(as: SIMD8<Float>.self)
        let y = UnsafeRawPointer(b + t).loadUnaligned(as: SIMD8<Float>.self)
        let e0 = SIMD4<Double>(x.lowHalf) - SIMD4<Double>(y.lowHalf)
        let e1 = SIMD4<Double>(x.highHalf) - SIMD4<Double>(y.highHalf)
        s0 = s0.addingProduct(e0, e0)
        s1 = s1.addingProduct(e1, e1)
        t += 8
    }
    let v = s0 + s1
    var s = (v[0] + v[1]) + (v[2] + v[3])
    while t < d {
        let e = Double(a[t]) - Double(b[t])
        s += e * e
        t += 1
    }
    return s
}
