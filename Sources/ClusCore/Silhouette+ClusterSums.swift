// The exact silhouette for distances that are linear in a cluster's sums,
// in O(n·k·d) instead of O(n²·d).
//
// Cosine: Σ_{y∈B} (1 − x̂·ŷ) = |B| − x̂·Σ_{y∈B} ŷ.
// Squared euclidean: Σ_{y∈B} ‖x − y‖² = |B|·‖x − μ_B‖² + Σ_{y∈B} ‖y − μ_B‖².
// So every document's summed distance to every cluster follows from k sums
// of d values, and the silhouette is the one the pairwise definition gives,
// without the n² distances (at 50,000 × 512 this takes milliseconds where
// the pairwise pass takes seconds). The centred form of the squared distance
// keeps close points with large norms exact, which ‖x‖² + ‖y‖² − 2·x·y would
// not. Everything is in Double: unit rows in Float32 are not unit enough
// (1 − x̂·x̂ would be ~1e-7, not 0), and the cluster sums cancel against |B|.
//
// Conventions as `silhouetteSamples`: a document is at distance 0 from
// itself; a zero vector at cosine distance 1 from every other document.
//
// Rounding: where every distance to a cluster is 0 (parallel vectors for
// cosine, duplicates for squared euclidean) the sums cancel to noise of
// either sign, and (b − a)/max(a, b) of two noise values is anything at all
// (−2.3 was seen). So a sum is clamped at 0, and one within its rounding
// bound (`negligible`) is taken as 0, as the pairwise distances are.

/// Rows per task of the row passes; fixed, so sums reduce in one order on any thread count.
private let rowsPerTask = 1024
/// Column slice of the cluster-sum pass: each column is summed in row order by one task.
private let columnsPerTask = 64

/// What gives each document's summed distance to each cluster.
struct ClusterSums {
    let metric: DistanceMetric
    let dimension: Int
    let sizes: [Int]
    /// Cosine: the sum of the cluster's unit rows. Squared euclidean: the cluster's mean. k × d.
    let vectors: [Double]
    /// Squared euclidean: Σ ‖y − μ‖² over the cluster. Cosine: unused.
    let scatter: [Double]
    /// Cosine: 1/‖x‖ of each row (0 for a zero row). Squared euclidean: unused.
    let rowScale: [Double]
    /// Per cluster, the summed distance at or below which a sum is rounding
    /// noise around 0. Cosine: (d + |B| + 2)·ε per mean distance of unit
    /// vectors. Squared euclidean: the mean's rounding, |B|·ε·max|y|, squared
    /// over d components (twice: the centre term and the scatter). Eight
    /// times over, still far below any distance Float32 input can hold apart.
    let negligible: [Double]

    /// Whether `metric`'s silhouette can be computed from cluster sums.
    static func applies(to metric: DistanceMetric) -> Bool {
        metric == .cosine || metric == .sqeuclidean
    }

