// Lloyd iterations, as scikit-learn's `_kmeans_single_lloyd`: assign, move
// each centre to its documents' mean (re-seeding empty clusters), stop on
// unchanged labels or a small centre shift, then re-assign once.

/// How Lloyd's assignment spares distance computations; all give the same labels.
enum LloydAcceleration: Equatable {
    /// Every document against every centre.
    case none
    /// Hamerly's single lower bound per document (KMeans+Hamerly.swift).
    case hamerly
    /// Yinyang's lower bound per document and centre group (KMeans+Yinyang.swift).
    case yinyang(groups: Int)
    /// Yinyang for large k, Hamerly for small (`resolvedAcceleration`).
    case automatic
}

/// Lloyd's algorithm over one dataset; `run` starts it from given seeds.
struct Lloyd {
    let rows: RowMatrix
    let clusterCount: Int
    let plan: ChunkPlan
    let parallelism: Parallelism
    let cancellation: Cancellation?
    let maxIterations: Int
    /// Absolute bound on the total squared centre shift.
    let tolerance: Double
    /// Centres are scaled to unit length and the objective halved (spherical k-means).
    var spherical = false
    /// How documents are spared distance computations; every choice gives
    /// the same labels as `.none`, which scores every document against every
    /// centre (the reference the tests compare with).
    var acceleration = LloydAcceleration.automatic

    /// Whether Yinyang's full scans use the Gram kernel; nil times it against the
    /// kernel on the first pass. Speed only (tests force each way).
    var gemmFullScan: Bool? = nil

    /// Whether Yinyang's full scans start from rounded products (bfloat16 on
    /// CPUs with AVX512_BF16, else int16 on AVX2): `.automatic` times them
    /// on the first pass; a format uses it wherever the CPU allows. Speed
    /// only (tests force each way).
    var roundedScan: RoundedScan = .automatic
    /// Whether the first pass times the rounded scan against the Float scans
    /// (and keeps the faster); nil: only when `roundedScan` is automatic.
    var roundedScanTimed: Bool? = nil
    /// Whether Yinyang's passes filter, or scan all in full when the filters
    /// do not pay (`YinyangFiltering`). Speed only (tests force each way).
    var yinyangFiltering = YinyangFiltering.timed

    /// Skip documents by bounds (the same labels, fewer distances); false is
    /// `acceleration = .none`.
    var bounded: Bool {
        get { acceleration != .none }
        set { acceleration = newValue ? .automatic : .none }
    }

    /// The acceleration `automatic` resolves to: Yinyang's group bounds when
    /// k allows at least 2 groups of about 10 centres, else Hamerly's single
    /// bound (with one group Yinyang's test is Hamerly's, without the
    /// centre-separation term).
    var resolvedAcceleration: LloydAcceleration {
        guard acceleration == .automatic else { return acceleration }
        let groups = YinyangBounds.groupCount(clusterCount: clusterCount, dimension: rows.dimension)
        // two groups filter little more than Hamerly's one bound, for the groups' bookkeeping
        // (8,000 real 384-d embeddings, k = 20: 1.33–1.48 against 0.98–1.08 ms per iteration)
        return groups >= 3 ? .yinyang(groups: groups) : .hamerly
    }

    /// Whether the bounded passes (Yinyang's, Hamerly's) move documents in the centre sums themselves:
    /// when a k × d Int64 delta per thread fits in 256 MiB.
    var fusesSums: Bool {
        parallelism.threads * clusterCount * rows.dimension * MemoryLayout<Int64>.size <= 256 << 20
    }

