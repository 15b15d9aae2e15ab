// HDBSCAN's core distances and spanning tree over an n × n Float matrix of
// squared distances from Gram tiles (sgemm): the O(n² · d) work once, at BLAS
// speed, instead of each distance twice in Double. Every decision stays
// scikit-learn's float64 one: the Float value decides only when its error
// bound (`SquaredDistanceBound`) leaves no doubt, otherwise the distance is
// recomputed in Double exactly as the streaming path computes it.

#if canImport(Glibc)
import Glibc
#endif

/// Bytes of the n × n Float matrix of HDBSCAN's fast path; saturates at `Int.max`.
/// - Complexity: O(1).
public func hdbscanMatrixMemory(documents n: Int) -> Int {
    saturatingProduct(n, n, MemoryLayout<Float>.size)
}

/// A quarter of this machine's physical memory: the matrix's default allowance.
func defaultMatrixAllowance() -> Int {
    let pages = Int(sysconf(Int32(_SC_PHYS_PAGES))), size = Int(sysconf(Int32(_SC_PAGESIZE)))
    return pages > 0 && size > 0 ? saturatingProduct(pages, size) / 4 : 1 << 30
}

/// The squared distances of all pairs of `space`'s rows, with what is
/// needed to bound their error and recompute the close calls.
struct DistanceMatrix: ~Copyable {
    let n: Int
    let values: UnsafeMutablePointer<Float>
    let norms: [Double]
    let bound: SquaredDistanceBound

    init(_ space: DistanceSpace, parallelism: Parallelism) {
        n = space.count
        values = allocateMatrix(count: n * n)
        norms = squaredNorms(space.x, parallelism: parallelism)
        bound = SquaredDistanceBound(dimension: space.x.dimension)
    }

    deinit { free(values) }
}

extension DistanceSpace {
    /// A distance in the metric's units as a squared Euclidean distance of the rows.
    @inline(__always)
    func squared(_ distance: Double) -> Double {
        metric == .euclidean ? distance * distance : 2 * distance
    }

    /// The metric's distance from an exact squared Euclidean distance of the rows.
    @inline(__always)
    func distance(squared s: Double) -> Double {
        metric == .euclidean ? s.squareRoot() : max(0, s / 2)
    }

    /// Fills the matrix by symmetric tiles and takes each row's core distance
    /// as soon as its block of rows is complete (one progress step a row).
    func coreDistances(into m: borrowing DistanceMatrix, neighbours: Int, parallelism: Parallelism,
                       cancellation: Cancellation?, tally: ProgressTally) throws(Cancelled) -> [Double] {
        let n = count, d = x.dimension
        var core = [Double](repeating: 0, count: n)
        let values = m.values, norms = m.norms, bound = m.bound
        let largest = norms.max() ?? 0
        try core.withUnsafeMutableBufferPointer { (out: inout UnsafeMutableBufferPointer<Double>) throws(Cancelled) in
            let out = out
            try x.values.withUnsafeBufferPointer { (v: UnsafeBufferPointer<Float>) throws(Cancelled) in
                guard let base = v.baseAddress else { return }
                try fillSquaredDistances(x, norms: norms, into: values, parallelism: parallelism, cancellation: cancellation) { rows in
                    let chunk = 8
                    parallelism.forEach(chunks: (rows.count + chunk - 1) / chunk) { c in
                        for i in rows.lowerBound + c * chunk ..< min(rows.upperBound, rows.lowerBound + (c + 1) * chunk) {
                            // a row is n distances: checking once a row stops within milliseconds
                            if cancellation?.isCancelled == true { return }
                            out[i] = coreDistance(of: i, row: values + i * n, neighbours: neighbours, base: base, d: d,
                                                  norms: norms, largest: largest, bound: bound)
                            tally.add()
                        }
                    }
                }
            }
        }
        try cancellation?.check()
        return core
    }

    /// Distance to the `neighbours`-th nearest document (itself the first):
    /// the k − 1 smallest Float values plus the largest error bound make a
    /// threshold no exact k − 1-th smallest passes, and only the documents
    /// whose lower bound is within it are measured in Double.
    private func coreDistance(of i: Int, row: UnsafePointer<Float>, neighbours: Int, base: UnsafePointer<Float>, d: Int,
                              norms: [Double], largest: Double, bound: SquaredDistanceBound) -> Double {
        let need = neighbours - 1
        guard need > 0 else { return 0 }
        let ni = norms[i]
        var smallest = [Float](repeating: .infinity, count: need)
        for j in 0 ..< count where row[j] < smallest[need - 1] && j != i {
            insertSorted(row[j], into: &smallest)
        }
        let threshold = Double(smallest[need - 1]) + bound.of(ni, largest)
        // candidates in Float first: a superset of those within the threshold
        let coarse = Float(threshold + bound.of(ni, largest)).nextUp
        var exact = [Double](repeating: .infinity, count: need)
        for j in 0 ..< count where row[j] <= coarse && j != i {
            guard Double(row[j]) - bound.of(ni, norms[j]) <= threshold else { continue }
            let s = squaredDistanceInDouble(base + i * d, base + j * d, d)
            if s < exact[need - 1] { insertSorted(s, into: &exact) }
        }
        return distance(squared: exact[need - 1])
    }

