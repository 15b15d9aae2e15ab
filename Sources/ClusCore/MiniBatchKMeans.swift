// Mini-batch k-means, as scikit-learn's `MiniBatchKMeans` (Sculley 2010):
// k-means++ on a sample, then per step a random batch moves each centre
// towards its batch members with a per-centre learning rate 1 / count.

/// Settings of a mini-batch k-means clustering, defaulted as scikit-learn's `MiniBatchKMeans`.
public struct MiniBatchKMeansOptions: Sendable {
    /// k, the number of clusters.
    public var clusterCount: Int
    /// Documents per step (scikit-learn's `batch_size`).
    public var batchSize: Int = 1024
    /// Upper bound on passes over the data, counted in batches: the run
    /// takes at most `maxIterations · n / batchSize` steps.
    public var maxIterations: Int = 100
    /// Stop after this many steps without improving the smoothed batch inertia.
    public var maxNoImprovement: Int = 10
    /// Documents sampled for the k-means++ start; nil means 3 × `batchSize` (at most n).
    public var initSize: Int? = nil
    /// Fixes every random choice.
    public var seed: UInt64 = 0
    /// Spherical: unit documents and centres, cosine objective.
    public var spherical: Bool = false

    /// Options for `clusterCount` clusters; the rest default as scikit-learn's.
    public init(clusterCount: Int, batchSize: Int = 1024, maxIterations: Int = 100,
                maxNoImprovement: Int = 10, initSize: Int? = nil, seed: UInt64 = 0, spherical: Bool = false) {
        self.clusterCount = clusterCount
        self.batchSize = batchSize
        self.maxIterations = maxIterations
        self.maxNoImprovement = maxNoImprovement
        self.initSize = initSize
        self.seed = seed
        self.spherical = spherical
    }
}

/// Clusters the rows of `x` by mini-batch k-means: greedy k-means++ on
/// `initSize` sampled documents, then steps over random batches (drawn with
/// replacement) until the exponentially smoothed batch inertia stops
/// improving for `maxNoImprovement` steps, as scikit-learn's
/// `MiniBatchKMeans` (without its random reassignment of small clusters).
/// The final labels and inertia come from one full assignment pass;
/// `iterations` counts steps.
///
/// Batches are assigned in fixed chunks reduced in order, so the result does
/// not depend on `parallelism`.
///
/// - Complexity: O(steps · batchSize · k · d + n · k · d) arithmetic,
///   O(n + (batchSize + k) · d) extra memory (plus a unit copy of `x` when spherical).
public func miniBatchKMeans(_ x: Embeddings, options: MiniBatchKMeansOptions,
                            parallelism: Parallelism = .allCores,
                            cancellation: Cancellation? = nil,
                            progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> KMeansResult {
    let n = x.count, d = x.dimension, k = options.clusterCount
    try checkClusterCount(k, of: x)
    guard options.batchSize >= 1 else { throw KMeansError.invalidBatchSize(options.batchSize) }
    guard options.maxIterations >= 1 else { throw KMeansError.invalidMaxIterations(options.maxIterations) }
    if !options.spherical, let bad = x.firstNonFiniteRow(parallelism: parallelism) {
        throw KMeansError.nonFinite(document: bad)
    }
    let x = options.spherical ? try unitRows(x, parallelism: parallelism) : x
    let batchSize = min(options.batchSize, n)
    let initSize = max(k, min(n, options.initSize ?? 3 * batchSize))
    var generator = SeededGenerator(seed: options.seed)

    // k-means++ on a sample of documents (with replacement, as scikit-learn).
    let sampleIndices = (0 ..< initSize).map { _ in generator.nextIndex(below: n) }
    let sample = x.rows(sampleIndices)
    var centres = try sample.values.withUnsafeBufferPointer { buffer -> [Double] in
        guard let base = buffer.baseAddress else { preconditionFailure("n, d >= 1 were checked") }
        let rows = RowMatrix(base: base, count: initSize, dimension: d)
        let plan = ChunkPlan(count: initSize, clusterCount: k, dimension: d)
        let seeds = try kMeansPlusPlus(rows, clusterCount: k, generator: &generator, plan: plan,
                                       parallelism: parallelism, cancellation: cancellation)
        var centres = [Double](repeating: 0, count: k * d)
        for (j, s) in seeds.enumerated() {
            for t in 0 ..< d { centres[j * d + t] = Double(rows.row(s)[t]) }
        }
        return centres
    }

    let steps = max(1, (options.maxIterations * n) / batchSize)
    let stepper = MiniBatchStepper(clusterCount: k, dimension: d, batchSize: batchSize,
                                   parallelism: parallelism, spherical: options.spherical)
    var weights = [Double](repeating: 0, count: k)
    var batch = [Float](repeating: 0, count: batchSize * d)
    var picks = [Int](repeating: 0, count: batchSize)
    var smoothed: Double?
    var best = Double.infinity
    var stale = 0
    var taken = 0
    let alpha = min(1, Double(batchSize) * 2 / Double(n + 1))
    for step in 0 ..< steps {
        try cancellation?.check()
        for r in 0 ..< batchSize { picks[r] = generator.nextIndex(below: n) }
        let batchInertia = x.values.withUnsafeBufferPointer { source in
            stepper.step(source: source.baseAddress!, picks: picks, batch: &batch, centres: &centres, weights: &weights)
        }
        taken = step + 1
        progress?(taken, steps)
        // Convergence as scikit-learn's `_mini_batch_convergence`: the first
        // step only starts the average.
        if step == 0 { continue }
        let mean = batchInertia / Double(batchSize)
        let average = smoothed.map { $0 * (1 - alpha) + mean * alpha } ?? mean
        smoothed = average
        if average < best {
            best = average
            stale = 0
        } else {
            stale += 1
            if stale >= options.maxNoImprovement { break }
        }
    }
    if taken < steps { progress?(steps, steps) }

    return try x.values.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { preconditionFailure("n, d >= 1 were checked") }
        let rows = RowMatrix(base: base, count: n, dimension: d)
        let plan = ChunkPlan(count: n, clusterCount: k, dimension: d)
        let lloyd = Lloyd(rows: rows, clusterCount: k, plan: plan, parallelism: parallelism,
                          cancellation: cancellation, maxIterations: 1, tolerance: 0,
                          spherical: options.spherical)
        let rounded = centres.map { Float($0) }
        // One pass over the data for both: the inertia of a slice right after its labels.
        let (labels, inertia) = try lloyd.labelsAndInertia(CentrePanel(centres: centres, clusterCount: k, dimension: d),
                                                           centres: rounded.map(Double.init))
        return KMeansResult(labels: labels,
                            centroids: Embeddings(count: k, dimension: d, values: rounded),
                            inertia: inertia, iterations: taken)
    }
}

