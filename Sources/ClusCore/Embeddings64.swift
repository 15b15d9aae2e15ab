/// Vectors given in float64: `count` rows of `dimension` Double values, row
/// after row. The internal indices accept them as they are, so float64 data
/// is scored in float64 throughout (as scikit-learn does).
public struct Embeddings64: Sendable, Equatable {
    /// Number of documents (rows).
    public let count: Int
    /// Number of components per vector.
    public let dimension: Int
    /// Row-major values, `count * dimension` of them.
    public var values: [Double]

    /// Wraps row-major values; `values.count` must equal `count * dimension`.
    public init(count: Int, dimension: Int, values: [Double]) {
        precondition(values.count == count * dimension, "values do not fill count × dimension")
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// Builds the matrix from one array per document (all of one length).
    public init(rows: [[Double]]) {
        let dimension = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == dimension }, "rows differ in length")
        self.init(count: rows.count, dimension: dimension, values: rows.flatMap { $0 })
    }

    /// The vector of document `index`.
    public subscript(row index: Int) -> ArraySlice<Double> {
        values[index * dimension ..< (index + 1) * dimension]
    }
}

/// Row-major vectors of float32 or float64: what the internal indices read.
public protocol VectorRows: Sendable {
    associatedtype Scalar: BinaryFloatingPoint & Sendable
    /// Number of rows.
    var count: Int { get }
    /// Values per row.
    var dimension: Int { get }
    /// Calls `body` with the `count * dimension` values, row after row, in
    /// place (owned or mapped: no copy).
    func withValues<R, E: Error>(_ body: (UnsafeBufferPointer<Scalar>) throws(E) -> R) throws(E) -> R
}

extension Embeddings: VectorRows {
    public func withValues<R, E: Error>(_ body: (UnsafeBufferPointer<Float>) throws(E) -> R) throws(E) -> R {
        try values.withUnsafeBufferPointer(body)
    }
}

extension Embeddings64: VectorRows {
    public func withValues<R, E: Error>(_ body: (UnsafeBufferPointer<Double>) throws(E) -> R) throws(E) -> R {
        try values.withUnsafeBufferPointer(body)
    }
}

/// Silhouette coefficient of every document of float64 vectors, computed in
/// float64 (differences, then sums), as `silhouetteSamples` for float32.
///
/// Throws as `silhouetteSamples`; `Cancelled` is checked per block of rows.
/// - Complexity: O(n²·d) time (no symmetry: each row's sums are its own task's),
///   spread over `parallelism`; O(n·d + n·k) memory.
public func silhouetteSamples(
    _ x: Embeddings64, labels: [Int], metric: DistanceMetric = .euclidean,
    parallelism: Parallelism = .allCores, cancellation: Cancellation? = nil
) throws -> [Double] {
    try cancellation?.check()
    let compact = try CompactLabels.validated(x, labels, measure: .silhouette)
    if ClusterSums.applies(to: metric) {
        return try clusterSumSilhouettes(x, compact, metric: metric, points: nil, parallelism: parallelism,
                                         cancellation: cancellation, progress: nil)
    }
    let n = x.count, d = x.dimension, k = compact.clusterCount
    let rows = x.values
    var result = [Double](repeating: 0, count: n)
    let block = 32
    try rows.withUnsafeBufferPointer { v in
        try result.withUnsafeMutableBufferPointer { out in
            let shared = UncheckedBox((v, out))
            parallelism.forEach(chunks: (n + block - 1) / block) { b in
                if cancellation?.isCancelled == true { return }
                let (v, out) = shared.value
                var sums = [Double](repeating: 0, count: k)
                for i in b * block ..< min(n, (b + 1) * block) {
                    for c in 0 ..< k { sums[c] = 0 }
                    for j in 0 ..< n where j != i {
                        var s = 0.0
                        // euclidean or manhattan: the others returned above
                        if metric == .manhattan {
                            for t in 0 ..< d { s += abs(v[i * d + t] - v[j * d + t]) }
                        } else {
                            for t in 0 ..< d { let e = v[i * d + t] - v[j * d + t]; s += e * e }
                            s = s.squareRoot()
                        }
                        sums[compact.index[j]] += s
                    }
                    let c = compact.index[i], size = compact.sizes[c]
                    if size == 1 { out[i] = 0; continue }
                    let a = sums[c] / Double(size - 1)
                    var bMin = Double.infinity
                    for other in 0 ..< k where other != c { bMin = min(bMin, sums[other] / Double(compact.sizes[other])) }
                    let m = max(a, bMin)
                    out[i] = m > 0 ? (bMin - a) / m : 0
                }
            }
            try cancellation?.check()
        }
    }
    return result
}

/// Mean silhouette of float64 vectors; see `silhouetteSamples(_:labels:metric:parallelism:cancellation:)`.
/// - Complexity: O(n²·d) time, O(n·d + n·k) memory.
public func silhouetteScore(
    _ x: Embeddings64, labels: [Int], metric: DistanceMetric = .euclidean,
    parallelism: Parallelism = .allCores, cancellation: Cancellation? = nil
) throws -> Double {
    let s = try silhouetteSamples(x, labels: labels, metric: metric, parallelism: parallelism, cancellation: cancellation)
    return s.reduce(0, +) / Double(s.count)
}