    /// Prim's tree as `spanningTree` builds it (scikit-learn's
    /// `mst_from_data_matrix`: from document 0, each step the lowest-indexed
    /// document at the smallest mutual reachability distance), reading
    /// distances from the matrix's rows and measuring in Double only where
    /// the Float value is too close to the core distances or the current best.
    func spanningTree(matrix m: borrowing DistanceMatrix, core: [Double], parallelism: Parallelism,
                      cancellation: Cancellation?, tally: ProgressTally) throws(Cancelled) -> [Merge] {
        let n = count, d = x.dimension
        var reach = [Double](repeating: .infinity, count: n)
        var source = [Int](repeating: 0, count: n)
        // Documents not yet in the tree, in any order: ties go to the lowest index.
        var open = Array(1 ..< n)
        var position = Array(-1 ..< n - 1)
        var edges: [Merge] = []
        edges.reserveCapacity(n - 1)
        let values = m.values, norms = m.norms, bound = m.bound
        let slots = max(1, parallelism.threads) * 4
        var best = [(Int, Double)](repeating: (-1, .infinity), count: slots)
        var current = 0
        try x.values.withUnsafeBufferPointer { (v: UnsafeBufferPointer<Float>) throws(Cancelled) in
            guard let base = v.baseAddress else { return }
            while !open.isEmpty {
                try cancellation?.check()  // a step is n distances
                let c = current, coreC = core[c], normC = norms[c]
                let row = values + c * n
                let chunks = open.count >= 8192 ? slots : 1
                let chunk = (open.count + chunks - 1) / chunks
                open.withUnsafeBufferPointer { o in
                reach.withUnsafeMutableBufferPointer { r in
                source.withUnsafeMutableBufferPointer { s in
                best.withUnsafeMutableBufferPointer { b in
                    parallelism.forEach(chunks: chunks) { k in
                        var chosen = -1, value = Double.infinity
                        for t in k * chunk ..< min(o.count, (k + 1) * chunk) {
                            let j = o[t]
                            let rj = r[j], floor = max(coreC, core[j])
                            if floor < rj {
                                let mutual = mutualReachability(c, j, floor: floor, ceiling: rj, estimate: Double(row[j]),
                                                                error: bound.of(normC, norms[j]), base: base, d: d)
                                if mutual < rj { r[j] = mutual; s[j] = c }
                            }
                            if r[j] < value || (r[j] == value && (chosen < 0 || j < chosen)) { value = r[j]; chosen = j }
                        }
                        b[k] = (chosen, value)
                    }
                }
                }
                }
                }
                var next = -1, value = Double.infinity
                for (j, v) in best.prefix(chunks) where j >= 0 && (next < 0 || v < value || (v == value && j < next)) {
                    next = j; value = v
                }
                edges.append(Merge(a: source[next], b: next, height: value))
                // out of the open list: the last one takes its place
                let at = position[next], last = open.removeLast()
                if last != next { open[at] = last; position[last] = at }
                current = next
                tally.add()
            }
        }
        return edges
    }

    /// max(`floor`, distance(c, j)) when it is below `ceiling`, else +∞ (no
    /// better than the current best): from the Float `estimate` of the
    /// squared distance when its `error` leaves no doubt, else in Double.
    @inline(__always)
    private func mutualReachability(_ c: Int, _ j: Int, floor: Double, ceiling: Double, estimate: Double, error: Double,
                                    base: UnsafePointer<Float>, d: Int) -> Double {
        // 2⁻⁴⁰: the Double recomputation's and the squaring's own rounding
        if estimate - error > squared(ceiling) * (1 + 0x1p-40) { return .infinity }
        if estimate + error < squared(floor) * (1 - 0x1p-40) { return floor }
        return max(floor, distance(squared: squaredDistanceInDouble(base + c * d, base + j * d, d)))
    }
}

/// Inserts `value` into the ascending `list`, dropping its largest element.
@inline(__always)
private func insertSorted<T: Comparable>(_ value: T, into list: inout [T]) {
    var t = list.count - 1
    while t > 0, list[t - 1] > value { list[t] = list[t - 1]; t -= 1 }
    list[t] = value
}
