// Calinski-Harabasz and Davies-Bouldin as in `sklearn.metrics` 1.9.1.
// Float32 (or float64) vectors are widened to Double as they are read; centroids and
// dispersions accumulate in Double over two streaming passes (no n×d temporaries),
// so results agree with sklearn's float64 computation to about 1e-12 relative.
// Both indices need the same two passes, so `centroidIndices` computes them together.

/// The two indices computed from centroids and distances to them.
public struct CentroidIndices: Sendable, Equatable {
    /// Between- over within-cluster dispersion per degree of freedom; higher is better.
    public let calinskiHarabasz: Double
    /// Mean worst ratio of scatter to centroid separation; lower is better, 0 best.
    public let daviesBouldin: Double
}

/// What both indices read: centroids, the summed squared distance of each
/// document to its centroid, and each cluster's mean distance to its centroid.
private struct Dispersion {
    let means: [Double]  // k×d, row-major
    let sizes: [Int]
    let withinSquares: Double
    let meanDistance: [Double]  // per cluster
}

/// Column slice of the centroid pass: a multiple of the SIMD width, small
/// enough that a slice of every centroid stays in L1.
private let columnsPerChunk = 64
/// Rows per task of the distance pass.
private let rowsPerChunk = 4096

/// Two passes over `x`, spread over `parallelism`. Work is split by columns
/// (centroid sums) and by fixed row blocks (distances) and reduced in block
/// order, so the result is the same on any number of threads.
private func dispersion<X: VectorRows>(
    _ x: X, _ labels: CompactLabels, parallelism: Parallelism, cancellation: Cancellation?
) throws -> Dispersion where X.Scalar: SIMDScalar {
    let n = x.count, d = x.dimension, k = labels.clusterCount
    var sums = [Double](repeating: 0, count: k * d)
    let rowBlocks = (n + rowsPerChunk - 1) / rowsPerChunk
    var blockSquares = [Double](repeating: 0, count: rowBlocks)
    var blockDistances = [Double](repeating: 0, count: rowBlocks * k)
    x.withValues { v in
        labels.index.withUnsafeBufferPointer { label in
            let v = v.baseAddress!, label = label.baseAddress!
            sums.withUnsafeMutableBufferPointer { s in
                let s = s.baseAddress!
                // Each column of a centroid is summed in row order by one task.
                parallelism.forEach(chunks: (d + columnsPerChunk - 1) / columnsPerChunk) { chunk in
                    if cancellation?.isCancelled == true { return }
                    let j0 = chunk * columnsPerChunk, j1 = min(d, j0 + columnsPerChunk)
                    for i in 0 ..< n {
                        addWidened(v + i * d + j0, to: s + label[i] * d + j0, count: j1 - j0)
                    }
                }
                for c in 0 ..< k {
                    let size = Double(labels.sizes[c])
                    for j in 0 ..< d { s[c * d + j] /= size }
                }
            }
            guard cancellation?.isCancelled != true else { return }
            sums.withUnsafeBufferPointer { means in
                let means = means.baseAddress!
                blockSquares.withUnsafeMutableBufferPointer { squares in
                    blockDistances.withUnsafeMutableBufferPointer { distances in
                        let squares = squares.baseAddress!, distances = distances.baseAddress!
                        parallelism.forEach(chunks: rowBlocks) { block in
                            if cancellation?.isCancelled == true { return }
                            var within = 0.0
                            let blockDistance = distances + block * k
                            for i in block * rowsPerChunk ..< min(n, (block + 1) * rowsPerChunk) {
                                let c = label[i]
                                let s = squaredDistance(v + i * d, toCentre: means + c * d, d)
                                within += s
                                blockDistance[c] += s.squareRoot()
                            }
                            squares[block] = within
                        }
                    }
                }
            }
        }
    }
    try cancellation?.check()
    var within = 0.0
    var meanDistance = [Double](repeating: 0, count: k)
    for block in 0 ..< rowBlocks {
        within += blockSquares[block]
        for c in 0 ..< k { meanDistance[c] += blockDistances[block * k + c] }
    }
    for c in 0 ..< k { meanDistance[c] /= Double(labels.sizes[c]) }
    return Dispersion(means: sums, sizes: labels.sizes, withinSquares: within, meanDistance: meanDistance)
}

/// Calinski-Harabasz from the dispersion: 1.0 when there is no within
/// dispersion (every cluster a single point repeated), as sklearn.
private func calinskiHarabasz(_ p: Dispersion, n: Int, d: Int) -> Double {
    let k = p.sizes.count
    // The overall mean is the size-weighted mean of the centroids.
    var mean = [Double](repeating: 0, count: d)
    for c in 0 ..< k {
        let w = Double(p.sizes[c]) / Double(n)
        for j in 0 ..< d { mean[j] += w * p.means[c * d + j] }
    }
    var between = 0.0
    for c in 0 ..< k {
        var s = 0.0
        for j in 0 ..< d {
            let diff = p.means[c * d + j] - mean[j]
            s += diff * diff
        }
        between += Double(p.sizes[c]) * s
    }
    if p.withinSquares == 0 { return 1.0 }
    return between * Double(n - k) / (p.withinSquares * Double(k - 1))
}

