// Yinyang k-means (Ding et al. 2015, "Yinyang K-Means: A Drop-In Replacement
// of the Classic K-Means with Consistent Speedup"): the centres are split once
// into t groups by k-means on the initial centres; each document keeps an
// upper bound u on the distance to its centre and, per group, a lower bound on
// the distance to the group's other centres. When the centres move, u grows by
// its centre's move and a group's bound shrinks by the group's largest move.
// A document whose every group bound beats u keeps its label (global filter);
// otherwise only the groups whose bound does not beat u are scored (group
// filter), and in them only the centres whose own bound (the old group bound
// less the centre's move) does not beat the best so far (local filter).
// As with Hamerly's bounds every test carries the kernel's rounding margin and
// every score is the kernel's own (the same Float rounding per document and
// centre), so the labels are exactly those of the full kernel, ties included.

/// Whether Yinyang's passes run the global, group and local filters.
/// On data where they spare few documents (overlapping clusters in high
/// dimension: 100,000 blobs × 128, k = 100, spares 15–50% a pass) the filters
/// cost more than they save, and scanning every document in full (which
/// renews the bounds all the same) is faster.
enum YinyangFiltering: Sendable, Equatable {
    /// Each filtered pass times its filters and its full scans (per block of
    /// documents); the next pass scans all in full when that would have cost
    /// less, and the filters are tried again after 1, 2, 4, then every 8
    /// passes (`YinyangBounds.filtersPay`).
    case timed
    /// Every pass filters (the reference for the tests).
    case always
    /// Every other pass scans all in full (tests: both transitions).
    case alternating
}

/// The centre groups and per-document bounds of Yinyang k-means, kept across
/// the iterations of one run.
final class YinyangBounds {
    /// t, the number of centre groups.
    let groupCount: Int
    /// The group of each centre.
    let groupOf: [Int]
    /// Centre indices by group, ascending within a group; group g is
    /// `members[start[g] ..< start[g + 1]]`.
    let members: [Int]
    let start: [Int]
    /// Each centre's position in `members`.
    let positions: UnsafeMutableBufferPointer<Int>
    /// u: at least the distance from each document to its labelled centre.
    let upper: UnsafeMutableBufferPointer<Double>
    /// Per document and group (n × t), at most the distance to every centre
    /// of the group but the document's own; Float rounded down to halve the memory.
    let lower: UnsafeMutableBufferPointer<Float>
    /// |x|, for the rounding margin.
    let norms: UnsafeMutableBufferPointer<Double>
    /// The panel of the last assignment, for the centres' moves.
    var last: CentrePanel?
    /// Whether the full scan runs through the Gram kernel: timed against the blocked kernel on
    /// the first pass (nil until then).
    var gemm: Bool?
    /// The share of the centres above which a document is scanned in full
    /// rather than group by group (`FullScanTimes.share`; nil until the first pass).
    var fullScanShare: Double?
    /// The documents rounded (nil when the CPU has no rounded format, or
    /// once the first pass timed that scan slower), and whether the full
    /// scan starts from their products (nil until timed).
    var roundedRows: RoundedRows?
    var rounded: Bool?
    /// Whether documents failing the global filter get their upper bound
    /// recomputed before the group filter: while 1 in k of them is spared
    /// the full scan; re-tried every 4th pass when not. Speed only.
    var tightening = true
    /// How the passes choose between running the filters and scanning every
    /// document in full. Speed only: both give the same labels and bounds.
    var filtering: YinyangFiltering = .timed
    /// Whether the next pass runs the filters.
    var filters = true
    /// When the filters, off, are tried again, and the gap to the next try if they still do not pay.
    var filterProbe = (pass: 0, gap: 1)
    var passes = 0
    /// Documents scored against every centre, and centre scores computed, in the last pass.
    var fullScans = 0
    var scores = 0

