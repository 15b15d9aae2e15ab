/// One resample's clustering, for `clusterStability`.
public struct ResampleClustering: Sendable {
    /// The documents drawn, as rows of the full data, each once, increasing.
    public let documents: [Int]
    /// Their labels, 0 ..< k, or -1 for noise (never a cluster).
    public let labels: [Int]

    public init(documents: [Int], labels: [Int]) {
        precondition(documents.count == labels.count, "one label per document drawn")
        self.documents = documents
        self.labels = labels
    }
}

/// How well a clustering's clusters survive resampling, as fpc's clusterboot reads it.
public struct ClusterStability: Sendable, Equatable {
    /// Per reference cluster: the mean over the resamples of the Jaccard
    /// similarity with its best-matching resample cluster; nil when no
    /// resample drew any of its documents.
    public let jaccard: [Double?]
    /// The mean of the clusters' mean Jaccard similarities.
    public let meanJaccard: Double
    /// The mean ARI between every two resamples' clusterings, on the documents both drew.
    public let meanARI: Double
}

/// Each reference cluster's mean best-match Jaccard similarity over the
/// resamples and the mean pairwise ARI between the resamples (Hennig 2007,
/// fpc::clusterboot): in each resample the cluster C, restricted to the
/// documents drawn (C′), is compared with every resample cluster D by
/// |C′ ∩ D| / |C′ ∪ D|, and the best is kept; a resample that drew none of
/// C's documents says nothing about it and is skipped. Reference label -1
/// (noise, no label) belongs to no cluster; so does resample label -1.
/// Pairwise ARI counts noise as one more label.
/// - Complexity: O(R·n) for the Jaccard counts, O(R²·n) for the ARIs, with R resamples of n documents.
public func clusterStability(reference: [Int], clusterCount k: Int, resamples: [ResampleClustering]) -> ClusterStability {
    let n = reference.count
    var sums = [Double](repeating: 0, count: k)
    var counted = [Int](repeating: 0, count: k)
    for resample in resamples {
        let kr = (resample.labels.max() ?? -1) + 1
        // overlap[c * kr + d] = |C′ ∩ D|
        var overlap = [Int](repeating: 0, count: k * max(kr, 1))
        var restricted = [Int](repeating: 0, count: k)
        var sizes = [Int](repeating: 0, count: kr)
        for (i, document) in resample.documents.enumerated() {
            let c = reference[document], d = resample.labels[i]
            if d >= 0 { sizes[d] += 1 }
            guard c >= 0 else { continue }
            restricted[c] += 1
            if d >= 0 { overlap[c * kr + d] += 1 }
        }
        for c in 0 ..< k where restricted[c] > 0 {
            var best = 0.0
            for d in 0 ..< kr {
                let both = overlap[c * kr + d]
                best = max(best, Double(both) / Double(restricted[c] + sizes[d] - both))
            }
            sums[c] += best
            counted[c] += 1
        }
    }
    let jaccard = (0 ..< k).map { counted[$0] > 0 ? sums[$0] / Double(counted[$0]) : nil }
    let present = jaccard.compactMap { $0 }
    let meanJaccard = present.isEmpty ? .nan : present.reduce(0, +) / Double(present.count)

    // each resample's labels over all documents: -2 not drawn, noise as label 0, clusters from 1
    let dense: [[Int]] = resamples.map { resample in
        var labels = [Int](repeating: -2, count: n)
        for (i, document) in resample.documents.enumerated() { labels[document] = resample.labels[i] + 1 }
        return labels
    }
    var ariSum = 0.0, pairs = 0
    for a in 0 ..< dense.count {
        for b in a + 1 ..< dense.count {
            var left: [Int] = [], right: [Int] = []
            for i in 0 ..< n where dense[a][i] >= 0 && dense[b][i] >= 0 {
                left.append(dense[a][i])
                right.append(dense[b][i])
            }
            guard !left.isEmpty else { continue }
            ariSum += adjustedRandIndex(ContingencyTable(truth: left, predicted: right))
            pairs += 1
        }
    }
    return ClusterStability(jaccard: jaccard, meanJaccard: meanJaccard, meanARI: pairs > 0 ? ariSum / Double(pairs) : .nan)
}

/// The documents of one resample of `n`: `size` of them without replacement
/// (a subset), or with `bootstrap` n draws with replacement; both as rows,
/// increasing (the draws keep their repeats).
/// - Complexity: O(n).
public func resampleRows(of n: Int, size: Int, bootstrap: Bool, using rng: inout SeededGenerator) -> [Int] {
    if bootstrap {
        return (0 ..< n).map { _ in Int(rng.next() % UInt64(n)) }.sorted()
    }
    // selection sampling (Knuth's algorithm S): each row kept with the probability that leaves `size` in all
    var rows: [Int] = []
    rows.reserveCapacity(size)
    for i in 0 ..< n where rows.count < size {
        if Double(n - i) * rng.nextUnit() < Double(size - rows.count) { rows.append(i) }
    }
    return rows
}
