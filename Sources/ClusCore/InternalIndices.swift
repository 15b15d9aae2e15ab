// Calinski-Harabasz and Davies-Bouldin as in `sklearn.metrics` 1.9.1.
// Float32 (or float64) vectors are widened to Double as they are read; centroids and
// dispersions accumulate in Double over streaming passes (no n×d temporaries),
// so results agree with sklearn's float64 computation to about 1e-12 relative.

/// Per-cluster centroids (Double, k×d row-major) of the compacted labels.
private func centroids<X: VectorRows>(_ x: X, _ labels: CompactLabels) -> [Double] {
    let d = x.dimension, k = labels.clusterCount
    var sums = [Double](repeating: 0, count: k * d)
    x.values.withUnsafeBufferPointer { v in
        sums.withUnsafeMutableBufferPointer { s in
            for i in 0 ..< x.count {
                let c = labels.index[i] * d, r = i * d
                for j in 0 ..< d { s[c + j] += Double(v[r + j]) }
            }
            for c in 0 ..< k {
                let size = Double(labels.sizes[c])
                for j in 0 ..< d { s[c * d + j] /= size }
            }
        }
    }
    return sums
}

/// Calinski-Harabasz index: between-cluster over within-cluster dispersion,
/// each per degree of freedom; higher is better.
///
/// 1.0 when every cluster is a single point repeated (no within dispersion), as sklearn.
/// Throws `MetricError` unless labels match the vectors one to one and 2 <= k <= n-1.
/// - Complexity: O(n·d) time in two passes, O(k·d) memory.
func calinskiHarabaszIndex<X: VectorRows>(_ x: X, labels: [Int]) throws -> Double {
    let compact = try CompactLabels.validated(x, labels, measure: "Calinski-Harabasz")
    let n = x.count, d = x.dimension, k = compact.clusterCount
    let means = centroids(x, compact)
    // The overall mean is the size-weighted mean of the centroids.
    var mean = [Double](repeating: 0, count: d)
    for c in 0 ..< k {
        let w = Double(compact.sizes[c]) / Double(n)
        for j in 0 ..< d { mean[j] += w * means[c * d + j] }
    }
    var extra = 0.0
    for c in 0 ..< k {
        var s = 0.0
        for j in 0 ..< d {
            let diff = means[c * d + j] - mean[j]
            s += diff * diff
        }
        extra += Double(compact.sizes[c]) * s
    }
    var intra = 0.0
    x.values.withUnsafeBufferPointer { v in
        for i in 0 ..< n {
            let c = compact.index[i] * d, r = i * d
            var s = 0.0
            for j in 0 ..< d {
                let diff = Double(v[r + j]) - means[c + j]
                s += diff * diff
            }
            intra += s
        }
    }
    if intra == 0 { return 1.0 }
    return extra * Double(n - k) / (intra * Double(k - 1))
}

/// Davies-Bouldin index: mean over clusters of the worst ratio of summed
/// scatter to centroid separation; lower is better, 0 is the minimum.
///
/// 0.0 when all scatters or all centroid distances are (nearly) zero, as sklearn.
/// Throws `MetricError` unless labels match the vectors one to one and 2 <= k <= n-1.
/// - Complexity: O(n·d + k²·d) time, O(k·d) memory.
func daviesBouldinIndex<X: VectorRows>(_ x: X, labels: [Int]) throws -> Double {
    let compact = try CompactLabels.validated(x, labels, measure: "Davies-Bouldin")
    let n = x.count, d = x.dimension, k = compact.clusterCount
    let means = centroids(x, compact)
    // Scatter: mean euclidean distance of a cluster's members to its centroid.
    var scatter = [Double](repeating: 0, count: k)
    x.values.withUnsafeBufferPointer { v in
        for i in 0 ..< n {
            let c = compact.index[i], r = i * d
            var s = 0.0
            for j in 0 ..< d {
                let diff = Double(v[r + j]) - means[c * d + j]
                s += diff * diff
            }
            scatter[c] += s.squareRoot()
        }
    }
    for c in 0 ..< k { scatter[c] /= Double(compact.sizes[c]) }
    var separation = [Double](repeating: 0, count: k * k)
    for a in 0 ..< k {
        for b in 0 ..< k where b != a {
            var s = 0.0
            for j in 0 ..< d {
                let diff = means[a * d + j] - means[b * d + j]
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

// Concrete entry points: a generic function called from another module runs
// unspecialised (a witness call per element, measured 1.9 s instead of
// milliseconds at 20,000 × 512); these let the optimiser specialise here.

/// The Calinski-Harabasz index of Float32 rows.
/// - Complexity: O(n·d), two streaming passes.
public func calinskiHarabasz(_ x: Embeddings, labels: [Int]) throws -> Double { try calinskiHarabaszIndex(x, labels: labels) }

/// The Calinski-Harabasz index of Float64 rows.
/// - Complexity: O(n·d), two streaming passes.
public func calinskiHarabasz(_ x: Embeddings64, labels: [Int]) throws -> Double { try calinskiHarabaszIndex(x, labels: labels) }

/// The Davies-Bouldin index of Float32 rows.
/// - Complexity: O(n·d + k²·d).
public func daviesBouldin(_ x: Embeddings, labels: [Int]) throws -> Double { try daviesBouldinIndex(x, labels: labels) }

/// The Davies-Bouldin index of Float64 rows.
/// - Complexity: O(n·d + k²·d).
public func daviesBouldin(_ x: Embeddings64, labels: [Int]) throws -> Double { try daviesBouldinIndex(x, labels: labels) }