    /// Iterates from the documents `seeds` as initial centres.
    ///
    /// - Complexity: O(iterations · n · k · d) arithmetic at worst (Hamerly's
    ///   bounds skip most documents once the centres settle); 3 Doubles per
    ///   document for the bounds.
    func run(seeds: [Int], progress: (Int) -> Void) throws(Cancelled) -> KMeansResult {
        let n = rows.count, d = rows.dimension, k = clusterCount
        var centres = [Double](repeating: 0, count: k * d)
        for (j, s) in seeds.enumerated() {
            let p = rows.row(s)
            for t in 0 ..< d { centres[j * d + t] = Double(p[t]) }
        }
        var labels = [Int](repeating: -1, count: n)
        var iterations = 0
        var strict = false
        var bounds: HamerlyBounds? = nil, yinyang: YinyangBounds? = nil
        switch resolvedAcceleration {
        case .hamerly, .automatic: bounds = HamerlyBounds(rows: rows, plan: plan, parallelism: parallelism)
        case .yinyang(let groups):
            yinyang = YinyangBounds(rows: rows, centres: centres, clusterCount: k, groupCount: groups,
                                    plan: plan, parallelism: parallelism)
            yinyang?.gemm = gemmFullScan
            yinyang?.filtering = yinyangFiltering
            yinyang?.roundedRows = RoundedRows(rows: rows, plan: plan, parallelism: parallelism, format: roundedScan.format)
            yinyang?.rounded = roundedScanTimed ?? (roundedScan == .automatic) ? nil : true
        case .none: break
        }
        var sums = CentreSums(rows: rows, clusterCount: k, plan: plan, parallelism: parallelism)
        for iteration in 0 ..< maxIterations {
            try cancellation?.check()
            let panel = CentrePanel(centres: centres, clusterCount: k, dimension: d)
            // Only the documents that changed cluster touch the sums.
            var moved = 0
            if let yinyang, fusesSums {
                moved = withUnsafeMutablePointer(to: &sums) { assignYinyang(panel, labels: &labels, bounds: yinyang, moving: $0) }
                try cancellation?.check()
            } else if let bounds, yinyang == nil, fusesSums {
                moved = withUnsafeMutablePointer(to: &sums) { assignBounded(panel, labels: &labels, bounds: bounds, moving: $0).moved }
                try cancellation?.check()
            } else {
                let before = labels
                try assign(panel, labels: &labels, hamerly: bounds, yinyang: yinyang)
                var changed: [Int] = [], from: [Int] = [], to: [Int] = []
                for i in 0 ..< n where labels[i] != before[i] {
                    changed.append(i)
                    from.append(before[i])
                    to.append(labels[i])
                }
                sums.move(changed, from: from, to: to, rows: rows, parallelism: parallelism)
                moved = changed.count
            }
            let updated = newCentres(sums: sums.values(), counts: sums.counts, labels: labels, old: centres)
            var shift = 0.0
            for i in 0 ..< k * d {
                let e = updated[i] - centres[i]
                shift += e * e
            }
            centres = updated
            iterations = iteration + 1
            progress(iterations)
            if moved == 0 { strict = true; break }
            if shift <= tolerance { break }
        }
        let panel = CentrePanel(centres: centres, clusterCount: k, dimension: d)
        if !strict {
            // Labels must belong to the final centres.
            try assign(panel, labels: &labels, hamerly: bounds, yinyang: yinyang)
        }

        let rounded = centres.map { Float($0) }
        let exact = rounded.map { Double($0) }
        return KMeansResult(labels: labels,
                            centroids: Embeddings(count: k, dimension: d, values: rounded),
                            inertia: inertia(labels: labels, centres: exact),
                            iterations: iterations)
    }

    /// An assignment pass through whichever bounds the run keeps.
    private func assign(_ panel: CentrePanel, labels: inout [Int], hamerly: HamerlyBounds?,
                        yinyang: YinyangBounds?) throws(Cancelled) {
        if let yinyang {
            assignYinyang(panel, labels: &labels, bounds: yinyang)
        } else if let hamerly {
            assignBounded(panel, labels: &labels, bounds: hamerly)
        } else {
            try assign(panel, labels: &labels)
        }
        try cancellation?.check()
    }

    /// An assignment pass without sums.
    func assign(_ panel: CentrePanel, labels: inout [Int]) throws(Cancelled) {
        labels.withUnsafeMutableBufferPointer { labelBuffer in
            guard let l = labelBuffer.baseAddress else { return }
            parallelism.forEach(chunks: plan.chunks) { chunk in
                if cancellation?.isCancelled == true { return }
                _ = assignChunk(rows, panel, rows: plan.range(chunk), labels: l, sums: nil, counts: nil)
            }
        }
        try cancellation?.check()
    }

    /// Labels from a full assignment pass and their inertia (as `inertia`,
    /// to the last bit), in one pass over the data: each slice of a chunk is
    /// scored against `centres` while it is still in cache.
    ///
    /// - Parameter centres: the centres the inertia is measured from (k × d),
    ///   normally `panel`'s Float values widened.
    func labelsAndInertia(_ panel: CentrePanel, centres: [Double]) throws(Cancelled) -> ([Int], Double) {
        let d = rows.dimension, slice = 64
        var labels = [Int](repeating: -1, count: rows.count)
        var partial = [Double](repeating: 0, count: plan.chunks)
        labels.withUnsafeMutableBufferPointer { labelBuffer in
        partial.withUnsafeMutableBufferPointer { dst in
        centres.withUnsafeBufferPointer { c in
            guard let l = labelBuffer.baseAddress, let cbase = c.baseAddress else { return }
            parallelism.forEach(chunks: plan.chunks) { chunk in
                if cancellation?.isCancelled == true { return }
                let range = plan.range(chunk)
                var sum = 0.0
                var lo = range.lowerBound
                while lo < range.upperBound {
                    let hi = min(range.upperBound, lo + slice)
                    _ = assignChunk(rows, panel, rows: lo ..< hi, labels: l, sums: nil, counts: nil)
                    for i in lo ..< hi { sum += squaredDistanceDouble(rows.row(i), cbase + l[i] * d, d) }
                    lo = hi
                }
                dst[chunk] = sum
            }
        }
        }
        }
        try cancellation?.check()
        var total = 0.0
        for s in partial { total += s }
        return (labels, spherical ? total / 2 : total)
    }

