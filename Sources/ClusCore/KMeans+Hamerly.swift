// Hamerly's exact acceleration of Lloyd's assignment (Hamerly 2010, "Making
// k-means even faster"): per document an upper bound u on the distance to its
// centre and a lower bound l on the distance to every other centre. When the
// centres move by δ_j, u += δ_a and l −= max δ. Every other centre is then at
// least max(l, s(a) − u) away, s(a) the distance from the document's centre a
// to its nearest other centre (Hamerly's u ≤ s(a)/2 test, generalised); when
// that beats u, with a margin for the Float rounding, the document keeps its
// label without a distance computation. If not, u is recomputed and the test
// retried; only the rest go through the blocked kernel.

/// Hamerly's per-document bounds, kept across the iterations of one run.
final class HamerlyBounds {
    /// u: at least the distance from each document to its labelled centre.
    var upper: [Double]
    /// l: at most the distance from each document to any other centre.
    var lower: [Double]
    /// |x|, for the rounding margin.
    let norms: [Double]
    /// The centres of the last assignment, for the moves.
    var last: CentreGeometry?
    /// Whether to recompute u exactly before giving up on a document: worth
    /// it while at least 1 in k of those documents is spared the kernel (k
    /// distances); re-tried every 4th pass when not. Speed only: labels are
    /// the kernel's either way.
    var tightening = true
    var passes = 0

    init(rows: RowMatrix, plan: ChunkPlan, parallelism: Parallelism) {
        let n = rows.count
        upper = [Double](repeating: 0, count: n)
        lower = [Double](repeating: 0, count: n)
        norms = documentNorms(rows, plan: plan, parallelism: parallelism)
    }
}

/// |x| of every document, summed in Double in dimension order: the bounds'
/// rounding margins (Hamerly's and Yinyang's) are reckoned for this sum.
func documentNorms(_ rows: RowMatrix, plan: ChunkPlan, parallelism: Parallelism) -> [Double] {
    let d = rows.dimension
    var norms = [Double](repeating: 0, count: rows.count)
    norms.withUnsafeMutableBufferPointer { out in
        parallelism.forEach(chunks: plan.chunks) { c in
            for i in plan.range(c) {
                let p = rows.row(i)
                var s = 0.0
                for t in 0 ..< d { s += Double(p[t]) * Double(p[t]) }
                out[i] = s.squareRoot()
            }
        }
    }
    return norms
}

/// Bounds on the distance between two Float vectors from `squaredDistance`:
/// its terms are all positive, so its Float rounding is relative, at most
/// `η` (see `Lloyd.roundingMargin`) of the exact squared distance (short of
/// underflow, far below the absolute margin of Hamerly's test).
@inline(__always)
func distanceBounds(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int,
                    eta: Double) -> (lower: Double, upper: Double) {
    let square = Double(squaredDistance(a, b, d))
    // An overflow says nothing (the kernel's scores would overflow too).
    guard square.isFinite else { return (0, .infinity) }
    return ((square * (1 - eta)).squareRoot(), (square * (1 + eta)).squareRoot())
}

/// The distances between the panel's centres that Hamerly's test needs.
struct CentreGeometry {
    /// The panel's Float centres, k rows of `stride`.
    let centres: [Float]
    let stride: Int
    /// The largest |c|.
    let radius: Double
    /// s(j): at most the distance from centre j to its nearest other centre
    /// (∞ when k = 1).
    let separation: [Double]

    /// - Complexity: O(k² · d), spread over the threads by centre.
    init(panel: CentrePanel, dimension d: Int, eta: Double, parallelism: Parallelism) {
        let k = panel.clusterCount, stride = panel.stride
        var radius = 0.0
        for j in 0 ..< k {
            var s = 0.0
            for t in 0 ..< d { s += Double(panel.values[j * stride + t]) * Double(panel.values[j * stride + t]) }
            radius = max(radius, s.squareRoot())
        }
        var separation = [Double](repeating: .infinity, count: k)
        panel.values.withUnsafeBufferPointer { f in
        separation.withUnsafeMutableBufferPointer { out in
            guard let c = f.baseAddress else { return }
            parallelism.forEach(chunks: k) { j in
                var nearest = Double.infinity
                for other in 0 ..< k where other != j {
                    nearest = min(nearest, distanceBounds(c + j * stride, c + other * stride, d, eta: eta).lower)
                }
                out[j] = nearest
            }
        }
        }
        centres = panel.values
        self.stride = stride
        self.radius = radius
        self.separation = separation
    }
}

