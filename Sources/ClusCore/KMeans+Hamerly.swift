// Hamerly's exact acceleration of Lloyd's assignment (Hamerly 2010, "Making
// k-means even faster"): per document an upper bound u on the distance to its
// centre and a lower bound l on the distance to every other centre. When the
// centres move by δ_j, u += δ_a and l −= max δ; a document whose bounds still
// separate its centre from the rest (or whose u is within half the distance
// from its centre to the nearest other one) keeps its label without a
// distance computation. Only the rest go through the blocked kernel.

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

    init(rows: RowMatrix, plan: ChunkPlan, parallelism: Parallelism) {
        let n = rows.count, d = rows.dimension
        upper = [Double](repeating: 0, count: n)
        lower = [Double](repeating: 0, count: n)
        var norms = [Double](repeating: 0, count: n)
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
        self.norms = norms
    }
}

/// The centres exactly as the kernel sees them (the panel's Floats, widened)
/// and the distances Hamerly's test needs, in Double.
struct CentreGeometry {
    /// k × d.
    let centres: [Double]
    /// The largest |c|.
    let radius: Double
    /// s(j): distance from centre j to its nearest other centre (∞ when k = 1).
    let separation: [Double]

    /// - Complexity: O(k² · d), spread over the threads by centre.
    init(panel: CentrePanel, dimension d: Int, parallelism: Parallelism) {
        let k = panel.clusterCount, stride = panel.stride
        var centres = [Double](repeating: 0, count: k * d)
        var radius = 0.0
        for j in 0 ..< k {
            var s = 0.0
            for t in 0 ..< d {
                let v = Double(panel.values[j * stride + t])
                centres[j * d + t] = v
                s += v * v
            }
            radius = max(radius, s.squareRoot())
        }
        var separation = [Double](repeating: .infinity, count: k)
        panel.values.withUnsafeBufferPointer { f in
        centres.withUnsafeBufferPointer { c in
        separation.withUnsafeMutableBufferPointer { out in
            guard let fbase = f.baseAddress, let cbase = c.baseAddress else { return }
            parallelism.forEach(chunks: k) { j in
                var nearest = Double.infinity
                for other in 0 ..< k where other != j {
                    nearest = min(nearest, squaredDistanceDouble(fbase + j * stride, cbase + other * d, d))
                }
                out[j] = nearest.squareRoot()
            }
        }
        }
        }
        self.centres = centres
        self.radius = radius
        self.separation = separation
    }
}

/// How far each centre moved since the last assignment.
private struct CentreMoves {
    var distance: [Double]
    /// The centre that moved most, its move and the largest move of the others.
    var largest = 0
    var first = 0.0
    var second = 0.0

    init(from old: CentreGeometry, to new: CentreGeometry, clusterCount k: Int, dimension d: Int) {
        distance = [Double](repeating: 0, count: k)
        for j in 0 ..< k {
            var s = 0.0
            for t in 0 ..< d {
                let e = new.centres[j * d + t] - old.centres[j * d + t]
                s += e * e
            }
            let move = s.squareRoot()
            distance[j] = move
            if move > first { second = first; first = move; largest = j } else if move > second { second = move }
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
    var roundingMargin: Double {
        Double(2 * ((rows.dimension + 7) / 8) + 16) * 0x1p-24
    }

    /// Assigns as `assignChunk` would, through Hamerly's bounds: a document
    /// is skipped only when its bounds prove that the kernel's Float scores
    /// put its labelled centre strictly first, i.e. when the squared gap to
    /// every other centre exceeds twice the rounding margin. The others are
    /// scored by the blocked kernel, per chunk, from a list of their indices.
    ///
    /// - Returns: how many documents the kernel scored.
    /// - Complexity: O(n + k² · d + (scored documents) · k · d).
    @discardableResult
    func assignBounded(_ panel: CentrePanel, labels: inout [Int], bounds: HamerlyBounds) -> Int {
        let d = rows.dimension, k = clusterCount
        let geometry = CentreGeometry(panel: panel, dimension: d, parallelism: parallelism)
        let moves = bounds.last.map { CentreMoves(from: $0, to: geometry, clusterCount: k, dimension: d) }
        let eta = roundingMargin
        var scored = [Int](repeating: 0, count: plan.chunks)
        scored.withUnsafeMutableBufferPointer { scoredBuffer in
        labels.withUnsafeMutableBufferPointer { labelBuffer in
        bounds.upper.withUnsafeMutableBufferPointer { upperBuffer in
        bounds.lower.withUnsafeMutableBufferPointer { lowerBuffer in
        bounds.norms.withUnsafeBufferPointer { normBuffer in
        geometry.centres.withUnsafeBufferPointer { centreBuffer in
        geometry.separation.withUnsafeBufferPointer { separation in
            guard let l = labelBuffer.baseAddress, let upper = upperBuffer.baseAddress,
                  let lower = lowerBuffer.baseAddress, let norms = normBuffer.baseAddress,
                  let centres = centreBuffer.baseAddress else { return }
            let radius = geometry.radius
            parallelism.forEach(chunks: plan.chunks) { chunk in
                if cancellation?.isCancelled == true { return }
                let range = plan.range(chunk)
                let list = UnsafeMutablePointer<Int>.allocate(capacity: range.count)
                defer { list.deallocate() }
                var listed = 0
                for i in range {
                    let a = l[i]
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
                        u = squaredDistanceDouble(rows.row(i), centres + a * d, d).squareRoot()
                        if !separated(u) {
                            list[listed] = i
                            listed += 1
                        }
                    }
                    upper[i] = u
                    lower[i] = low
                }
                scoredBuffer[chunk] = listed
                scanCentres(rows, panel, documents: listed, document: { list[$0] }) { (i: Int, best: NearestTwo) in
                    l[i] = best.index
                    // Scores are |x − c|² − |x|² up to the margin.
                    let square = norms[i] * norms[i]
                    let scale = norms[i] + radius
                    let margin = eta * scale * scale
                    upper[i] = max(0, Double(best.score) + square + margin).squareRoot()
                    lower[i] = max(0, Double(best.second) + square - margin).squareRoot()
                }
            }
        }
        }
        }
        }
        }
        }
        }
        bounds.last = geometry
        return scored.reduce(0, +)
    }
}