    /// Means of the clusters. Empty clusters first take the documents
    /// farthest from their (old) centres, one each, as scikit-learn does; a
    /// cluster still empty sits on the largest cluster's centre.
    private func newCentres(sums: [Double], counts: [Int], labels: [Int], old: [Double]) -> [Double] {
        let d = rows.dimension, k = clusterCount
        var sums = sums, counts = counts
        let empty = (0 ..< k).filter { counts[$0] == 0 }
        if !empty.isEmpty {
            let distances = distancesToCentres(labels: labels, centres: old)
            // Farthest first, lower index on ties; no point moving onto a centre.
            let far = distances.indices.sorted {
                distances[$0] != distances[$1] ? distances[$0] > distances[$1] : $0 < $1
            }
            if let farthest = far.first, distances[farthest] > 0 {
                for (j, i) in zip(empty, far) {
                    let from = labels[i]
                    let p = rows.row(i)
                    for t in 0 ..< d {
                        sums[from * d + t] -= Double(p[t])
                        sums[j * d + t] = Double(p[t])
                    }
                    counts[from] -= 1
                    counts[j] = 1
                }
            }
        }
        var centres = [Double](repeating: 0, count: k * d)
        var largest = 0
        for j in 0 ..< k where counts[j] > 0 {
            if counts[j] > counts[largest] { largest = j }
            let scale = 1 / Double(counts[j])
            for t in 0 ..< d { centres[j * d + t] = sums[j * d + t] * scale }
        }
        for j in 0 ..< k where counts[j] == 0 {
            for t in 0 ..< d { centres[j * d + t] = centres[largest * d + t] }
        }
        if spherical { normalise(&centres) }
        return centres
    }

    /// Scales each centre to unit length; a zero mean (opposite documents
    /// cancelling) stays zero, equally far from every unit document.
    private func normalise(_ centres: inout [Double]) {
        let d = rows.dimension
        for j in 0 ..< clusterCount {
            var norm = 0.0
            for t in 0 ..< d { norm += centres[j * d + t] * centres[j * d + t] }
            guard norm > 0 else { continue }
            let scale = 1 / norm.squareRoot()
            for t in 0 ..< d { centres[j * d + t] *= scale }
        }
    }

    /// Squared distance of each document to its labelled centre, in Double.
    private func distancesToCentres(labels: [Int], centres: [Double]) -> [Double] {
        let d = rows.dimension
        var out = [Double](repeating: 0, count: rows.count)
        out.withUnsafeMutableBufferPointer { dst in
            centres.withUnsafeBufferPointer { c in
                guard let cbase = c.baseAddress else { return }
                parallelism.forEach(chunks: plan.chunks) { chunk in
                    for i in plan.range(chunk) {
                        dst[i] = squaredDistanceDouble(rows.row(i), cbase + labels[i] * d, d)
                    }
                }
            }
        }
        return out
    }

    /// Sum of squared distances to the labelled centres (halved when
    /// spherical: cosine distances), accumulated in Double per chunk and
    /// reduced in chunk order.
    func inertia(labels: [Int], centres: [Double]) -> Double {
        let d = rows.dimension
        var partial = [Double](repeating: 0, count: plan.chunks)
        partial.withUnsafeMutableBufferPointer { dst in
            centres.withUnsafeBufferPointer { c in
                guard let cbase = c.baseAddress else { return }
                parallelism.forEach(chunks: plan.chunks) { chunk in
                    var sum = 0.0
                    for i in plan.range(chunk) {
                        sum += squaredDistanceDouble(rows.row(i), cbase + labels[i] * d, d)
                    }
                    dst[chunk] = sum
                }
            }
        }
        var total = 0.0
        for s in partial { total += s }
        return spherical ? total / 2 : total
    }
}
