import CGramKernel

// One assignment pass of Yinyang k-means: the global, group and local
// filters per document, and the full scan for the documents they cannot spare.

extension Lloyd {
    /// Assigns as `assignChunk` would, through Yinyang's bounds (see
    /// KMeans+Yinyang.swift). Documents whose candidate groups hold more than
    /// the timed share of the centres (`FullScanTimes.share`), and every
    /// document on the first pass, are scored against all centres by the
    /// faster of the Gram and blocked kernels (timed on the first pass); the
    /// others against the centres of their candidate groups only. A pass
    /// after one whose filters cost more than they spared scans every
    /// document in full (`YinyangFiltering`), which renews the same bounds.
    ///
    /// With `sums`, the documents that change cluster are moved in them
    /// during the pass, while their rows are in cache (per-worker integer
    /// deltas, added after: the same sums in any order).
    ///
    /// - Returns: how many documents changed cluster.
    /// - Complexity: O(n · t + k · d + (scores) · d).
    @discardableResult
    func assignYinyang(_ panel: CentrePanel, labels: inout [Int], bounds: YinyangBounds,
                       moving sums: UnsafeMutablePointer<CentreSums>? = nil) -> Int {
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
        // (panels of its register block's width, zero-padded), in group order
        // so that each group's scores lie side by side; and their biases in that order.
        let width = GramRows.panelWidth, kw = (k + width - 1) / width * width
        var compact = [Float](repeating: 0, count: k * d)
        for (q, j) in bounds.members.enumerated() {
            for e in 0 ..< d { compact[q * d + e] = panel.values[j * panel.stride + e] }
        }
        var packed = [Float](repeating: 0, count: kw * d)
        packed.withUnsafeMutableBufferPointer { out in
            clus_gram_pack(compact, (0 ..< k).map { CLong($0) }, k, Int32(d), Int32(width), out.baseAddress!)
        }
        // the last panel's few centres, when the kernel would run them at a fraction of its width, go row-major to clus_rows_dots
        let tailColumns = Int(clus_gram_tail_columns(Int32(k)))
        let groupedBias = bounds.members.map { panel.bias[$0] }
        let groupStart = bounds.start.map { CLong($0) }
        // The centres rounded for the full scan, unless it was timed slower (or is unavailable).
        let halfRows = bounds.roundedRows
        let halfCentres = bounds.rounded == false ? nil : halfRows.flatMap { half in
            compact.withUnsafeBufferPointer { RoundedCentres(centres: $0.baseAddress!, count: k, dimension: d, rows: half) }
        }
        var tallies = [PassTally](repeating: PassTally(), count: plan.chunks)
        let passMoves = sums.map { PassMoves($0.pointee, workers: parallelism.threads) }
        defer { passMoves?.deallocate() }
        packed.withUnsafeBufferPointer { packed in
        compact.withUnsafeBufferPointer { compact in
        groupedBias.withUnsafeBufferPointer { groupedBias in
        groupStart.withUnsafeBufferPointer { groupStart in
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
                  let packed = packed.baseAddress, let groupedBias = groupedBias.baseAddress, let compact = compact.baseAddress,
                  let groupStart = groupStart.baseAddress else { return }
            var pass = YinyangPass(rows: rows, panel: panel, clusterCount: k, groupCount: t,
                                   centres: centres, stride: panel.stride, bias: bias, eta: eta, radius: radius,
                                   drift: drift.baseAddress, groupDrift: groupDrift.baseAddress,
                                   groupOf: groupOf, members: members, start: start, positions: bounds.positions, labels: l,
                                   upper: bounds.upper, lower: bounds.lower, norms: bounds.norms,
                                   packedCentres: packed, groupedCentres: compact, tailColumns: tailColumns, groupedBias: groupedBias,
                                   groupStart: groupStart, gemm: false, fullScanShare: 0.5,
                                   roundedRows: halfRows?.view, roundedCentres: halfCentres?.view, rounded: false,
                                   moves: passMoves)
            if bounds.gemm == nil || bounds.fullScanShare == nil {
                let timed = pass.timeFullScans()
                if bounds.gemm == nil { bounds.gemm = timed.gemmIsFaster }
                if bounds.rounded == nil { bounds.rounded = halfCentres != nil && timed.roundedIsFaster }
                // Not kept when slower: its copy of the documents is freed.
                if bounds.rounded == false { bounds.roundedRows = nil }
                bounds.fullScanShare = timed.share(gemm: bounds.gemm ?? false, rounded: bounds.rounded ?? false)
            }
            pass.gemm = bounds.gemm ?? false
            pass.rounded = bounds.rounded == true && halfCentres != nil
            pass.fullScanShare = bounds.fullScanShare ?? 0.5
            pass.tightening = bounds.tightening
            pass.filters = bounds.filters
            parallelism.forEach(chunks: plan.chunks) { chunk, worker in
                if cancellation?.isCancelled == true { return }
                tally[chunk] = pass.assign(plan.range(chunk), worker: worker)
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
        }
        }
        }
        // The pass read both through views.
        withExtendedLifetime(halfRows) {}
        withExtendedLifetime(halfCentres) {}
        bounds.last = panel
        var total = PassTally()
        for t in tallies {
            total.fullScans += t.fullScans
            total.scores += t.scores
            total.moved += t.moved
            total.tightened += t.tightened
            total.rescued += t.rescued
            total.filtering += t.filtering
            total.scanning += t.scanning
        }
        bounds.fullScans = total.fullScans
        bounds.scores = total.scores
        let filtered = bounds.filters && drift != nil
        // As Hamerly's: tightening u pays while 1 in k of the documents it is tried on is spared the full scan.
        bounds.passes += 1
        if filtered {
            bounds.tightening = (bounds.tightening && total.rescued * k >= total.tightened) || bounds.passes % 4 == 0
        }
        bounds.filters = switch bounds.filtering {
        case .always: true
        case .alternating: bounds.passes % 2 == 0
        case .timed: bounds.filtersPay(filtered: filtered, filtering: total.filtering.inSeconds,
                                       scanning: total.scanning.inSeconds, documents: rows.count)
        }
        if let passMoves, let sums { passMoves.apply(to: &sums.pointee, parallelism: parallelism) }
        return total.moved
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
    /// the Gram kernel their rows' addresses and its products.
    let full: UnsafeMutablePointer<Int>
    /// The labels of the documents being assigned, before.
    let before: UnsafeMutablePointer<Int>
    let block: UnsafeMutablePointer<Float>
    let rowAddresses: UnsafeMutablePointer<UnsafePointer<Float>?>
    let products: UnsafeMutablePointer<Float>
    /// For the rounded scan: the rounded rows' addresses and scales, a document's
    /// candidates (positions in group order), and the documents left to the Float scan.
    let halfRows: UnsafeMutablePointer<UnsafePointer<UInt16>?>
    let halfScales: UnsafeMutablePointer<Float>
    let candidates: UnsafeMutablePointer<Int32>
    let fallback: UnsafeMutablePointer<Int>
    /// Documents of the block with several candidates: position, count and σ.
    let rescore: UnsafeMutablePointer<(Int, Int, Double)>
    /// Documents filtered, then scanned, together: their rows are still in cache for the scan.
    static let blockRows = 64
    /// Rows rounded up to whole register blocks, centres to whole panels, as the Gram kernel writes them.
    static var paddedRows: Int { (blockRows + rowsPerBlock - 1) / rowsPerBlock * rowsPerBlock }
    static let rowsPerBlock = Int(clus_gram_rows_per_panel())
    static func paddedCentres(_ k: Int) -> Int { (k + GramRows.panelWidth - 1) / GramRows.panelWidth * GramRows.panelWidth }
    /// The rounded kernel's row of products: k rounded up to panels of 32 (int16's 16 fit in it).
    static func roundedWidth(_ k: Int) -> Int { (k + 31) / 32 * 32 }

    init(clusterCount k: Int, paddedCount kp: Int, groupCount t: Int) {
        low = .allocate(capacity: t)
        candidate = .allocate(capacity: t)
        centreLow = .allocate(capacity: k)
        pending = .allocate(capacity: k)
        pendingScores = .allocate(capacity: k)
        full = .allocate(capacity: Self.blockRows)
        before = .allocate(capacity: Self.blockRows)
        block = .allocate(capacity: Self.blockRows * kp)
        rowAddresses = .allocate(capacity: Self.paddedRows)
        products = .allocate(capacity: (Self.blockRows + 8) * max(Self.paddedCentres(k), Self.roundedWidth(k)))
        halfRows = .allocate(capacity: Self.blockRows + 8)
        halfScales = .allocate(capacity: Self.blockRows + 8)
        candidates = .allocate(capacity: Self.blockRows * (k + 16))
        fallback = .allocate(capacity: Self.blockRows)
        rescore = .allocate(capacity: Self.blockRows)
    }

    func free() {
        low.deallocate(); candidate.deallocate(); centreLow.deallocate()
        pending.deallocate(); pendingScores.deallocate(); full.deallocate(); before.deallocate(); block.deallocate()
        rowAddresses.deallocate(); products.deallocate(); halfRows.deallocate(); halfScales.deallocate(); candidates.deallocate()
        fallback.deallocate(); rescore.deallocate()
    }
}

/// What a pass (or one thread's chunk of it) did: documents scanned in full,
/// centre scores computed, documents that changed cluster, those whose upper
/// bound was recomputed and those of them spared the full scan, and the time
/// spent in the filters and in the full scans.
private struct PassTally {
    var fullScans = 0, scores = 0, moved = 0, tightened = 0, rescued = 0
    var filtering = Duration.zero, scanning = Duration.zero
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
    /// Each centre's position in `members` (and in the packed centres).
    let positions: UnsafeMutableBufferPointer<Int>
    let labels: UnsafeMutablePointer<Int>
    let upper: UnsafeMutableBufferPointer<Double>
    let lower: UnsafeMutableBufferPointer<Float>
    let norms: UnsafeMutableBufferPointer<Double>
    /// The centres packed for the Gram kernel in group order (`members`),
    /// their biases in that order, and whether the full scan uses it.
    let packedCentres: UnsafePointer<Float>
    /// The centres row-major in group order, and how many of the last
    /// (`clus_gram_tail_columns`) are scored from them by `clus_rows_dots`.
    let groupedCentres: UnsafePointer<Float>
    let tailColumns: Int
    let groupedBias: UnsafePointer<Float>
    /// `start` as the C epilogue reads it.
    let groupStart: UnsafePointer<CLong>
    var gemm: Bool
    /// Whether a document failing the global filter has its upper bound
    /// recomputed (one score) before the group filter, or goes to the full scan.
    var tightening = true
    /// Whether the pass runs the filters, or scans every document in full (`YinyangBounds.filters`).
    var filters = true
    /// The share of the centres above which scoring a document's candidate
    /// groups one by one costs more than a full scan (timed on the first pass).
    var fullScanShare: Double
    /// The documents and centres rounded, and whether the full scan starts
    /// from their products (KMeans+Rounded.swift). Views (pointers) of what
    /// the caller holds for the pass: references counted per document cost 10% of it.
    let roundedRows: RoundedRowsView?
    let roundedCentres: RoundedCentresView?
    var rounded: Bool
    /// Where the documents that change cluster are moved in the centre sums
    /// during the pass; nil: not here.
    let moves: PassMoves?

    /// Assigns the documents of `range`; returns what it did (`PassTally`).
    func assign(_ range: Range<Int>, worker: Int) -> PassTally {
        let scratch = YinyangScratch(clusterCount: clusterCount, paddedCount: panel.paddedCount, groupCount: groupCount)
        defer { scratch.free() }
        var fullScans = 0, scores = 0, moved = 0, tightened = 0, rescued = 0
        var filtering = Duration.zero, scanning = Duration.zero
        let clock = ContinuousClock()
        var lo = range.lowerBound
        while lo < range.upperBound {
            let hi = min(range.upperBound, lo + YinyangScratch.blockRows)
            for i in lo ..< hi { scratch.before[i - lo] = labels[i] }
            var full = 0
            let started = clock.now
            if filters {
                // With the rounded scan the Float rows are read only for the documents a group scan
                // rescues: fetched a few documents ahead while tightening rescues some, not waited for.
                // The filter reads the rounded row to tighten u: fetched ahead too.
                let ahead = rounded && tightening ? 4 : 0
                for i in lo ..< hi {
                    if ahead > 0 && i + ahead < range.upperBound {
                        clus_prefetch(rows.row(i + ahead), rows.dimension * MemoryLayout<Float>.size)
                        if let half = roundedRows { clus_prefetch(half.row(i + ahead), half.length * MemoryLayout<UInt16>.size) }
                    }
                    if let scored = filter(i, scratch, tightened: &tightened, rescued: &rescued) {
                        scores += scored
                    } else {
                        scratch.full[full] = i
                        full += 1
                    }
                }
            } else {
                for i in lo ..< hi { scratch.full[i - lo] = i }
                full = hi - lo
            }
            let scanStarted = clock.now
            filtering += scanStarted - started
            if full > 0 {
                let ahead = min(range.upperBound, hi + YinyangScratch.blockRows) - hi
                if rounded, let half = roundedRows {
                    scanAllByRounded(scratch.full, count: full, scratch,
                                     prefetch: ahead > 0 ? UnsafeRawPointer(half.row(hi)) : nil,
                                     bytes: ahead * half.length * MemoryLayout<UInt16>.size)
                } else if gemm {
                    // The next documents' rows come in from memory while these are scored.
                    scanAllByGemm(scratch.full, count: full, scratch,
                                  prefetch: ahead > 0 ? UnsafeRawPointer(rows.row(hi)) : nil,
                                  bytes: ahead * rows.dimension * MemoryLayout<Float>.size)
                } else {
                    scanAll(scratch.full, count: full, scratch)
                }
            }
            fullScans += full
            scanning += clock.now - scanStarted
            for i in lo ..< hi where labels[i] != scratch.before[i - lo] {
                moved += 1
                moves?.move(rows.row(i), from: scratch.before[i - lo], to: labels[i], worker: worker)
            }
            lo = hi
        }
        return PassTally(fullScans: fullScans, scores: scores + fullScans * clusterCount, moved: moved,
                         tightened: tightened, rescued: rescued, filtering: filtering, scanning: scanning)
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
    private func filter(_ i: Int, _ scratch: YinyangScratch, tightened: inout Int, rescued: inout Int) -> Int? {
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
            guard tightening else { return nil }
            var exact: Double? = nil
            if rounded, let half = roundedRows, let c = roundedCentres {
                // From the rounded row, which the full scan reads next, rather than the Float row.
                let s = c.upperScore(positions[a], document: i, half) + half.square[i] * (1 + 0x1p-40)
                guard s.isFinite else { return nil }
                u = max(0, s).squareRoot()
            } else {
                let sa = Double(kernelScore(rows.row(i), rows.dimension, centres + a * stride, bias: bias[a]))
                guard sa.isFinite else { return nil }
                exact = sa
                u = max(0, sa + square + e).squareRoot()
            }
            tightened += 1
            scored = 1
            if !beats(global, u) {
                var candidates = 0
                for g in 0 ..< t {
                    let c = !beats(scratch.low[g], u)
                    scratch.candidate[g] = c
                    if c { candidates += start[g + 1] - start[g] }
                }
                if Double(candidates) > fullScanShare * Double(clusterCount) { return nil }
                rescued += 1
                let sa = exact ?? Double(kernelScore(rows.row(i), rows.dimension, centres + a * stride, bias: bias[a]))
                guard sa.isFinite else { return nil }
                return scanGroups(i, label: a, score: sa, scratch).map { $0 + 1 }
            }
            rescued += 1
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

    /// Scores the listed documents against every centre by the blocked
    /// kernel, labels each with the lowest score (lowest index on ties, as
    /// `Nearest`) and renews its bounds.
    private func scanAll(_ list: UnsafePointer<Int>, count: Int, _ scratch: YinyangScratch) {
        let k = clusterCount, t = groupCount, kp = panel.paddedCount
        kernelScoreBlock(rows, panel, documents: list, count: count, into: scratch.block)
        for m in 0 ..< count {
            let i = list[m], s = scratch.block + m * kp
            var best = 0, bestScore = Float.infinity
            for j in 0 ..< k where s[j] < bestScore { bestScore = s[j]; best = j }
            let e = allowance(i), square = norms[i] * norms[i]
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

    /// As `scanAll`, through clus's Gram micro-kernel (the silhouette's), the
    /// rows read in place and the centres in group order, so each group's
    /// minimum is a run of adjacent scores; the centres whose Gram score is
    /// within its rounding of the lowest are re-scored by the blocked kernel's
    /// own arithmetic, so the labels are the blocked kernel's, ties included.
    private func scanAllByGemm(_ list: UnsafePointer<Int>, count: Int, _ scratch: YinyangScratch,
                               prefetch: UnsafeRawPointer? = nil, bytes: Int = 0) {
        let k = clusterCount, t = groupCount, d = rows.dimension, kw = YinyangScratch.paddedCentres(k)
        for m in 0 ..< count { scratch.rowAddresses[m] = rows.row(list[m]) }
        let rounded = (count + YinyangScratch.rowsPerBlock - 1) / YinyangScratch.rowsPerBlock * YinyangScratch.rowsPerBlock
        for m in count ..< rounded { scratch.rowAddresses[m] = scratch.rowAddresses[count - 1] }
        gramProducts(count: count, scratch, prefetch: prefetch, bytes: bytes)
        for m in 0 ..< count {
            let i = list[m], s = scratch.products + m * kw
            let e = gemmMargin / eta * allowance(i), square = norms[i] * norms[i]
            // Every centre whose score may round below the lowest in the
            // blocked kernel's arithmetic is re-scored in it (rarely more than the lowest).
            var near: Int32 = 0, finite: Int32 = 0
            let bestAt = Int(clus_scores_lowest(s, groupedBias, Int32(k), 2 * (e + allowance(i)), &near, &finite))
            guard s[bestAt].isFinite else {
                // Nothing to bound by (as `scanAll` on non-finite scores).
                labels[i] = 0
                upper[i] = .infinity
                let old = lower.baseAddress! + i * t
                for g in 0 ..< t { old[g] = 0 }
                continue
            }
            var winnerAt = bestAt
            if near > 1 {
                let limit = Float(Double(s[bestAt]) + 2 * (e + allowance(i))).nextUp
                var winnerScore = Float.infinity
                for q in 0 ..< k where s[q] <= limit {
                    let j = members[q]
                    let exact = kernelScore(rows.row(i), d, centres + j * stride, bias: bias[j])
                    if exact < winnerScore || (exact == winnerScore && j < members[winnerAt]) {
                        winnerScore = exact; winnerAt = q
                    }
                }
            }
            let winner = members[winnerAt]
            labels[i] = winner
            upper[i] = max(0, Double(s[winnerAt]) + square + e).squareRoot()
            clus_group_lower_bounds(s, groupStart, Int32(t), Int32(winnerAt), finite, square, e, lower.baseAddress! + i * t)
        }
    }

    /// As `scanAllByGemm`, from the documents' and centres' rounded products
    /// (KMeans+Rounded.swift): every centre whose lower bound comes within
    /// twice the blocked kernel's rounding (and the epilogue's own) of the
    /// lowest upper bound is scored in the blocked kernel's arithmetic, so the
    /// labels are the blocked kernel's, ties included; the group bounds come
    /// from the products' lower bounds. A document with a non-finite score goes
    /// to the Float scan.
    private func scanAllByRounded(_ list: UnsafePointer<Int>, count: Int, _ scratch: YinyangScratch,
                                  prefetch: UnsafeRawPointer?, bytes: Int) {
        guard let half = roundedRows, let c = roundedCentres else { return }
        let k = clusterCount, t = groupCount, d = rows.dimension, width = YinyangScratch.roundedWidth(k)
        roundedProducts(half, c, list, count: count, scratch, prefetch: prefetch, bytes: bytes)
        var fallback = 0, rescore = 0
        // Lower bounds for every group from the products' lower bounds s − e (σ: the epilogue's rounding).
        @inline(__always)
        func renewGroups(_ i: Int, _ p: UnsafeMutablePointer<Float>, excluding q: Int, sigma: Double) {
            clus_rounded_group_bounds(p, groupStart, Int32(t), Int32(q), half.square[i] * (1 - 0x1p-40) - sigma * (1 + 0x1p-40),
                                      lower.baseAddress! + i * t)
        }
        for m in 0 ..< count {
            let i = list[m], p = scratch.products + m * width
            let found = roundedCandidates(half, c, document: i, products: p, candidates: scratch.candidates + m * (k + 16))
            if found.count <= 0 {
                scratch.fallback[fallback] = i
                fallback += 1
            } else if found.count == 1 {
                // The only centre the Float kernel can put first: its Float row (memory traffic)
                // is not read; u comes from the product's upper bound.
                let q = Int(scratch.candidates[m * (k + 16)])
                labels[i] = members[q]
                let e = c.error(q, found.factors)
                upper[i] = max(0, Double(p[q]) + 2 * e + 2 * found.sigma + half.square[i] * (1 + 0x1p-40)).squareRoot()
                renewGroups(i, p, excluding: q, sigma: found.sigma)
            } else {
                // Scored again in Float below, the row fetched meanwhile.
                scratch.rescore[rescore] = (m, found.count, found.sigma)
                rescore += 1
                clus_prefetch(rows.row(i), d * MemoryLayout<Float>.size)
            }
        }
        for r in 0 ..< rescore {
            let (m, n, sigma) = scratch.rescore[r]
            let i = list[m], p = scratch.products + m * width, listed = scratch.candidates + m * (k + 16)
            for q in 0 ..< n { scratch.pending[q] = members[Int(listed[q])] }
            kernelScores(rows.row(i), d, centres, stride: stride, bias: bias, list: scratch.pending, count: n,
                         into: scratch.pendingScores)
            var winnerAt = Int(listed[0]), winner = scratch.pending[0], winnerScore = scratch.pendingScores[0]
            for q in 1 ..< n {
                let j = scratch.pending[q], s = scratch.pendingScores[q]
                if s < winnerScore || (s == winnerScore && j < winner) {
                    winnerAt = Int(listed[q]); winner = j; winnerScore = s
                }
            }
            guard winnerScore.isFinite else {
                scratch.fallback[fallback] = i
                fallback += 1
                continue
            }
            labels[i] = winner
            upper[i] = max(0, Double(winnerScore) + norms[i] * norms[i] + allowance(i)).squareRoot()
            renewGroups(i, p, excluding: winnerAt, sigma: sigma)
        }
        if fallback > 0 {
            if gemm { scanAllByGemm(scratch.fallback, count: fallback, scratch) } else { scanAll(scratch.fallback, count: fallback, scratch) }
        }
    }

    /// The rounded products of the listed documents with every centre (in
    /// group order), `YinyangScratch.roundedWidth(k)` to a row of `scratch.products`.
    private func roundedProducts(_ half: RoundedRowsView, _ c: RoundedCentresView, _ list: UnsafePointer<Int>, count: Int,
                                 _ scratch: YinyangScratch, prefetch: UnsafeRawPointer?, bytes: Int) {
        for m in 0 ..< count {
            scratch.halfRows[m] = half.row(list[m])
            scratch.halfScales[m] = half.scale[list[m]]
        }
        for m in count ..< (count + 7) / 8 * 8 {
            scratch.halfRows[m] = scratch.halfRows[count - 1]
            scratch.halfScales[m] = scratch.halfScales[count - 1]
        }
        clus_rounded_rows_tile(half.format, scratch.halfRows, Int32(count), c.packed, Int32(clusterCount), Int32(half.length),
                               scratch.products, Int32(YinyangScratch.roundedWidth(clusterCount)), scratch.halfScales, c.scale,
                               prefetch, bytes)
    }

    /// Document i's candidates into `candidates` from its products `p`
    /// (which become the centres' lower bounds on s = |c − m|² − 2(x − m)·(c − m));
    /// returns how many (at most 0 when a score is not finite), the
    /// epilogue's Float rounding σ, to take off those lower bounds, and the
    /// document's error factors.
    @inline(__always)
    private func roundedCandidates(_ half: RoundedRowsView, _ c: RoundedCentresView, document i: Int,
                                    products p: UnsafeMutablePointer<Float>, candidates: UnsafeMutablePointer<Int32>)
        -> (count: Int, sigma: Double, factors: (alpha: Float, beta: Float)) {
        let f = half.errorFactors(i), sigma = c.epilogueRounding(document: i, half, f)
        let window = floatAbove(2 * allowance(i) + 2 * sigma)
        let n = clus_rounded_candidates(p, c.bias, c.residual, c.rounded, c.slack, f.alpha, f.beta, window,
                                        Int32(clusterCount), candidates)
        return (Int(n), sigma, f)
    }

    /// The products of the first `count` rows of `scratch.rowAddresses` with
    /// every centre in group order: the Gram kernel, and the last panel's few
    /// centres (`tailColumns`) by `clus_rows_dots`.
    private func gramProducts(count: Int, _ scratch: YinyangScratch, prefetch: UnsafeRawPointer?, bytes: Int) {
        let k = clusterCount, d = rows.dimension, kw = YinyangScratch.paddedCentres(k)
        clus_gram_rows_tile(scratch.rowAddresses, Int32(count), packedCentres, Int32(k - tailColumns), Int32(d),
                            scratch.products, Int32(kw), prefetch, bytes)
        if tailColumns > 0 {
            clus_rows_dots(scratch.rowAddresses, Int32(count), groupedCentres + (k - tailColumns) * d, Int32(tailColumns), Int32(d),
                           scratch.products + (k - tailColumns), Int32(kw))
        }
    }

    /// Times, on the first documents (twice each, alternating, the faster
    /// time kept), the full scan both ways and the scoring of listed centres
    /// one document at a time (`scanGroups`' way): speed only, the labels are
    /// the same whichever runs.
    func timeFullScans() -> FullScanTimes {
        let count = min(rows.count, 2 * YinyangScratch.blockRows)
        guard count > 0 else { return FullScanTimes(kernel: 1, gram: 2, listed: 2, rounded: .infinity) }
        let k = clusterCount, d = rows.dimension
        let scratch = YinyangScratch(clusterCount: k, paddedCount: panel.paddedCount, groupCount: groupCount)
        defer { scratch.free() }
        for j in 0 ..< k { scratch.pending[j] = j }
        let clock = ContinuousClock()
        func seconds(_ body: () -> Void) -> Double { clock.measure(body).inSeconds }
        var own = Double.infinity, gram = Double.infinity, listed = Double.infinity, half = Double.infinity
        var candidates = 0
        for _ in 0 ..< 2 {
            own = min(own, seconds {
                var m = 0
                while m < count {
                    let c = min(YinyangScratch.blockRows, count - m)
                    for r in 0 ..< c { scratch.full[r] = m + r }
                    kernelScoreBlock(rows, panel, documents: scratch.full, count: c, into: scratch.block)
                    m += c
                }
            })
            gram = min(gram, seconds {
                var m = 0
                while m < count {
                    let c = min(YinyangScratch.blockRows, count - m)
                    for r in 0 ..< YinyangScratch.paddedRows { scratch.rowAddresses[r] = rows.row(m + min(r, c - 1)) }
                    gramProducts(count: c, scratch, prefetch: nil, bytes: 0)
                    m += c
                }
            })
            if let rows = roundedRows, let c = roundedCentres {
                candidates = 0
                half = min(half, seconds {
                    var m = 0
                    while m < count {
                        let n = min(YinyangScratch.blockRows, count - m)
                        for r in 0 ..< n { scratch.full[r] = m + r }
                        roundedProducts(rows, c, scratch.full, count: n, scratch, prefetch: nil, bytes: 0)
                        for r in 0 ..< n {
                            let p = scratch.products + r * YinyangScratch.roundedWidth(k)
                            candidates += max(1, roundedCandidates(rows, c, document: m + r, products: p, candidates: scratch.candidates).count)
                        }
                        m += n
                    }
                })
            }
            listed = min(listed, seconds {
                for i in 0 ..< count {
                    kernelScores(rows.row(i), d, centres, stride: stride, bias: bias, list: scratch.pending,
                                 count: k, into: scratch.pendingScores)
                }
            })
        }
        // The candidates are scored again one document at a time, as listed centres.
        let rescoring = listed * Double(candidates) / Double(count * k)
        return FullScanTimes(kernel: own, gram: gram, listed: listed, rounded: half + rescoring)
    }
}

/// Seconds for the same documents against every centre: by the blocked
/// kernel, by the Gram kernel, one document at a time through a list of
/// centres, and from rounded products with the candidates' rescoring
/// (infinity when not timed).
struct FullScanTimes {
    let kernel: Double
    let gram: Double
    let listed: Double
    let rounded: Double

    var gemmIsFaster: Bool { gram < kernel }
    var roundedIsFaster: Bool { rounded < min(gram, kernel) }

    /// The share of the centres above which a full scan is cheaper than
    /// scoring that many listed centres (kept within [1/20, 1/2]: the timing is
    /// of a few documents, and at 1/2 a group scan was the cheaper in earlier tests).
    func share(gemm: Bool, rounded useRounded: Bool) -> Double {
        let full = useRounded ? rounded : gemm ? gram : kernel
        guard listed > 0, full.isFinite else { return 0.5 }
        return min(0.5, max(0.05, full / listed))
    }
}