/// How far each centre moved since the last assignment (upper bounds).
private struct CentreMoves {
    var distance: [Double]
    /// The centre that moved most, its move and the largest move of the others.
    var largest = 0
    var first = 0.0
    var second = 0.0

    init(from old: CentreGeometry, to new: CentreGeometry, clusterCount k: Int, dimension d: Int, eta: Double) {
        distance = [Double](repeating: 0, count: k)
        old.centres.withUnsafeBufferPointer { o in
        new.centres.withUnsafeBufferPointer { n in
            guard let ob = o.baseAddress, let nb = n.baseAddress else { return }
            for j in 0 ..< k {
                let move = distanceBounds(nb + j * new.stride, ob + j * old.stride, d, eta: eta).upper
                distance[j] = move
                if move > first { second = first; first = move; largest = j } else if move > second { second = move }
            }
        }
        }
    }
}

extension Lloyd {
    /// Relative size of the kernel's Float rounding: each score
    /// |c|² − 2x·c is within `η · (|x| + |c|)²` of its exact value. The dot
    /// product is 8 lanes of ⌈d/8⌉ multiply-adds (two roundings each without
    /// FMA) and 3 lane additions, then |c|² rounded to Float and one
    /// subtraction: γ_m ≈ m · 2⁻²⁴ with m = 2⌈d/8⌉ + 16 covers all of them,
    /// with room for the Double rounding of the bounds (≈ 2⁻⁵³ per step).
    /// It also bounds `squaredDistance`'s relative error (⌈d/32⌉ + 5 roundings
    /// deep, each term a difference and a square).
    var roundingMargin: Double {
        Double(2 * ((rows.dimension + 7) / 8) + 16) * 0x1p-24
    }

