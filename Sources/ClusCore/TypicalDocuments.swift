/// A document and its distance to its cluster's centroid.
public struct CentroidDistance: Sendable, Equatable {
    /// Row of the document in the embeddings.
    public let row: Int
    public let distance: Double
}

/// The `count` documents of each cluster closest to its centroid (the mean of
/// its members' vectors), nearest first, ties by row: the most typical
/// documents of each cluster.
///
/// Distances are Euclidean, or with `.cosine` 1 − cos to the centroid (the
/// mean direction, which spherical k-means's centres point along); manhattan
/// and sqeuclidean rank as Euclidean does to the mean. Labels below 0 (no
/// label) are left out; `labels[i]` must be below `clusterCount`.
/// - Complexity: O(n·d) for the centroids and distances, O(n log n) to rank.
public func typicalDocuments(_ x: Embeddings, labels: [Int], clusterCount: Int, count: Int,
                             metric: DistanceMetric = .euclidean) -> [[CentroidDistance]] {
    precondition(labels.count == x.count, "one label per document")
    let d = x.dimension
    // sums in Double, in row order, so the centroid does not depend on threads
    var sums = [Double](repeating: 0, count: clusterCount * d)
    var sizes = [Int](repeating: 0, count: clusterCount)
    for i in 0 ..< x.count where labels[i] >= 0 {
        let c = labels[i]
        sizes[c] += 1
        for (j, v) in x[row: i].enumerated() { sums[c * d + j] += Double(v) }
    }
    var members = [[CentroidDistance]](repeating: [], count: clusterCount)
    for i in 0 ..< x.count where labels[i] >= 0 {
        let c = labels[i]
        let n = Double(sizes[c])
        var squared = 0.0, dot = 0.0, norm = 0.0, centroidNorm = 0.0
        for (j, v) in x[row: i].enumerated() {
            let m = sums[c * d + j] / n, value = Double(v)
            squared += (value - m) * (value - m)
            dot += value * m
            norm += value * value
            centroidNorm += m * m
        }
        let distance = metric == .cosine
            ? (norm == 0 || centroidNorm == 0 ? 1 : 1 - dot / (norm.squareRoot() * centroidNorm.squareRoot()))
            : squared.squareRoot()
        members[c].append(CentroidDistance(row: i, distance: distance))
    }
    return members.map { cluster in
        Array(cluster.sorted { ($0.distance, $0.row) < ($1.distance, $1.row) }.prefix(count))
    }
}