    /// Whether the next pass should run the filters (`YinyangFiltering.timed`),
    /// after a pass that ran them or not (`filtered`), took `filtering` and
    /// `scanning` (summed over the threads) and scanned `fullScans` of
    /// `documents` in full. The first two passes filter; then a filtered pass
    /// keeps the filters while it cost less than its full scans' time per
    /// document over all documents would have. Without them, they are tried
    /// again after 1, 2, 4, then every 8 passes: the documents they spare grow
    /// as the centres settle.
    func filtersPay(filtered: Bool, filtering: Double, scanning: Double, documents: Int) -> Bool {
        if passes <= 2 { return true }
        if !filtered { return passes >= filterProbe.pass }
        if fullScans == 0 || scanning * Double(documents) / Double(fullScans) > filtering + scanning {
            filterProbe.gap = 1
            return true
        }
        filterProbe = (passes + filterProbe.gap, min(8, 2 * filterProbe.gap))
        return false
    }

    /// Groups the initial `centres` (k × d, Double) into `groupCount` groups.
    init(rows: RowMatrix, centres: [Double], clusterCount k: Int, groupCount: Int,
         plan: ChunkPlan, parallelism: Parallelism) {
        let n = rows.count, d = rows.dimension
        let t = max(1, min(groupCount, k))
        self.groupCount = t
        let groupOf = groupCentres(centres, clusterCount: k, dimension: d, groups: t, parallelism: parallelism)
        var start = [Int](repeating: 0, count: t + 1)
        for g in groupOf { start[g + 1] += 1 }
        for g in 0 ..< t { start[g + 1] += start[g] }
        var fill = start
        var members = [Int](repeating: 0, count: k)
        for (j, g) in groupOf.enumerated() {
            members[fill[g]] = j
            fill[g] += 1
        }
        self.groupOf = groupOf
        self.members = members
        self.start = start
        positions = .allocate(capacity: k)
        for (q, j) in members.enumerated() { positions[j] = q }
        upper = .allocate(capacity: n)
        upper.initialize(repeating: .infinity)
        lower = .allocate(capacity: n * t)
        lower.initialize(repeating: 0)
        norms = .allocate(capacity: n)
        _ = norms.initialize(from: documentNorms(rows, plan: plan, parallelism: parallelism))
    }

    deinit {
        upper.deallocate()
        lower.deallocate()
        norms.deallocate()
        positions.deallocate()
    }

    /// t for k centres as Ding et al. choose it (k / 10), capped so the
    /// n × t Float bounds take at most half the data's memory (t ≤ d / 2).
    static func groupCount(clusterCount k: Int, dimension d: Int) -> Int {
        max(1, min(k / 10, d / 2))
    }
}

/// Groups of centres by a few Lloyd iterations in Double, started from
/// evenly spaced centres (deterministic); ties go to the lower group.
///
/// - Complexity: O(5 · k · t · d), spread over the threads by centre.
func groupCentres(_ centres: [Double], clusterCount k: Int, dimension d: Int, groups t: Int,
                  parallelism: Parallelism) -> [Int] {
    var means = [Double](repeating: 0, count: t * d)
    for g in 0 ..< t {
        let j = g * k / t
        for e in 0 ..< d { means[g * d + e] = centres[j * d + e] }
    }
    var groupOf = [Int](repeating: 0, count: k)
    for round in 0 ... 5 {
        groupOf.withUnsafeMutableBufferPointer { out in
        centres.withUnsafeBufferPointer { c in
        means.withUnsafeBufferPointer { m in
            let blocks = (k + 15) / 16
            parallelism.forEach(chunks: blocks) { b in
                for j in b * 16 ..< min(k, b * 16 + 16) {
                    var best = 0, bestDistance = Double.infinity
                    for g in 0 ..< t {
                        var s = 0.0
                        for e in 0 ..< d { let v = c[j * d + e] - m[g * d + e]; s += v * v }
                        if s < bestDistance { bestDistance = s; best = g }
                    }
                    out[j] = best
                }
            }
        }
        }
        }
        if round == 5 { break }
        var counts = [Int](repeating: 0, count: t)
        var sums = [Double](repeating: 0, count: t * d)
        for j in 0 ..< k {
            counts[groupOf[j]] += 1
            for e in 0 ..< d { sums[groupOf[j] * d + e] += centres[j * d + e] }
        }
        for g in 0 ..< t where counts[g] > 0 {
            for e in 0 ..< d { means[g * d + e] = sums[g * d + e] / Double(counts[g]) }
        }
    }
    return groupOf
}

