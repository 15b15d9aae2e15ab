/// Settings of a k-means clustering, named and defaulted as scikit-learn's `KMeans`.
public struct KMeansOptions: Sendable {
    /// k, the number of clusters.
    public var clusterCount: Int
    /// Independent k-means++ starts (scikit-learn's `n_init`); the lowest inertia is kept.
    public var runs: Int = 1
    /// Upper bound on Lloyd iterations per run.
    public var maxIterations: Int = 300
    /// Stop when the total squared centre shift is at most this times the
    /// mean per-feature variance of the data (scikit-learn's `tol`).
    public var tolerance: Double = 1e-4
    /// Fixes every random choice: the same seed gives the same result on any thread count.
    public var seed: UInt64 = 0
    /// Spherical k-means: documents and centres on the unit sphere, the
    /// objective the sum of cosine distances (`metric=cosine`).
    public var spherical: Bool = false

    /// Options for `clusterCount` clusters; the rest default as scikit-learn's.
    public init(clusterCount: Int, runs: Int = 1, maxIterations: Int = 300,
                tolerance: Double = 1e-4, seed: UInt64 = 0, spherical: Bool = false) {
        self.clusterCount = clusterCount
        self.runs = runs
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seed = seed
        self.spherical = spherical
    }
}

/// The clustering a k-means run found.
public struct KMeansResult: Sendable {
    /// The cluster, in 0..<k, of each document.
    public let labels: [Int]
    /// The k centres, k × d.
    public let centroids: Embeddings
    /// Sum of squared distances from each document to its centre, in Double;
    /// for spherical k-means the sum of cosine distances 1 − cos(x, c).
    public let inertia: Double
    /// Lloyd iterations of the kept run.
    public let iterations: Int
}

/// Why k-means or mini-batch k-means could not run on its input. The cases
/// carry the numbers; the words a user reads are the caller's (ClusLang
/// writes them in the DSL's terms).
public enum KMeansError: Error, Sendable, Equatable, CustomStringConvertible {
    /// k below 1.
    case clusterCountTooSmall(Int)
    /// More clusters than documents.
    case clusterCountExceedsDocuments(Int, documents: Int)
    /// Vectors of dimension 0.
    case noDimensions
    /// `runs` below 1.
    case invalidRuns(Int)
    /// `maxIterations` below 1.
    case invalidMaxIterations(Int)
    /// A negative or non-finite tolerance.
    case invalidTolerance(Double)
    /// `batchSize` below 1 (mini-batch).
    case invalidBatchSize(Int)
    /// A zero vector under the cosine metric, which has no direction.
    case zeroVector(document: Int)
    /// A NaN or infinite component.
    case nonFinite(document: Int)

    /// In the API's terms, for tests and debugging.
    public var description: String {
        switch self {
        case .clusterCountTooSmall(let k): "clusterCount must be at least 1, got \(k)"
        case .clusterCountExceedsDocuments(let k, let n): "clusterCount \(k) exceeds the \(n) documents"
        case .noDimensions: "the vectors have no components"
        case .invalidRuns(let runs): "runs must be at least 1, got \(runs)"
        case .invalidMaxIterations(let count): "maxIterations must be at least 1, got \(count)"
        case .invalidTolerance(let tolerance): "tolerance must be finite and >= 0, got \(tolerance)"
        case .invalidBatchSize(let size): "batchSize must be at least 1, got \(size)"
        case .zeroVector(let i): VectorDefect.zero.description(document: i)
        case .nonFinite(let i): VectorDefect.nonFinite.description(document: i)
        }
    }
}

/// The two ways a document's vector is refused by every method, worded once
/// for the errors' neutral descriptions.
enum VectorDefect {
    /// All zeros, under the cosine distance.
    case zero
    /// A NaN or infinite component.
    case nonFinite

    func description(document: Int) -> String {
        switch self {
        case .zero: "document \(document) has a zero vector, which has no cosine distance"
        case .nonFinite: "document \(document) has a non-finite vector component"
        }
    }
}