    /// Two (cosine: three) streaming passes over `x`.
    /// - Complexity: O(n·d) time, O(k·d + n) memory.
    init<X: VectorRows>(_ x: X, _ labels: CompactLabels, metric: DistanceMetric, parallelism: Parallelism)
    where X.Scalar: SIMDScalar {
        precondition(ClusterSums.applies(to: metric), "\(metric) is not linear in cluster sums")
        let n = x.count, d = x.dimension, k = labels.clusterCount
        var scale = [Double](repeating: 1, count: metric == .cosine ? n : 0)
        var vectors = [Double](repeating: 0, count: k * d)
        var scatter = [Double](repeating: 0, count: k)
        x.withValues { v in
            labels.index.withUnsafeBufferPointer { label in
                let v = v.baseAddress!, label = label.baseAddress!
                if metric == .cosine {
                    scale.withUnsafeMutableBufferPointer { scale in
                        let scale = UncheckedBox(scale.baseAddress!)
                        parallelism.forEach(chunks: (n + rowsPerTask - 1) / rowsPerTask) { task in
                            for i in task * rowsPerTask ..< min(n, (task + 1) * rowsPerTask) {
                                let ss = dot(v + i * d, v + i * d, d)
                                // A zero row stays zero, as sklearn's `normalize`.
                                scale.value[i] = ss > 0 ? 1 / ss.squareRoot() : 0
                            }
                        }
                    }
                }
                vectors.withUnsafeMutableBufferPointer { s in
                    let s = s.baseAddress!
                    scale.withUnsafeBufferPointer { scale in
                        let scale = metric == .cosine ? scale.baseAddress : nil
                        parallelism.forEach(chunks: (d + columnsPerTask - 1) / columnsPerTask) { task in
                            let j0 = task * columnsPerTask, count = min(d, j0 + columnsPerTask) - j0
                            for i in 0 ..< n {
                                if let scale {
                                    addScaled(v + i * d + j0, scale[i], to: s + label[i] * d + j0, count: count)
                                } else {
                                    addWidened(v + i * d + j0, to: s + label[i] * d + j0, count: count)
                                }
                            }
                        }
                    }
                    guard metric == .sqeuclidean else { return }
                    for c in 0 ..< k {
                        let size = Double(labels.sizes[c])
                        for j in 0 ..< d { s[c * d + j] /= size }
                    }
                    // Scatter around the means: per row block, reduced in block order.
                    let tasks = (n + rowsPerTask - 1) / rowsPerTask
                    var partial = [Double](repeating: 0, count: tasks * k)
                    partial.withUnsafeMutableBufferPointer { partial in
                        let partial = UncheckedBox(partial.baseAddress!)
                        parallelism.forEach(chunks: tasks) { task in
                            for i in task * rowsPerTask ..< min(n, (task + 1) * rowsPerTask) {
                                partial.value[task * k + label[i]] += squaredDistance(v + i * d, toCentre: s + label[i] * d, d)
                            }
                        }
                    }
                    for task in 0 ..< tasks {
                        for c in 0 ..< k { scatter[c] += partial[task * k + c] }
                    }
                }
            }
        }
        self.metric = metric
        self.dimension = d
        self.sizes = labels.sizes
        self.vectors = vectors
        self.scatter = scatter
        self.rowScale = scale
        let epsilon = Double.ulpOfOne
        if metric == .cosine {
            negligible = labels.sizes.map { size in Double(size) * 8 * Double(d + size + 2) * epsilon }
        } else {
            let largest = Double(largestMagnitude(x, parallelism: parallelism))
            negligible = labels.sizes.map { size in
                let centre = 8 * Double(size + 1) * epsilon * largest
                return Double(size) * 2 * Double(d) * centre * centre
            }
        }
    }

    /// Summed distances from row `i` of `x` (values at `row`, in cluster `own`)
    /// to every cluster, into `out[0 ..< k]`; the row itself adds 0 to its own.
    @inline(__always)
    func distanceSums<S: BinaryFloatingPoint & SIMDScalar>(
        row: UnsafePointer<S>, index i: Int, own: Int, widenedRow: UnsafeMutablePointer<Double>,
        into out: UnsafeMutablePointer<Double>
    ) {
        let d = dimension, k = sizes.count
        let scale = metric == .cosine ? rowScale[i] : 1
        for j in 0 ..< d { widenedRow[j] = Double(row[j]) * scale }
        vectors.withUnsafeBufferPointer { vectors in
            let c0 = vectors.baseAddress!
            switch metric {
            case .cosine:
                for c in 0 ..< k { out[c] = Double(sizes[c]) - dot(widenedRow, c0 + c * d, d) }
                // Take out the row's own term 1 − x̂·x̂: 0 for a unit row, 1 for a zero row.
                out[own] -= 1 - dot(widenedRow, widenedRow, d)
            default:
                for c in 0 ..< k {
                    out[c] = Double(sizes[c]) * squaredDistance(widenedRow, toCentre: c0 + c * d, d) + scatter[c]
                }
            }
        }
        for c in 0 ..< k where out[c] <= negligible[c] { out[c] = 0 }
    }

    /// `distanceSums` of four rows at once (`rows` r, `indices`, `owns`),
    /// into `out[r·k ..< r·k + k]`: each cluster's sums are read once for
    /// the four (the k × d sums outgrow L1), and each row's number is summed
    /// exactly as `distanceSums` sums it, so the results are the same bits.
    @inline(__always)
    func distanceSums4<S: BinaryFloatingPoint & SIMDScalar>(
        rows: (UnsafePointer<S>, UnsafePointer<S>, UnsafePointer<S>, UnsafePointer<S>), indices: SIMD4<Int>,
        owns: SIMD4<Int>, widenedRows w: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>
    ) {
        let d = dimension, k = sizes.count
        func widen(_ r: Int, _ row: UnsafePointer<S>) {
            let scale = metric == .cosine ? rowScale[indices[r]] : 1
            for j in 0 ..< d { w[r * d + j] = Double(row[j]) * scale }
        }
        widen(0, rows.0); widen(1, rows.1); widen(2, rows.2); widen(3, rows.3)
        vectors.withUnsafeBufferPointer { vectors in
            let c0 = vectors.baseAddress!
            for c in 0 ..< k {
                let centre = c0 + c * d
                if metric == .cosine {
                    let dots = dot4(w, d, centre)
                    for r in 0 ..< 4 { out[r * k + c] = Double(sizes[c]) - dots[r] }
                } else {
                    let squares = squaredDistance4(w, d, centre)
                    for r in 0 ..< 4 { out[r * k + c] = Double(sizes[c]) * squares[r] + scatter[c] }
                }
            }
        }
        for r in 0 ..< 4 {
            if metric == .cosine {
                out[r * k + owns[r]] -= 1 - dot(w + r * d, w + r * d, d)
            }
            for c in 0 ..< k where out[r * k + c] <= negligible[c] { out[r * k + c] = 0 }
        }
    }
}