/// One mini-batch step: assign the batch, then move each centre to the
/// weighted mean of itself (weight = documents seen so far) and its new members.
private struct MiniBatchStepper {
    let clusterCount: Int
    let dimension: Int
    let batchSize: Int
    let parallelism: Parallelism
    let spherical: Bool
    /// Fixed sub-chunks of a batch, assigned in parallel and reduced in order.
    var chunkRows: Int { 256 }
    var chunks: Int { (batchSize + chunkRows - 1) / chunkRows }

    /// Gathers the documents at `picks` into `batch` (each chunk its own rows,
    /// on its own thread: random rows of a large set are memory latency,
    /// which a single thread leaves the step waiting on) and assigns them.
    /// Returns the batch's inertia against the centres before the update.
    func step(source: UnsafePointer<Float>, picks: [Int], batch: inout [Float],
              centres: inout [Double], weights: inout [Double]) -> Double {
        let k = clusterCount, d = dimension, chunks = chunks, chunkRows = chunkRows
        let panel = CentrePanel(centres: centres, clusterCount: k, dimension: d)
        var labels = [Int](repeating: -1, count: batchSize)
        var sums = [Double](repeating: 0, count: chunks * k * d)
        var counts = [Int](repeating: 0, count: chunks * k)
        var partial = [Double](repeating: 0, count: chunks)
        picks.withUnsafeBufferPointer { picks in
        batch.withUnsafeMutableBufferPointer { b in
        centres.withUnsafeBufferPointer { c in
        labels.withUnsafeMutableBufferPointer { l in
        sums.withUnsafeMutableBufferPointer { s in
        counts.withUnsafeMutableBufferPointer { n in
        partial.withUnsafeMutableBufferPointer { p in
            guard let base = b.baseAddress, let cbase = c.baseAddress, let lbase = l.baseAddress,
                  let sbase = s.baseAddress, let nbase = n.baseAddress else { return }
            let rows = RowMatrix(base: UnsafePointer(base), count: batchSize, dimension: d)
            parallelism.forEach(chunks: chunks) { chunk in
                let range = chunk * chunkRows ..< min(batchSize, (chunk + 1) * chunkRows)
                for r in range { (base + r * d).update(from: source + picks[r] * d, count: d) }
                _ = assignChunk(rows, panel, rows: range, labels: lbase,
                                sums: sbase + chunk * k * d, counts: nbase + chunk * k)
                var total = 0.0
                for i in range { total += squaredDistanceDouble(rows.row(i), cbase + lbase[i] * d, d) }
                p[chunk] = total
            }
        }
        }
        }
        }
        }
        }
        }
        var batchInertia = 0.0
        for chunk in 0 ..< chunks {
            batchInertia += partial[chunk]
            if chunk == 0 { continue }
            for i in 0 ..< k * d { sums[i] += sums[chunk * k * d + i] }
            for j in 0 ..< k { counts[j] += counts[chunk * k + j] }
        }
        for j in 0 ..< k where counts[j] > 0 {
            let old = weights[j]
            let total = old + Double(counts[j])
            var norm = 0.0
            for t in 0 ..< d {
                let v = (centres[j * d + t] * old + sums[j * d + t]) / total
                centres[j * d + t] = v
                norm += v * v
            }
            weights[j] = total
            if spherical, norm > 0 {
                let scale = 1 / norm.squareRoot()
                for t in 0 ..< d { centres[j * d + t] *= scale }
            }
        }
        return spherical ? batchInertia / 2 : batchInertia
    }
}
