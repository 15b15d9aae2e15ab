/// Labels compacted to 0..<k in sorted order of the original values, so the
/// metrics index arrays instead of dictionaries in their loops.
struct CompactLabels: Sendable {
    /// The distinct original values, sorted; compact label `c` is `values[c]`.
    let values: [Int]
    /// Compact label of each document.
    let index: [Int]
    /// Documents per compact label.
    let sizes: [Int]

    var clusterCount: Int { values.count }

    /// - Complexity: O(n + range) when the values span a small range, else O(n log n).
    init(_ labels: [Int]) {
        guard let lo = labels.min(), let hi = labels.max() else {
            values = []; index = []; sizes = []
            return
        }
        // Dense lookup when the span is small (the usual 0..<k); hashing otherwise.
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        if !overflow, span <= 2 * labels.count + 1024 {
            var slot = [Int](repeating: -1, count: span + 1)
            for v in labels { slot[v - lo] = 0 }
            var values: [Int] = []
            for o in 0 ... span where slot[o] == 0 {
                slot[o] = values.count
                values.append(lo + o)
            }
            self.values = values
            index = labels.map { slot[$0 - lo] }
        } else {
            let values = Array(Set(labels)).sorted()
            var lookup: [Int: Int] = [:]
            lookup.reserveCapacity(values.count)
            for (i, v) in values.enumerated() { lookup[v] = i }
            self.values = values
            // Every label is in `lookup` by construction.
            index = labels.map { lookup[$0] ?? 0 }
        }
        var sizes = [Int](repeating: 0, count: values.count)
        for c in index { sizes[c] += 1 }
        self.sizes = sizes
    }

    /// Checks the input shared by the internal indices (silhouette, CH, DB):
    /// one label per vector, at least one vector, 2 to n-1 clusters.
    static func validated<X: VectorRows>(_ x: X, _ labels: [Int], measure: MetricError.Measure) throws(MetricError) -> CompactLabels {
        guard labels.count == x.count else { throw .lengthMismatch(labels: labels.count, vectors: x.count) }
        guard x.count > 0 else { throw .emptyInput(measure: measure) }
        let compact = CompactLabels(labels)
        let k = compact.clusterCount
        guard k >= 2, k <= x.count - 1 else {
            throw .clusterCount(clusters: k, documents: x.count, measure: measure)
        }
        return compact
    }
}
