import CGramKernel

// One assignment pass of Yinyang k-means: the global, group and local
// filters per document, and the full scan for the documents they cannot spare.

extension Lloyd {
    /// Assigns as `assignChunk` would, through Yinyang's bounds (see
    /// KMeans+Yinyang.swift). Documents whose bounds fail in more than half
    /// the groups, and every document on the first pass, are scored against
    /// all centres by the blocked kernel; the others against the centres of
    /// their candidate groups only.
    ///
    /// - Returns: how many centre scores were computed.
    /// - Complexity: O(n · t + k · d + (scores) · d).
    @discardableResult
    func assignYinyang(_ panel: CentrePanel, labels: inout [Int], bounds: YinyangBounds) -> Int {
        let k = clusterCount, t = bounds.groupCount, d = rows.dimension
        let eta = roundingMargin
        var radius = 0.0
        for j in 0 ..< k {
            var s = 0.0
            for e in 0 ..< d { s += Double(panel.values[j * panel.stride + e]) * Double(panel.values[j * panel.stride + e]) }
            radius = max(radius, s.squareRoot())
        }
        // Each centre's move since the last pass (an upper bound), and each group's largest.
        var drift: [Double]? = nil, groupDrift: [Double]? = nil
        if let last = bounds.last {
            var moves = [Double](repeating: 0, count: k), largest = [Double](repeating: 0, count: t)
            panel.values.withUnsafeBufferPointer { now in
            last.values.withUnsafeBufferPointer { before in
                guard let now = now.baseAddress, let before = before.baseAddress else { return }
                for j in 0 ..< k {
                    moves[j] = distanceBounds(now + j * panel.stride, before + j * last.stride, d, eta: eta).upper
                    largest[bounds.groupOf[j]] = max(largest[bounds.groupOf[j]], moves[j])
                }
            }
            }
            drift = moves
            groupDrift = largest
        }
        // The centres packed once a pass as the Gram micro-kernel reads them
        // (panels of its register block's width, zero-padded).
        let width = GramRows.panelWidth, kw = (k + width - 1) / width * width
        var compact = [Float](repeating: 0, count: k * d)
        for j in 0 ..< k { for e in 0 ..< d { compact[j * d + e] = panel.values[j * panel.stride + e] } }
        var packed = [Float](repeating: 0, count: kw * d)
        packed.withUnsafeMutableBufferPointer { out in
            clus_gram_pack(compact, (0 ..< k).map { CLong($0) }, k, Int32(d), Int32(width), out.baseAddress!)
        }
        compact = []
        var tallies = [Int](repeating: 0, count: 2 * plan.chunks)
        packed.withUnsafeBufferPointer { packed in
        labels.withUnsafeMutableBufferPointer { labelBuffer in
        tallies.withUnsafeMutableBufferPointer { tally in
        panel.values.withUnsafeBufferPointer { centreBuffer in
        panel.bias.withUnsafeBufferPointer { biasBuffer in
        bounds.groupOf.withUnsafeBufferPointer { groupOf in
        bounds.members.withUnsafeBufferPointer { members in
        bounds.start.withUnsafeBufferPointer { start in
        (drift ?? []).withUnsafeBufferPointer { drift in
        (groupDrift ?? []).withUnsafeBufferPointer { groupDrift in
            guard let l = labelBuffer.baseAddress, let centres = centreBuffer.baseAddress,
                  let bias = biasBuffer.baseAddress, let groupOf = groupOf.baseAddress,
                  let members = members.baseAddress, let start = start.baseAddress,
                  let packed = packed.baseAddress else { return }
            var pass = YinyangPass(rows: rows, panel: panel, clusterCount: k, groupCount: t,
                                   centres: centres, stride: panel.stride, bias: bias, eta: eta, radius: radius,
                                   drift: drift.baseAddress, groupDrift: groupDrift.baseAddress,
                                   groupOf: groupOf, members: members, start: start, labels: l,
                                   upper: bounds.upper, lower: bounds.lower, norms: bounds.norms,
                                   packedCentres: packed, gemm: false)
            if bounds.gemm == nil { bounds.gemm = pass.gemmIsFaster() }
            pass.gemm = bounds.gemm ?? false
            parallelism.forEach(chunks: plan.chunks) { chunk in
                if cancellation?.isCancelled == true { return }
                let (full, scores) = pass.assign(plan.range(chunk))
                tally[2 * chunk] = full
                tally[2 * chunk + 1] = scores
            }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        bounds.last = panel
        bounds.fullScans = 0
        bounds.scores = 0
        for chunk in 0 ..< plan.chunks {
            bounds.fullScans += tallies[2 * chunk]
            bounds.scores += tallies[2 * chunk + 1]
        }
        return bounds.scores
    }
}

/// Per-thread working space of a pass.
private struct YinyangScratch {
    /// Per group: the drifted lower bound, and whether the group must be scored.
    let low: UnsafeMutablePointer<Double>
    let candidate: UnsafeMutablePointer<Bool>
    /// Per centre: a lower bound on its distance from the current document.
    let centreLow: UnsafeMutablePointer<Double>
    /// Centres to score and their scores.
    let pending: UnsafeMutablePointer<Int>
    let pendingScores: UnsafeMutablePointer<Float>
    /// Documents left for the full scan, a block of their scores, and for
    /// the Gram kernel their rows gathered, then packed, and its products.
    let full: UnsafeMutablePointer<Int>
    let block: UnsafeMutablePointer<Float>
    let gathered: UnsafeMutablePointer<Float>
    let packedRows: UnsafeMutablePointer<Float>
    let products: UnsafeMutablePointer<Float>
    let identity: UnsafeMutablePointer<CLong>
    static let blockRows = 64
    /// Rows and centres rounded up to whole panels, as the kernel writes them.
    static var paddedRows: Int { (blockRows + GramRows.panelWidth - 1) / GramRows.panelWidth * GramRows.panelWidth }
    static func paddedCentres(_ k: Int) -> Int { (k + GramRows.panelWidth - 1) / GramRows.panelWidth * GramRows.panelWidth }

    init(documents: Int, clusterCount k: Int, paddedCount kp: Int, groupCount t: Int, dimension d: Int) {
        low = .allocate(capacity: t)
        candidate = .allocate(capacity: t)
        centreLow = .allocate(capacity: k)
        pending = .allocate(capacity: k)
        pendingScores = .allocate(capacity: k)
        full = .allocate(capacity: documents)
        block = .allocate(capacity: Self.blockRows * kp)
        gathered = .allocate(capacity: Self.blockRows * d)
        packedRows = .allocate(capacity: Self.paddedRows * d)
        products = .allocate(capacity: Self.paddedRows * Self.paddedCentres(k))
        identity = .allocate(capacity: Self.blockRows)
        for m in 0 ..< Self.blockRows { identity[m] = CLong(m) }
    }

    func free() {
        low.deallocate(); candidate.deallocate(); centreLow.deallocate()
        pending.deallocate(); pendingScores.deallocate(); full.deallocate(); block.deallocate()
        gathered.deallocate(); packedRows.deallocate(); products.deallocate(); identity.deallocate()
    }
}

/// What one pass reads and writes, as pointers for the worker threads; each
/// document's slots are written by the thread that owns its chunk only.
private struct YinyangPass {
    let rows: RowMatrix
    let panel: CentrePanel
    let clusterCount: Int
    let groupCount: Int
    let centres: UnsafePointer<Float>
    let stride: Int
    let bias: UnsafePointer<Float>
    let eta: Double
    /// The largest |c|.
    let radius: Double
    /// Centre and group moves; nil on the first pass.
    let drift: UnsafePointer<Double>?
    let groupDrift: UnsafePointer<Double>?
    let groupOf: UnsafePointer<Int>
    let members: UnsafePointer<Int>
    let start: UnsafePointer<Int>
    let labels: UnsafeMutablePointer<Int>
    let upper: UnsafeMutableBufferPointer<Double>
    let lower: UnsafeMutableBufferPointer<Float>
    let norms: UnsafeMutableBufferPointer<Double>
    /// The centres packed for the Gram kernel, and whether the full scan uses it.
    let packedCentres: UnsafePointer<Float>
    var gemm: Bool

    /// Assigns the documents of `range`; returns (documents fully scanned, centre scores).
    func assign(_ range: Range<Int>) -> (Int, Int) {
        let scratch = YinyangScratch(documents: range.count, clusterCount: clusterCount,
                                     paddedCount: panel.paddedCount, groupCount: groupCount, dimension: rows.dimension)
        defer { scratch.free() }
        var full = 0, scores = 0
        for i in range {
            if let scored = filter(i, scratch) {
                scores += scored
            } else {
                scratch.full[full] = i
                full += 1
            }
        }
        var m = 0
        while m < full {
            let count = min(YinyangScratch.blockRows, full - m)
            scanAll(scratch.full + m, count: count, scratch)
            m += count
        }
        return (full, scores + full * clusterCount)
    }

    /// The bounds' rounding allowance for document i: η (|x| + max |c|)².
    @inline(__always)
    private func allowance(_ i: Int) -> Double {
        let s = norms[i] + radius
        return eta * s * s
    }

    /// The global and group filters for document i; scores the candidate
    /// groups when they are at most half. Returns the scores computed, or nil
    /// when the document needs the full scan (its bounds and label untouched).
    private func filter(_ i: Int, _ scratch: YinyangScratch) -> Int? {
        let a = labels[i]
        guard a >= 0, let drift, let groupDrift else { return nil }
        let t = groupCount, e = allowance(i), square = norms[i] * norms[i]
        let old = lower.baseAddress! + i * t
        var u = upper[i] + drift[a]
        var global = Double.infinity
        for g in 0 ..< t {
            let v = Double(old[g]) - groupDrift[g]
            scratch.low[g] = v
            global = min(global, v)
        }
        // Every other centre is at least `z` away; the squared gap must beat both scores' rounding.
        @inline(__always)
        func beats(_ z: Double, _ u: Double) -> Bool { z > 0 && z * z > u * u + 2 * e }
        var scored = 0
        if !beats(global, u) {
            let sa = Double(kernelScore(rows.row(i), rows.dimension, centres + a * stride, bias: bias[a]))
            guard sa.isFinite else { return nil }
            scored = 1
            u = max(0, sa + square + e).squareRoot()
            if !beats(global, u) {
                var candidates = 0
                for g in 0 ..< t {
                    let c = !beats(scratch.low[g], u)
                    scratch.candidate[g] = c
                    if c { candidates += 1 }
                }
                if 2 * candidates > t { return nil }
                return scanGroups(i, label: a, score: sa, scratch).map { $0 + 1 }
            }
        }
        upper[i] = u
        for g in 0 ..< t { old[g] = floatBelow(scratch.low[g]) }
        return scored
    }

    /// Scores document i against its candidate groups' centres (less those
    /// the local filter spares), picks the lowest score (lowest index on
    /// ties), and renews its bounds. Nil on a non-finite score.
    private func scanGroups(_ i: Int, label a: Int, score sa: Double, _ scratch: YinyangScratch) -> Int? {
        let t = groupCount, e = allowance(i), square = norms[i] * norms[i]
        let old = lower.baseAddress! + i * t, p = rows.row(i)
        var best = a, bestScore = sa
        scratch.centreLow[a] = max(0, sa + square - e).squareRoot()
        var scored = 0
        for g in 0 ..< t where scratch.candidate[g] {
            // The old group bound less each centre's own move (local filter).
            let groupLow = Double(old[g])
            var count = 0
            for m in start[g] ..< start[g + 1] {
                let j = members[m]
                if j == a { continue }
                let z = groupLow - drift![j]
                if z > 0 && z * z > bestScore + square + 2 * e {
                    scratch.centreLow[j] = z
                } else {
                    scratch.pending[count] = j
                    count += 1
                }
            }
            kernelScores(p, rows.dimension, centres, stride: stride, bias: bias, list: scratch.pending,
                         count: count, into: scratch.pendingScores)
            scored += count
            for m in 0 ..< count {
                let j = scratch.pending[m], s = Double(scratch.pendingScores[m])
                guard s.isFinite else { return nil }
                scratch.centreLow[j] = max(0, s + square - e).squareRoot()
                if s < bestScore || (s == bestScore && j < best) { best = j; bestScore = s }
            }
        }
        labels[i] = best
        upper[i] = max(0, bestScore + square + e).squareRoot()
        for g in 0 ..< t {
            var v: Double
            if scratch.candidate[g] {
                v = .infinity
                for m in start[g] ..< start[g + 1] where members[m] != best { v = min(v, scratch.centreLow[members[m]]) }
            } else {
                v = scratch.low[g]
                if best != a && groupOf[a] == g { v = min(v, scratch.centreLow[a]) }
            }
            old[g] = floatBelow(v)
        }
        return scored
    }

    /// Scores the listed documents against every centre (by the blocked
    /// kernel, or by the Gram kernel with the near-ties re-scored by the blocked kernel), labels
    /// each with the kernel's lowest score (lowest index on ties, as
    /// `Nearest`) and renews its bounds.
    private func scanAll(_ list: UnsafePointer<Int>, count: Int, _ scratch: YinyangScratch) {
        let k = clusterCount, t = groupCount, kp = panel.paddedCount
        // How far a score may be from |x − c|² − |x|², in units of (|x| + max |c|)².
        let byGemm = gemm && scoreByGemm(list, count: count, scratch)
        if !byGemm { kernelScoreBlock(rows, panel, documents: list, count: count, into: scratch.block) }
        let slack = byGemm ? gemmMargin : eta
        for m in 0 ..< count {
            let i = list[m], s = scratch.block + m * kp
            var best = 0, bestScore = Float.infinity
            for j in 0 ..< k where s[j] < bestScore { bestScore = s[j]; best = j }
            let e = slack / eta * allowance(i), square = norms[i] * norms[i]
            if byGemm && bestScore.isFinite {
                best = settleNearTies(i, s, best: best, window: 2 * (e + allowance(i)))
                bestScore = s[best]
            }
            labels[i] = best
            upper[i] = bestScore.isFinite ? max(0, Double(bestScore) + square + e).squareRoot() : .infinity
            // Per group the lowest score but the label's; a non-finite score
            // bounds nothing. Walked group by group over its members, the
            // minimum stays in a register (a store per centre, through the
            // group's slot, cost a fifth of the pass); Float's minimum is
            // Double's, the conversion being exact and monotone.
            let old = lower.baseAddress! + i * t
            for g in 0 ..< t {
                var low = Float.infinity
                for m in start[g] ..< start[g + 1] {
                    let j = members[m], v = s[j]
                    if j != best { low = min(low, v.isFinite ? v : -.infinity) }
                }
                old[g] = low == .infinity ? .infinity : floatBelow(max(0, Double(low) + square - e).squareRoot())
            }
        }
    }

    /// The Gram kernel's rounding, as `roundingMargin` is the blocked
    /// kernel's: each dot product is within γ_d |x||c| in any summation order
    /// (with or without FMA), plus the rounding of |c|² and of the
    /// subtraction: (d + 16) · 2⁻²⁴ of (|x| + |c|)² covers them.
    var gemmMargin: Double { Double(rows.dimension + 16) * 0x1p-24 }

    /// Scores |c|² − 2 x·c of the listed documents into the block by clus's
    /// Gram micro-kernel (the silhouette's). Which is faster depends on the
    /// CPU and the shape: on Zen 4 at 100 centres × 512 the blocked kernel
    /// wins (0.14 against 0.19 ms for 128 documents: the centres padded to
    /// whole panels, each block packed), so the first pass times both.
    private func scoreByGemm(_ list: UnsafePointer<Int>, count: Int, _ scratch: YinyangScratch) -> Bool {
        let d = rows.dimension, k = clusterCount, kp = panel.paddedCount
        let width = GramRows.panelWidth, kw = YinyangScratch.paddedCentres(k)
        for m in 0 ..< count { scratch.gathered.advanced(by: m * d).update(from: rows.row(list[m]), count: d) }
        clus_gram_pack(scratch.gathered, scratch.identity, count, Int32(d), Int32(width), scratch.packedRows)
        clus_gram_tile(scratch.packedRows, Int32(count), packedCentres, Int32(k), Int32(d), scratch.products, Int32(kw))
        for m in 0 ..< count {
            let s = scratch.block + m * kp, p = scratch.products + m * kw
            for j in 0 ..< k { s[j] = bias[j] - (p[j] + p[j]) }
        }
        return true
    }

    /// The blocked kernel's choice among the centres whose Gram score lies within
    /// `window` of the lowest: outside it the kernel's score is surely higher.
    private func settleNearTies(_ i: Int, _ s: UnsafeMutablePointer<Float>, best: Int, window: Double) -> Int {
        let limit = Double(s[best]) + window
        var winner = best, winnerScore = Float.infinity, near = 0
        for j in 0 ..< clusterCount where Double(s[j]) <= limit {
            near += 1
            let exact = kernelScore(rows.row(i), rows.dimension, centres + j * stride, bias: bias[j])
            if exact < winnerScore { winnerScore = exact; winner = j }
        }
        return near > 1 ? winner : best
    }

    /// Times the full scan both ways on the first documents (twice each,
    /// alternating, the faster time kept): speed only, the labels are the same.
    func gemmIsFaster() -> Bool {
        let count = min(rows.count, 2 * YinyangScratch.blockRows)
        let scratch = YinyangScratch(documents: count, clusterCount: clusterCount, paddedCount: panel.paddedCount,
                                     groupCount: groupCount, dimension: rows.dimension)
        defer { scratch.free() }
        for m in 0 ..< count { scratch.full[m] = m }
        let clock = ContinuousClock()
        var own = Duration.seconds(1000), blas = Duration.seconds(1000)
        for _ in 0 ..< 2 {
            own = min(own, clock.measure {
                var m = 0
                while m < count {
                    let c = min(YinyangScratch.blockRows, count - m)
                    kernelScoreBlock(rows, panel, documents: scratch.full + m, count: c, into: scratch.block)
                    m += c
                }
            })
            var available = true
            blas = min(blas, clock.measure {
                var m = 0
                while m < count {
                    let c = min(YinyangScratch.blockRows, count - m)
                    available = available && scoreByGemm(scratch.full + m, count: c, scratch)
                    m += c
                }
            })
            if !available { return false }
        }
        return blas < own
    }
}