/// A Double rounded down to a Float, so a lower bound stays one.
@inline(__always)
func floatBelow(_ v: Double) -> Float {
    let f = Float(v)
    return Double(f) > v ? f.nextDown : f
}

/// The kernel's score |c|² − 2 x·c of one document and one centre, rounded
/// exactly as `scanCentres` rounds it (one lane accumulator per pair).
@inline(__always)
func kernelScore(_ p: UnsafePointer<Float>, _ d: Int, _ c: UnsafePointer<Float>, bias: Float) -> Float {
    var a = Lane()
    var t = 0
    while t + 8 <= d {
        a = a.addingProduct(UnsafeRawPointer(p + t).loadUnaligned(as: Lane.self),
                            UnsafeRawPointer(c + t).loadUnaligned(as: Lane.self))
        t += 8
    }
    if t < d { a = a.addingProduct(loadLane(p + t, d - t), UnsafeRawPointer(c + t).loadUnaligned(as: Lane.self)) }
    let dot = laneSum(a)
    return bias - (dot + dot)
}

/// Kernel scores of one document against `count` listed centres, six at a
/// time (one load of the document per six products), rounding as `kernelScore`.
@inline(__always)
func kernelScores(_ p: UnsafePointer<Float>, _ d: Int, _ panel: UnsafePointer<Float>, stride: Int,
                  bias: UnsafePointer<Float>, list: UnsafePointer<Int>, count: Int,
                  into out: UnsafeMutablePointer<Float>) {
    var m = 0
    @inline(__always)
    func centre(_ j: Int, _ t: Int) -> Lane { UnsafeRawPointer(panel + j * stride + t).loadUnaligned(as: Lane.self) }
    while m + 6 <= count {
        let j0 = list[m], j1 = list[m + 1], j2 = list[m + 2], j3 = list[m + 3], j4 = list[m + 4], j5 = list[m + 5]
        var tile = Tile1x6()
        var t = 0
        while t < d {
            let x = t + 8 <= d ? UnsafeRawPointer(p + t).loadUnaligned(as: Lane.self) : loadLane(p + t, d - t)
            tile.a0 = tile.a0.addingProduct(x, centre(j0, t)); tile.a1 = tile.a1.addingProduct(x, centre(j1, t))
            tile.a2 = tile.a2.addingProduct(x, centre(j2, t)); tile.a3 = tile.a3.addingProduct(x, centre(j3, t))
            tile.a4 = tile.a4.addingProduct(x, centre(j4, t)); tile.a5 = tile.a5.addingProduct(x, centre(j5, t))
            t += 8
        }
        let d0 = laneSum(tile.a0), d1 = laneSum(tile.a1), d2 = laneSum(tile.a2)
        let d3 = laneSum(tile.a3), d4 = laneSum(tile.a4), d5 = laneSum(tile.a5)
        out[m] = bias[j0] - (d0 + d0)
        out[m + 1] = bias[j1] - (d1 + d1)
        out[m + 2] = bias[j2] - (d2 + d2)
        out[m + 3] = bias[j3] - (d3 + d3)
        out[m + 4] = bias[j4] - (d4 + d4)
        out[m + 5] = bias[j5] - (d5 + d5)
        m += 6
    }
    while m + 3 <= count {
        let j0 = list[m], j1 = list[m + 1], j2 = list[m + 2]
        let c0 = panel + j0 * stride, c1 = panel + j1 * stride, c2 = panel + j2 * stride
        var tile = Tile1x3()
        var t = 0
        while t + 8 <= d {
            tile.add(UnsafeRawPointer(p + t).loadUnaligned(as: Lane.self),
                     UnsafeRawPointer(c0 + t).loadUnaligned(as: Lane.self),
                     UnsafeRawPointer(c1 + t).loadUnaligned(as: Lane.self),
                     UnsafeRawPointer(c2 + t).loadUnaligned(as: Lane.self))
            t += 8
        }
        if t < d {
            tile.add(loadLane(p + t, d - t), UnsafeRawPointer(c0 + t).loadUnaligned(as: Lane.self),
                     UnsafeRawPointer(c1 + t).loadUnaligned(as: Lane.self),
                     UnsafeRawPointer(c2 + t).loadUnaligned(as: Lane.self))
        }
        let d0 = laneSum(tile.a0), d1 = laneSum(tile.a1), d2 = laneSum(tile.a2)
        out[m] = bias[j0] - (d0 + d0)
        out[m + 1] = bias[j1] - (d1 + d1)
        out[m + 2] = bias[j2] - (d2 + d2)
        m += 3
    }
    while m < count {
        out[m] = kernelScore(p, d, panel + list[m] * stride, bias: bias[list[m]])
        m += 1
    }
}