/// `dot(row r, centre)` for the four rows at `w` (row r at r·d): the same
/// two-accumulator order per row, the centre loaded once for all four.
@inline(__always)
private func dot4(_ w: UnsafePointer<Double>, _ d: Int, _ centre: UnsafePointer<Double>) -> SIMD4<Double> {
    var p0 = SIMD8<Double>(), q0 = SIMD8<Double>(), p1 = SIMD8<Double>(), q1 = SIMD8<Double>()
    var p2 = SIMD8<Double>(), q2 = SIMD8<Double>(), p3 = SIMD8<Double>(), q3 = SIMD8<Double>()
    var j = 0
    while j + 16 <= d {
        let a = widened(centre + j), b = widened(centre + j + 8)
        p0.addProduct(widened(w + j), a); q0.addProduct(widened(w + j + 8), b)
        p1.addProduct(widened(w + d + j), a); q1.addProduct(widened(w + d + j + 8), b)
        p2.addProduct(widened(w + 2 * d + j), a); q2.addProduct(widened(w + 2 * d + j + 8), b)
        p3.addProduct(widened(w + 3 * d + j), a); q3.addProduct(widened(w + 3 * d + j + 8), b)
        j += 16
    }
    var s = SIMD4((p0 + q0).sum(), (p1 + q1).sum(), (p2 + q2).sum(), (p3 + q3).sum())
    while j < d {
        for r in 0 ..< 4 { s[r] += w[r * d + j] * centre[j] }
        j += 1
    }
    return s
}

/// `squaredDistance(row r, toCentre: centre)` for the four rows at `w`, summed
/// in the same order per row.
@inline(__always)
private func squaredDistance4(_ w: UnsafePointer<Double>, _ d: Int, _ centre: UnsafePointer<Double>) -> SIMD4<Double> {
    var a0 = SIMD8<Double>(), b0 = SIMD8<Double>(), a1 = SIMD8<Double>(), b1 = SIMD8<Double>()
    var a2 = SIMD8<Double>(), b2 = SIMD8<Double>(), a3 = SIMD8<Double>(), b3 = SIMD8<Double>()
    var j = 0
    while j + 16 <= d {
        let x = widened(centre + j), y = widened(centre + j + 8)
        var p = widened(w + j) - x, q = widened(w + j + 8) - y
        a0 += p * p; b0 += q * q
        p = widened(w + d + j) - x; q = widened(w + d + j + 8) - y
        a1 += p * p; b1 += q * q
        p = widened(w + 2 * d + j) - x; q = widened(w + 2 * d + j + 8) - y
        a2 += p * p; b2 += q * q
        p = widened(w + 3 * d + j) - x; q = widened(w + 3 * d + j + 8) - y
        a3 += p * p; b3 += q * q
        j += 16
    }
    var s = SIMD4((a0 + b0).sum(), (a1 + b1).sum(), (a2 + b2).sum(), (a3 + b3).sum())
    while j < d {
        for r in 0 ..< 4 {
            let diff = w[r * d + j] - centre[j]
            s[r] += diff * diff
        }
        j += 1
    }
    return s
}

