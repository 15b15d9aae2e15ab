// Lloyd's centre sums in 64-bit fixed point, one power-of-two scale per
// feature. Integer addition is associative, so adding the documents that
// join a cluster and subtracting those that leave gives exactly the sums a
// full pass would, in any order and on any number of threads: an iteration
// touches only the documents whose label changed (few, once Hamerly's bounds
// skip most), not all n · d values.

/// Each cluster's sum of its documents, kept in fixed point across iterations.
struct CentreSums {
    let clusterCount: Int
    let dimension: Int
    /// 2^q per feature, the largest power of two with n · max|x_t| · 2^q ≤ 2^62
    /// (no sum can overflow) and max|x_t| · 2^q ≤ 2^51 (for `quantised`).
    /// Rounding each value to a multiple of 2^−q errs by at most
    /// max|x_t| · n · 2⁻⁶³ (or 2⁻⁵² when n < 2¹¹) per value: far below a
    /// Float's 2⁻²⁴, where a Double running sum of n Floats errs by up to n · 2⁻⁵³.
    private let scale: [Double]
    private let unscale: [Double]
    private(set) var sums: [Int64]
    private(set) var counts: [Int]

    /// Scales from the largest magnitude of each feature.
    ///
    /// - Complexity: O(n · d).
    init(rows: RowMatrix, clusterCount k: Int, plan: ChunkPlan, parallelism: Parallelism) {
        let n = rows.count, d = rows.dimension
        var chunkMax = [Float](repeating: 0, count: plan.chunks * d)
        chunkMax.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            parallelism.forEach(chunks: plan.chunks) { c in
                let m = base + c * d
                for i in plan.range(c) {
                    let p = rows.row(i)
                    for t in 0 ..< d { m[t] = max(m[t], abs(p[t])) }
                }
            }
        }
        // log2 of the per-value limit: n rounded up to a power of two.
        let limit = min(51, 62 - (Int.bitWidth - (max(1, n) - 1).leadingZeroBitCount))
        var scale = [Double](repeating: 1, count: d)
        for t in 0 ..< d {
            var m: Float = 0
            for c in 0 ..< plan.chunks { m = max(m, chunkMax[c * d + t]) }
            guard m > 0 else { continue }
            // m < 2^(exponent + 1), so m · 2^q < 2^limit.
            scale[t] = Double(sign: .plus, exponent: limit - Int(Double(m).exponent) - 1, significand: 1)
        }
        self.scale = scale
        unscale = scale.map { 1 / $0 }
        clusterCount = k
        dimension = d
        sums = [Int64](repeating: 0, count: k * d)
        counts = [Int](repeating: 0, count: k)
    }

    /// `x · scale` rounded to the nearest integer (ties to even): adding
    /// 1.5 · 2⁵² leaves the integer in the low bits of the Double, exact for
    /// |x · scale| < 2⁵¹, eight lanes at a time without a conversion instruction.
    @inline(__always)
    private static func quantised(_ x: SIMD8<Float>, _ scale: SIMD8<Double>) -> SIMD8<Int64> {
        let magic = SIMD8<Double>(repeating: 0x1.8p52)
        let shifted = SIMD8<Double>(x) * scale + magic
        return unsafeBitCast(shifted, to: SIMD8<Int64>.self) &- unsafeBitCast(magic, to: SIMD8<Int64>.self)
    }

    /// Moves each listed document from cluster `from` (−1: none yet) to `to`.
    /// Features are split into blocks across the threads; the result is the
    /// same in any order.
    ///
    /// - Complexity: O(moves · d).
    mutating func move(_ documents: [Int], from: [Int], to: [Int], rows: RowMatrix, parallelism: Parallelism) {
        guard !documents.isEmpty else { return }
        let d = dimension
        for (a, b) in zip(from, to) {
            if a >= 0 { counts[a] -= 1 }
            counts[b] += 1
        }
        let block = 64
        let blocks = (d + block - 1) / block
        let padded = (d + 7) / 8 * 8
        // Scales padded to whole lanes; the padding lanes are never stored.
        var lanes = [Double](repeating: 0, count: padded)
        for t in 0 ..< d { lanes[t] = scale[t] }
        lanes.withUnsafeBufferPointer { scaleBuffer in
        sums.withUnsafeMutableBufferPointer { sumBuffer in
            guard let s = sumBuffer.baseAddress, let sc = scaleBuffer.baseAddress else { return }
            parallelism.forEach(chunks: documents.count < 64 ? 1 : blocks) { b in
                let (lo, hi) = documents.count < 64 ? (0, d) : (b * block, min(d, (b + 1) * block))
                for (m, i) in documents.enumerated() {
                    let p = rows.row(i)
                    let source = from[m], target = to[m]
                    var t = lo
                    while t < hi {
                        let q = Self.quantised(loadLane(p + t, hi - t),
                                               UnsafeRawPointer(sc + t).loadUnaligned(as: SIMD8<Double>.self))
                        if hi - t >= 8 {
                            if source >= 0 {
                                let slot = UnsafeMutableRawPointer(s + source * d + t)
                                slot.storeBytes(of: slot.loadUnaligned(as: SIMD8<Int64>.self) &- q, as: SIMD8<Int64>.self)
                            }
                            let slot = UnsafeMutableRawPointer(s + target * d + t)
                            slot.storeBytes(of: slot.loadUnaligned(as: SIMD8<Int64>.self) &+ q, as: SIMD8<Int64>.self)
                        } else {
                            for e in 0 ..< hi - t {
                                if source >= 0 { s[source * d + t + e] &-= q[e] }
                                s[target * d + t + e] &+= q[e]
                            }
                        }
                        t += 8
                    }
                }
            }
        }
        }
    }

    /// Adds the quantised row `p` to cluster `to`'s slot of `delta` (k × d)
    /// and subtracts it from `from`'s (−1: none): the same values `move`
    /// adds, for an assignment pass that moves documents while their rows
    /// are in cache; `apply` then adds the deltas.
    @inline(__always)
    static func accumulate(_ p: UnsafePointer<Float>, _ d: Int, from: Int, to: Int,
                           into delta: UnsafeMutablePointer<Int64>, scale sc: UnsafePointer<Double>) {
        var t = 0
        while t < d {
            let q = Self.quantised(loadLane(p + t, d - t), UnsafeRawPointer(sc + t).loadUnaligned(as: SIMD8<Double>.self))
            if d - t >= 8 {
                if from >= 0 {
                    let slot = UnsafeMutableRawPointer(delta + from * d + t)
                    slot.storeBytes(of: slot.loadUnaligned(as: SIMD8<Int64>.self) &- q, as: SIMD8<Int64>.self)
                }
                let slot = UnsafeMutableRawPointer(delta + to * d + t)
                slot.storeBytes(of: slot.loadUnaligned(as: SIMD8<Int64>.self) &+ q, as: SIMD8<Int64>.self)
            } else {
                for e in 0 ..< d - t {
                    if from >= 0 { delta[from * d + t + e] &-= q[e] }
                    delta[to * d + t + e] &+= q[e]
                }
            }
            t += 8
        }
    }

    /// The scales padded to whole lanes, as `accumulate` reads them.
    var paddedScale: [Double] {
        var lanes = [Double](repeating: 0, count: (dimension + 7) / 8 * 8)
        for t in 0 ..< dimension { lanes[t] = scale[t] }
        return lanes
    }

    /// Adds the deltas of `accumulate` (each k × d) and the count changes (each k).
    mutating func apply(_ deltas: [UnsafeMutablePointer<Int64>], counts changes: [UnsafeMutablePointer<Int>],
                        parallelism: Parallelism) {
        let k = clusterCount, d = dimension
        for change in changes { for j in 0 ..< k { counts[j] += change[j] } }
        let blocks = (k * d + 4095) / 4096
        sums.withUnsafeMutableBufferPointer { sumBuffer in
            guard let s = sumBuffer.baseAddress else { return }
            parallelism.forEach(chunks: blocks) { b in
                for delta in deltas {
                    for v in b * 4096 ..< min(k * d, (b + 1) * 4096) { s[v] &+= delta[v] }
                }
            }
        }
    }

    /// The sums as Doubles, back in the data's units.
    func values() -> [Double] {
        let d = dimension
        var out = [Double](repeating: 0, count: clusterCount * d)
        for j in 0 ..< clusterCount {
            for t in 0 ..< d { out[j * d + t] = Double(sums[j * d + t]) * unscale[t] }
        }
        return out
    }
}