    /// Assigns as `assignChunk` would, through Hamerly's bounds: a document
    /// is skipped only when its bounds prove that the kernel's Float scores
    /// put its labelled centre strictly first, i.e. when the squared gap to
    /// every other centre exceeds twice the rounding margin. The others are
    /// scored by the blocked kernel from a list of their indices, 64
    /// documents at a time, so the rows the bounds test just read (to
    /// tighten u) are still in cache when they are scored.
    ///
    /// With `sums`, the documents that change cluster are moved in them
    /// during the pass, while their rows are in cache (per-worker integer
    /// deltas, added after: the same sums in any order).
    ///
    /// - Returns: how many documents the kernel scored, and how many changed cluster.
    /// - Complexity: O(n + k² · d + (scored documents) · k · d).
    @discardableResult
    func assignBounded(_ panel: CentrePanel, labels: inout [Int], bounds: HamerlyBounds,
                       moving sums: UnsafeMutablePointer<CentreSums>? = nil) -> (scored: Int, moved: Int) {
        let d = rows.dimension, k = clusterCount
        let eta = roundingMargin
        let geometry = CentreGeometry(panel: panel, dimension: d, eta: eta, parallelism: parallelism)
        let moves = bounds.last.map { CentreMoves(from: $0, to: geometry, clusterCount: k, dimension: d, eta: eta) }
        let tightening = bounds.tightening
        // Per chunk: documents scored, tightened, tightened and then skipped, moved.
        var counts = [Int](repeating: 0, count: 4 * plan.chunks)
        let passMoves = sums.map { PassMoves($0.pointee, workers: parallelism.threads) }
        defer { passMoves?.deallocate() }
        counts.withUnsafeMutableBufferPointer { countBuffer in
        labels.withUnsafeMutableBufferPointer { labelBuffer in
        bounds.upper.withUnsafeMutableBufferPointer { upperBuffer in
        bounds.lower.withUnsafeMutableBufferPointer { lowerBuffer in
        bounds.norms.withUnsafeBufferPointer { normBuffer in
        panel.values.withUnsafeBufferPointer { centreBuffer in
        geometry.separation.withUnsafeBufferPointer { separation in
            guard let l = labelBuffer.baseAddress, let upper = upperBuffer.baseAddress,
                  let lower = lowerBuffer.baseAddress, let norms = normBuffer.baseAddress,
                  let centres = centreBuffer.baseAddress else { return }
            let radius = geometry.radius
            let block = 64
            parallelism.forEach(chunks: plan.chunks) { chunk, worker in
                if cancellation?.isCancelled == true { return }
                let range = plan.range(chunk)
                let list = UnsafeMutablePointer<Int>.allocate(capacity: block)
                let before = UnsafeMutablePointer<Int>.allocate(capacity: block)
                defer { list.deallocate(); before.deallocate() }
                var scored = 0, tightened = 0, rescued = 0, moved = 0
                var lo = range.lowerBound
                while lo < range.upperBound {
                    let hi = min(range.upperBound, lo + block)
                    var listed = 0
                    for i in lo ..< hi {
                        let a = l[i]
                        before[i - lo] = a
                        guard a >= 0, let moves else {
                            list[listed] = i
                            listed += 1
                            continue
                        }
                        let scale = norms[i] + radius
                        let margin = 2 * eta * scale * scale
                        var u = upper[i] + moves.distance[a]
                        let low = lower[i] - (a == moves.largest ? moves.second : moves.first)
                        // Every other centre is at least max(l, s(a) − u) away (triangle
                        // inequality); the squared gap must beat both scores' rounding.
                        @inline(__always)
                        func separated(_ u: Double) -> Bool {
                            let z = max(low, separation[a] - u)
                            return z > 0 && z * z > u * u + margin
                        }
                        if !separated(u) {
                            if tightening {
                                u = distanceBounds(rows.row(i), centres + a * panel.stride, d, eta: eta).upper
                                tightened += 1
                            }
                            if tightening && separated(u) {
                                rescued += 1
                            } else {
                                list[listed] = i
                                listed += 1
                            }
                        }
                        upper[i] = u
                        lower[i] = low
                    }
                    scanCentres(rows, panel, documents: listed, document: { list[$0] }) { (i: Int, best: NearestTwo) in
                        l[i] = best.index
                        // Scores are |x − c|² − |x|² up to the margin.
                        let square = norms[i] * norms[i]
                        let scale = norms[i] + radius
                        let margin = eta * scale * scale
                        upper[i] = max(0, Double(best.score) + square + margin).squareRoot()
                        lower[i] = max(0, Double(best.second) + square - margin).squareRoot()
                    }
                    scored += listed
                    for m in 0 ..< listed {
                        let i = list[m], from = before[i - lo], to = l[i]
                        guard to != from else { continue }
                        moved += 1
                        passMoves?.move(rows.row(i), from: from, to: to, worker: worker)
                    }
                    lo = hi
                }
                countBuffer[4 * chunk] = scored
                countBuffer[4 * chunk + 1] = tightened
                countBuffer[4 * chunk + 2] = rescued
                countBuffer[4 * chunk + 3] = moved
            }
        }
        }
        }
        }
        }
        }
        }
        bounds.last = geometry
        var scored = 0, tightened = 0, rescued = 0, moved = 0
        for chunk in 0 ..< plan.chunks {
            scored += counts[4 * chunk]
            tightened += counts[4 * chunk + 1]
            rescued += counts[4 * chunk + 2]
            moved += counts[4 * chunk + 3]
        }
        if let passMoves, let sums { passMoves.apply(to: &sums.pointee, parallelism: parallelism) }
        bounds.passes += 1
        bounds.tightening = (tightening && rescued * k >= tightened) || bounds.passes % 4 == 0
        return (scored, moved)
    }
}