/// Kernel scores of `count` listed documents against every centre of the
/// panel: `out[m * panel.paddedCount + j]`, tiles of 4 documents × 3 centres
/// rounding as `scanCentres` (the padding centres score +infinity).
func kernelScoreBlock(_ x: RowMatrix, _ panel: CentrePanel, documents list: UnsafePointer<Int>, count: Int,
                      into out: UnsafeMutablePointer<Float>) {
    let d = x.dimension, kp = panel.paddedCount, stride = panel.stride
    panel.values.withUnsafeBufferPointer { cbuf in
    panel.bias.withUnsafeBufferPointer { bias in
        guard let cbase = cbuf.baseAddress, let bias = bias.baseAddress else { return }
        @inline(__always)
        func centre(_ j: Int, _ t: Int) -> Lane { UnsafeRawPointer(cbase + j * stride + t).loadUnaligned(as: Lane.self) }
        @inline(__always)
        func row(_ p: UnsafePointer<Float>, _ t: Int) -> Lane { UnsafeRawPointer(p + t).loadUnaligned(as: Lane.self) }
        @inline(__always)
        func put(_ m: Int, _ j: Int, _ dot: Float) { out[m * kp + j] = bias[j] - (dot + dot) }

        var m = 0
        while m + 4 <= count {
            let p0 = x.row(list[m]), p1 = x.row(list[m + 1]), p2 = x.row(list[m + 2]), p3 = x.row(list[m + 3])
            var j = 0
            while j < kp {
                var tile = Tile4x3()
                var t = 0
                while t + 8 <= d {
                    tile.add(row(p0, t), row(p1, t), row(p2, t), row(p3, t), centre(j, t), centre(j + 1, t), centre(j + 2, t))
                    t += 8
                }
                if t < d {
                    tile.add(loadLane(p0 + t, d - t), loadLane(p1 + t, d - t), loadLane(p2 + t, d - t),
                             loadLane(p3 + t, d - t), centre(j, t), centre(j + 1, t), centre(j + 2, t))
                }
                put(m, j, laneSum(tile.a00)); put(m, j + 1, laneSum(tile.a01)); put(m, j + 2, laneSum(tile.a02))
                put(m + 1, j, laneSum(tile.a10)); put(m + 1, j + 1, laneSum(tile.a11)); put(m + 1, j + 2, laneSum(tile.a12))
                put(m + 2, j, laneSum(tile.a20)); put(m + 2, j + 1, laneSum(tile.a21)); put(m + 2, j + 2, laneSum(tile.a22))
                put(m + 3, j, laneSum(tile.a30)); put(m + 3, j + 1, laneSum(tile.a31)); put(m + 3, j + 2, laneSum(tile.a32))
                j += 3
            }
            m += 4
        }
        var all = [Int](0 ..< kp)
        all.withUnsafeMutableBufferPointer { everyCentre in
            guard let everyCentre = everyCentre.baseAddress else { return }
            while m < count {
                kernelScores(x.row(list[m]), d, cbase, stride: stride, bias: bias, list: everyCentre, count: kp,
                             into: out + m * kp)
                m += 1
            }
        }
    }
    }
}