/// Davies-Bouldin from the dispersion: 0.0 when all scatters or all centroid
/// distances are (nearly) zero, as sklearn.
private func daviesBouldin(_ p: Dispersion, d: Int) -> Double {
    let k = p.sizes.count
    let scatter = p.meanDistance
    var separation = [Double](repeating: 0, count: k * k)
    for a in 0 ..< k {
        for b in 0 ..< k where b != a {
            var s = 0.0
            for j in 0 ..< d {
                let diff = p.means[a * d + j] - p.means[b * d + j]
                s += diff * diff
            }
            separation[a * k + b] = s.squareRoot()
        }
    }
    // sklearn's `isclose(·, 0)`: absolute tolerance 1e-8.
    let nearZero = { (v: Double) in abs(v) <= 1e-8 }
    if scatter.allSatisfy(nearZero) || separation.allSatisfy(nearZero) { return 0.0 }
    var total = 0.0
    for a in 0 ..< k {
        var worst = -Double.infinity
        for b in 0 ..< k {
            // Coinciding centroids (and the diagonal) count as infinitely far, as sklearn.
            let sep = separation[a * k + b]
            let ratio = sep == 0 ? 0 : (scatter[a] + scatter[b]) / sep
            worst = max(worst, ratio)
        }
        total += worst
    }
    return total / Double(k)
}

/// Both indices of `x` under `labels`.
private func centroidIndices<X: VectorRows>(
    _ x: X, labels: [Int], measure: MetricError.Measure, parallelism: Parallelism, cancellation: Cancellation?
) throws -> CentroidIndices where X.Scalar: SIMDScalar {
    let compact = try CompactLabels.validated(x, labels, measure: measure)
    let p = try dispersion(x, compact, parallelism: parallelism, cancellation: cancellation)
    return CentroidIndices(calinskiHarabasz: calinskiHarabasz(p, n: x.count, d: x.dimension),
                           daviesBouldin: daviesBouldin(p, d: x.dimension))
}

// Concrete entry points: a generic function called from another module runs
// unspecialised (a witness call per element, measured 1.9 s instead of
// milliseconds at 20,000 × 512); these let the optimiser specialise here.

/// Calinski-Harabasz and Davies-Bouldin of Float32 rows in one go.
///
/// Throws `MetricError` unless labels match the vectors one to one and
/// 2 <= k <= n-1; `Cancelled` when `cancellation` is set during the passes.
/// - Complexity: O(n·d + k²·d) time in two streaming passes over all cores,
///   O(k·d + k·n/4096) memory.
public func centroidIndices(
    _ x: Embeddings, labels: [Int], parallelism: Parallelism = .allCores, cancellation: Cancellation? = nil
) throws -> CentroidIndices {
    try centroidIndices(x, labels: labels, measure: .centroidIndices,
                        parallelism: parallelism, cancellation: cancellation)
}

/// Calinski-Harabasz and Davies-Bouldin of Float64 rows in one go, as for Float32.
public func centroidIndices(
    _ x: Embeddings64, labels: [Int], parallelism: Parallelism = .allCores, cancellation: Cancellation? = nil
) throws -> CentroidIndices {
    try centroidIndices(x, labels: labels, measure: .centroidIndices,
                        parallelism: parallelism, cancellation: cancellation)
}

/// The Calinski-Harabasz index of Float32 rows: between-cluster over
/// within-cluster dispersion, each per degree of freedom; higher is better.
/// 1.0 when every cluster is a single point repeated, as sklearn.
/// - Complexity: O(n·d), two streaming passes.
public func calinskiHarabasz(_ x: Embeddings, labels: [Int]) throws -> Double {
    try centroidIndices(x, labels: labels, measure: .calinskiHarabasz, parallelism: .allCores, cancellation: nil).calinskiHarabasz
}

/// The Calinski-Harabasz index of Float64 rows.
/// - Complexity: O(n·d), two streaming passes.
public func calinskiHarabasz(_ x: Embeddings64, labels: [Int]) throws -> Double {
    try centroidIndices(x, labels: labels, measure: .calinskiHarabasz, parallelism: .allCores, cancellation: nil).calinskiHarabasz
}

/// The Davies-Bouldin index of Float32 rows: mean over clusters of the worst
/// ratio of summed scatter to centroid separation; lower is better, 0 best.
/// - Complexity: O(n·d + k²·d).
public func daviesBouldin(_ x: Embeddings, labels: [Int]) throws -> Double {
    try centroidIndices(x, labels: labels, measure: .daviesBouldin, parallelism: .allCores, cancellation: nil).daviesBouldin
}

/// The Davies-Bouldin index of Float64 rows.
/// - Complexity: O(n·d + k²·d).
public func daviesBouldin(_ x: Embeddings64, labels: [Int]) throws -> Double {
    try centroidIndices(x, labels: labels, measure: .daviesBouldin, parallelism: .allCores, cancellation: nil).daviesBouldin
}
