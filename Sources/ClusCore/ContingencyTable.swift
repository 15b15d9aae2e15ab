/// Counts of documents per (truth class, predicted cluster): the input of
/// every external index. Rows are truth classes, columns predicted clusters.
public struct ContingencyTable: Sendable, Equatable {
    /// The original truth label values, sorted; row `i` is `truthClasses[i]`.
    public let truthClasses: [Int]
    /// The original cluster label values, sorted; column `j` is `clusters[j]`.
    public let clusters: [Int]
    /// `rowCount * columnCount` counts, row-major.
    public let counts: [Int]

    /// Cross-tabulates two labelings of the same documents.
    ///
    /// Labels are arbitrary Ints (−1 is an ordinary label here); classes are
    /// compacted in sorted order of their values.
    /// - Complexity: O(n log n + r·c) time, O(r·c) memory (dense).
    public init(truth: [Int], predicted: [Int]) {
        precondition(truth.count == predicted.count, "truth and predicted labelings differ in length")
        let rows = CompactLabels(truth)
        let cols = CompactLabels(predicted)
        var counts = [Int](repeating: 0, count: rows.clusterCount * cols.clusterCount)
        let c = cols.clusterCount
        for (r, k) in zip(rows.index, cols.index) { counts[r * c + k] += 1 }
        self.truthClasses = rows.values
        self.clusters = cols.values
        self.counts = counts
    }

    /// Number of truth classes.
    public var rowCount: Int { truthClasses.count }
    /// Number of predicted clusters.
    public var columnCount: Int { clusters.count }
    /// Number of documents.
    public var total: Int { counts.reduce(0, +) }

    /// Documents of truth class `truthIndex` placed in cluster `clusterIndex`.
    public func count(truthIndex: Int, clusterIndex: Int) -> Int {
        counts[truthIndex * columnCount + clusterIndex]
    }

    /// Documents per truth class.
    /// - Complexity: O(r·c).
    public var rowSums: [Int] {
        (0 ..< rowCount).map { i in counts[i * columnCount ..< (i + 1) * columnCount].reduce(0, +) }
    }

    /// Documents per predicted cluster.
    /// - Complexity: O(r·c).
    public var columnSums: [Int] {
        var sums = [Int](repeating: 0, count: columnCount)
        for i in 0 ..< rowCount {
            for j in 0 ..< columnCount { sums[j] += counts[i * columnCount + j] }
        }
        return sums
    }
}

/// Bytes a `ContingencyTable` of `rows` truth classes by `columns` clusters
/// needs: the dense counts (8 bytes a cell) and the label lookups. An external
/// index over labels that are nearly all distinct (an ID field as truth)
/// would ask for a table of n² cells. Saturates at `Int.max`.
/// - Complexity: O(1).
public func contingencyTableMemory(rows: Int, columns: Int) -> Int {
    saturatingSum(saturatingProduct(rows, columns, MemoryLayout<Int>.size), saturatingProduct(rows + columns, 32))
}