/// Silhouette coefficients from cluster sums, of every document (`points` nil)
/// or of the documents at `points`.
/// - Complexity: O(n·d + m·k·d) for m scored documents.
func clusterSumSilhouettes<X: VectorRows>(
    _ x: X, _ labels: CompactLabels, metric: DistanceMetric, points: [Int]?,
    parallelism: Parallelism, cancellation: Cancellation?, progress: ProgressCallback?
) throws -> [Double] where X.Scalar: SIMDScalar {
    let sums = ClusterSums(x, labels, metric: metric, parallelism: parallelism)
    try cancellation?.check()
    let d = x.dimension, k = labels.clusterCount
    let m = points?.count ?? x.count
    let tasks = (m + rowsPerTask - 1) / rowsPerTask
    var result = [Double](repeating: 0, count: m)
    x.withValues { v in
        result.withUnsafeMutableBufferPointer { out in
            let v = v.baseAddress!, out = UncheckedBox(out.baseAddress!)
            parallelism.forEach(chunks: tasks) { task in
                if cancellation?.isCancelled == true { return }
                let row = UnsafeMutablePointer<Double>.allocate(capacity: 4 * d)
                let distances = UnsafeMutablePointer<Double>.allocate(capacity: 4 * k)
                defer { row.deallocate(); distances.deallocate() }
                let end = min(m, (task + 1) * rowsPerTask)
                var t = task * rowsPerTask
                while t + 4 <= end {
                    let i = SIMD4(points?[t] ?? t, points?[t + 1] ?? t + 1, points?[t + 2] ?? t + 2, points?[t + 3] ?? t + 3)
                    let own = SIMD4(labels.index[i[0]], labels.index[i[1]], labels.index[i[2]], labels.index[i[3]])
                    sums.distanceSums4(rows: (v + i[0] * d, v + i[1] * d, v + i[2] * d, v + i[3] * d), indices: i,
                                       owns: own, widenedRows: row, into: distances)
                    for r in 0 ..< 4 {
                        out.value[t + r] = coefficient(distances + r * k, cluster: own[r], sizes: labels.sizes)
                    }
                    t += 4
                }
                while t < end {
                    let i = points?[t] ?? t
                    let own = labels.index[i]
                    sums.distanceSums(row: v + i * d, index: i, own: own, widenedRow: row, into: distances)
                    out.value[t] = coefficient(distances, cluster: own, sizes: labels.sizes)
                    t += 1
                }
            }
        }
    }
    try cancellation?.check()
    progress?(1, 1)
    return result
}

/// The largest |component| of `x`, the scale of its rounding errors.
private func largestMagnitude<X: VectorRows>(_ x: X, parallelism: Parallelism) -> X.Scalar where X.Scalar: SIMDScalar {
    let total = x.count * x.dimension, chunk = rowsPerTask * max(1, x.dimension)
    let tasks = (total + chunk - 1) / chunk
    var partial = [X.Scalar](repeating: 0, count: max(1, tasks))
    x.withValues { v in
        partial.withUnsafeMutableBufferPointer { partial in
            let v = v.baseAddress!, partial = UncheckedBox(partial.baseAddress!)
            parallelism.forEach(chunks: tasks) { task in
                // max is exact: SIMD lanes give the scalar loop's answer
                var lanes = SIMD16<X.Scalar>()
                var j = task * chunk
                let end = min(total, (task + 1) * chunk)
                while j + 16 <= end {
                    let value = UnsafeRawPointer(v + j).loadUnaligned(as: SIMD16<X.Scalar>.self)
                    lanes = pointwiseMax(lanes, value.replacing(with: -value, where: value .< 0))
                    j += 16
                }
                var largest = lanes.max()
                while j < end { largest = max(largest, abs(v[j])); j += 1 }
                partial.value[task] = largest
            }
        }
    }
    return partial.max() ?? 0
}

/// Σ a[j]·b[j] in Double.
@inline(__always)
private func dot<S: BinaryFloatingPoint & SIMDScalar>(_ a: UnsafePointer<S>, _ b: UnsafePointer<S>, _ d: Int) -> Double {
    var p = SIMD8<Double>(), q = SIMD8<Double>()
    var j = 0
    while j + 16 <= d {
        p.addProduct(widened(a + j), widened(b + j))
        q.addProduct(widened(a + j + 8), widened(b + j + 8))
        j += 16
    }
    var s = (p + q).sum()
    while j < d {
        s += Double(a[j]) * Double(b[j])
        j += 1
    }
    return s
}

/// `sums[j] += Double(values[j]) · scale` for `j` in `0 ..< count`.
@inline(__always)
private func addScaled<S: BinaryFloatingPoint & SIMDScalar>(
    _ values: UnsafePointer<S>, _ scale: Double, to sums: UnsafeMutablePointer<Double>, count: Int
) {
    var j = 0
    while j + 8 <= count {
        let slot = UnsafeMutableRawPointer(sums + j)
        slot.storeBytes(of: slot.loadUnaligned(as: SIMD8<Double>.self) + widened(values + j) * scale, as: SIMD8<Double>.self)
        j += 8
    }
    while j < count {
        sums[j] += Double(values[j]) * scale
        j += 1
    }
}