/// Clusters the rows of `x` into `options.clusterCount` clusters by k-means:
/// greedy k-means++ seeding, then Lloyd iterations, as scikit-learn's
/// `KMeans(algorithm="lloyd")`. Empty clusters are re-seeded from the
/// documents farthest from their centres. With `runs` > 1 the run with the
/// lowest inertia is kept (the first on ties).
///
/// With `options.spherical` the documents are scaled to unit length first,
/// each centre is its documents' mean scaled to unit length (spherical
/// k-means, Dhillon & Modha 2001), and `inertia` is the sum of cosine
/// distances ½‖x̂ − ĉ‖² = 1 − cos(x, c): on the unit sphere the nearest centre
/// by Euclidean distance is the one with the largest cosine.
///
/// The result depends only on `x` and `options`: chunk boundaries are fixed
/// and partial sums are reduced in chunk order, so any `parallelism` gives
/// bit-identical labels, centroids and inertia.
///
/// - Parameters:
///   - progress: called after each Lloyd iteration with (done, total), where
///     total is `runs × maxIterations` and a run that converges early jumps
///     `done` to its end.
/// - Throws: `KMeansError` for invalid options or data, `Cancelled` when
///   `cancellation` is set (checked per iteration and per chunk of work).
/// - Complexity: O(runs · (k · log k + iterations · k) · n · d) arithmetic
///   at worst (Hamerly's bounds spare the documents whose centre cannot
///   change); O(n · log k + k · d + chunks · d) extra memory: k-means++'s
///   candidate distances, 3 Doubles per document for the bounds, the
///   fixed-point centre sums; chunks ≈ n / 1024, at most 64.
public func kMeans(_ x: Embeddings, options: KMeansOptions, parallelism: Parallelism = .allCores,
                   cancellation: Cancellation? = nil,
                   progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> KMeansResult {
    let n = x.count, d = x.dimension, k = options.clusterCount
    try checkClusterCount(k, of: x)
    guard options.runs >= 1 else { throw KMeansError.invalidRuns(options.runs) }
    guard options.maxIterations >= 1 else { throw KMeansError.invalidMaxIterations(options.maxIterations) }
    guard options.tolerance >= 0, options.tolerance.isFinite else {
        throw KMeansError.invalidTolerance(options.tolerance)
    }

    let x = options.spherical ? try unitRows(x, parallelism: parallelism) : x
    return try x.values.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { preconditionFailure("n, d >= 1 were checked") }
        let rows = RowMatrix(base: base, count: n, dimension: d)
        let plan = ChunkPlan(count: n, clusterCount: k, dimension: d)
        let variance = try meanFeatureVariance(rows, plan: plan, parallelism: parallelism)
        let lloyd = Lloyd(rows: rows, clusterCount: k, plan: plan, parallelism: parallelism,
                          cancellation: cancellation,
                          maxIterations: options.maxIterations,
                          tolerance: options.tolerance * variance,
                          spherical: options.spherical)

        var generator = SeededGenerator(seed: options.seed)
        var best: KMeansResult?
        let total = options.runs * options.maxIterations
        for run in 0 ..< options.runs {
            let seeds = try kMeansPlusPlus(rows, clusterCount: k, generator: &generator, plan: plan,
                                           parallelism: parallelism, cancellation: cancellation)
            let offset = run * options.maxIterations
            let result = try lloyd.run(seeds: seeds) { progress?(offset + $0, total) }
            if result.iterations < options.maxIterations { progress?(offset + options.maxIterations, total) }
            if best.map({ result.inertia < $0.inertia }) ?? true { best = result }
        }
        guard let best else { preconditionFailure("runs >= 1 was checked") }
        return best
    }
}

/// Mean over features of each feature's variance (scikit-learn's `_tolerance`
/// scale), in two passes for accuracy; throws on NaN or infinity.
private func meanFeatureVariance(_ x: RowMatrix, plan: ChunkPlan,
                                 parallelism: Parallelism) throws(KMeansError) -> Double {
    let n = x.count, d = x.dimension
    var chunkSums = [Double](repeating: 0, count: plan.chunks * d)
    chunkSums.withUnsafeMutableBufferPointer { sums in
        parallelism.forEach(chunks: plan.chunks) { c in
            let offset = c * d
            for i in plan.range(c) {
                let p = x.row(i)
                for t in 0 ..< d { sums[offset + t] += Double(p[t]) }
            }
        }
    }
    var mean = [Double](repeating: 0, count: d)
    for c in 0 ..< plan.chunks { for t in 0 ..< d { mean[t] += chunkSums[c * d + t] } }
    if !mean.allSatisfy(\.isFinite) {
        // A sum of finite Floats cannot overflow a Double: some value is NaN or infinite.
        let bad = (0 ..< n).first { i in (0 ..< d).contains { !x.row(i)[$0].isFinite } } ?? 0
        throw KMeansError.nonFinite(document: bad)
    }
    for t in 0 ..< d { mean[t] /= Double(n) }

    var chunkSquares = [Double](repeating: 0, count: plan.chunks)
    mean.withUnsafeBufferPointer { m in
        chunkSquares.withUnsafeMutableBufferPointer { out in
            guard let centre = m.baseAddress else { return }
            parallelism.forEach(chunks: plan.chunks) { c in
                var sum = 0.0
                for i in plan.range(c) { sum += squaredDistanceDouble(x.row(i), centre, d) }
                out[c] = sum
            }
        }
    }
    var total = 0.0
    for s in chunkSquares { total += s }
    return total / Double(n) / Double(d)
}

/// The rows scaled to unit Euclidean length (norms in Double); throws on a
/// zero or non-finite row.
///
/// - Complexity: O(n · d), one copy of the data.
func unitRows(_ x: Embeddings, parallelism: Parallelism) throws(KMeansError) -> Embeddings {
    let n = x.count, d = x.dimension
    var values = x.values
    let plan = ChunkPlan(count: n, clusterCount: 1, dimension: d)
    var flags = [Int8](repeating: 0, count: n)
    values.withUnsafeMutableBufferPointer { v in
    flags.withUnsafeMutableBufferPointer { f in
        parallelism.forEach(chunks: plan.chunks) { c in
            for i in plan.range(c) {
                var norm = 0.0
                for t in 0 ..< d { let e = Double(v[i * d + t]); norm += e * e }
                guard norm.isFinite else { f[i] = 2; continue }
                guard norm > 0 else { f[i] = 1; continue }
                let scale = 1 / norm.squareRoot()
                for t in 0 ..< d { v[i * d + t] = Float(Double(v[i * d + t]) * scale) }
            }
        }
    }
    }
    if let i = flags.firstIndex(where: { $0 != 0 }) {
        throw flags[i] == 1 ? KMeansError.zeroVector(document: i) : KMeansError.nonFinite(document: i)
    }
    return Embeddings(count: n, dimension: d, values: values)
}

/// The checks every k-based method makes first: 1 <= k <= n, d >= 1.
func checkClusterCount(_ k: Int, of x: Embeddings) throws(KMeansError) {
    guard k >= 1 else { throw KMeansError.clusterCountTooSmall(k) }
    guard k <= x.count else { throw KMeansError.clusterCountExceedsDocuments(k, documents: x.count) }
    guard x.dimension >= 1 else { throw KMeansError.noDimensions }
}