/// The documents an assignment pass moves between clusters, summed while
/// their rows are in cache: per worker k × d quantised deltas (`accumulate`)
/// and k count changes, added to the sums after the pass. Integer sums are
/// the same in any order, so which worker moved which document does not matter.
struct PassMoves {
    private let clusterCount: Int
    private let dimension: Int
    private let workers: Int
    private let deltas: UnsafeMutableBufferPointer<Int64>
    private let countChanges: UnsafeMutableBufferPointer<Int>
    private let scale: UnsafeMutableBufferPointer<Double>

    /// Zeroed room for `workers` threads; `deallocate` frees it.
    init(_ sums: CentreSums, workers: Int) {
        clusterCount = sums.clusterCount
        dimension = sums.dimension
        self.workers = workers
        deltas = .allocate(capacity: workers * sums.clusterCount * sums.dimension)
        deltas.initialize(repeating: 0)
        countChanges = .allocate(capacity: workers * sums.clusterCount)
        countChanges.initialize(repeating: 0)
        let lanes = sums.paddedScale
        scale = .allocate(capacity: lanes.count)
        _ = scale.initialize(from: lanes)
    }

    /// Moves the row `p` from cluster `from` (−1: none yet) to `to`, in `worker`'s deltas.
    @inline(__always)
    func move(_ p: UnsafePointer<Float>, from: Int, to: Int, worker: Int) {
        let k = clusterCount
        CentreSums.accumulate(p, dimension, from: from, to: to, into: deltas.baseAddress! + worker * k * dimension,
                              scale: UnsafePointer(scale.baseAddress!))
        if from >= 0 { countChanges[worker * k + from] -= 1 }
        countChanges[worker * k + to] += 1
    }

    /// Adds every worker's moves to `sums`.
    func apply(to sums: inout CentreSums, parallelism: Parallelism) {
        let k = clusterCount, d = dimension
        sums.apply((0 ..< workers).map { deltas.baseAddress! + $0 * k * d },
                   counts: (0 ..< workers).map { countChanges.baseAddress! + $0 * k }, parallelism: parallelism)
    }

    func deallocate() {
        deltas.deallocate()
        countChanges.deallocate()
        scale.deallocate()
    }
}
