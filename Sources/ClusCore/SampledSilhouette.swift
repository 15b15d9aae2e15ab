// Sampled silhouette with a confidence interval.
//
// scikit-learn's `sample_size` draws an unstratified sample and scores it
// against the sample only, which is biased (a and b are means over fewer
// points, and small clusters may vanish). Here the sample is stratified by
// cluster, each sampled document's silhouette is exact (against all n
// documents), and the mean comes with the stratified-sampling variance:
//   ŝ = Σ_h W_h·ȳ_h,  Var(ŝ) = Σ_h W_h²·(1 − n_h/N_h)·s_h²/n_h,  W_h = N_h/N,
// and a normal 95% interval ŝ ± 1.96·√Var(ŝ) (Cochran, Sampling Techniques, 5.3).

/// A silhouette estimated from a stratified sample, with its 95% confidence interval.
public struct SilhouetteEstimate: Sendable, Equatable {
    /// The stratified estimate of the mean silhouette.
    public let value: Double
    /// Lower end of the 95% confidence interval.
    public let low: Double
    /// Upper end of the 95% confidence interval.
    public let high: Double
    /// Documents sampled.
    public let sampled: Int
    /// Documents sampled from.
    public let population: Int

    /// Half the interval's width: the `± x` of `value ± x`.
    public var halfWidth: Double { (high - low) / 2 }
}

/// A sample of documents stratified by cluster: every cluster keeps at least
/// min(its size, `minimumPerCluster`) members; the rest of the budget is
/// shared in proportion to the clusters' sizes (largest remainders).
public struct StratifiedSample: Sendable, Equatable {
    /// Per cluster (compact label order): its size and its sampled documents.
    public let strata: [(size: Int, members: [Int])]

    public static func == (a: StratifiedSample, b: StratifiedSample) -> Bool {
        a.strata.count == b.strata.count
            && zip(a.strata, b.strata).allSatisfy { $0.size == $1.size && $0.members == $1.members }
    }

    /// All sampled documents, stratum after stratum.
    public var indices: [Int] { strata.flatMap(\.members) }

    /// Documents in the population.
    public var population: Int { strata.reduce(0) { $0 + $1.size } }

    /// Draws about `size` documents (more when the per-cluster minimums need
    /// them) without replacement within each cluster.
    /// - Complexity: O(n) time and memory.
    public init<G: RandomNumberGenerator>(labels: [Int], size: Int, minimumPerCluster: Int = 5, using rng: inout G) {
        let compact = CompactLabels(labels)
        let n = labels.count, k = compact.clusterCount
        var take = compact.sizes.map { min($0, minimumPerCluster) }
        let base = take.reduce(0, +)
        let budget = min(max(size, base), n) - base
        if budget > 0 {
            // Proportional to what each cluster has left, largest remainders first.
            let left = compact.sizes.enumerated().map { $0.element - take[$0.offset] }
            let total = left.reduce(0, +)
            var shares = [(extra: Int, remainder: Double, c: Int)]()
            var given = 0
            for c in 0 ..< k {
                let exact = Double(budget) * Double(left[c]) / Double(max(total, 1))
                let whole = min(Int(exact), left[c])
                shares.append((whole, exact - Double(whole), c))
                given += whole
            }
            shares.sort { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.c < $1.c }
            var i = 0
            while given < budget {
                let c = shares[i % k].c
                if take[c] + shares[i % k].extra < compact.sizes[c] {
                    shares[i % k].extra += 1
                    given += 1
                }
                i += 1
            }
            for s in shares { take[s.c] += s.extra }
        }
        var members = [[Int]](repeating: [], count: k)
        for (i, c) in compact.index.enumerated() { members[c].append(i) }
        var strata: [(size: Int, members: [Int])] = []
        for c in 0 ..< k {
            // Partial Fisher-Yates: the first take[c] slots are a uniform sample.
            var m = members[c]
            for j in 0 ..< take[c] {
                let r = j + Int(rng.next(upperBound: UInt64(m.count - j)))
                m.swapAt(j, r)
            }
            strata.append((m.count, Array(m.prefix(take[c]).sorted())))
        }
        self.strata = strata
    }

    /// The stratified mean of `values` (one per sampled document, in
    /// `indices` order) and its normal 95% confidence interval.
    /// - Complexity: O(sample size).
    public func estimate(_ values: [Double]) -> SilhouetteEstimate {
        precondition(values.count == strata.reduce(0) { $0 + $1.members.count }, "one value per sampled document")
        let n = Double(population)
        var mean = 0.0, variance = 0.0, offset = 0
        for stratum in strata {
            let m = stratum.members.count
            guard m > 0 else { continue }
            let ys = values[offset ..< offset + m]
            offset += m
            let w = Double(stratum.size) / n
            let ybar = ys.reduce(0, +) / Double(m)
            mean += w * ybar
            // A fully sampled cluster (or one of a single sampled member) adds no sampling error.
            if m > 1, m < stratum.size {
                let s2 = ys.reduce(0) { $0 + ($1 - ybar) * ($1 - ybar) } / Double(m - 1)
                let fpc = 1 - Double(m) / Double(stratum.size)
                variance += w * w * fpc * s2 / Double(m)
            }
        }
        let half = 1.959963984540054 * variance.squareRoot()
        return SilhouetteEstimate(value: mean, low: mean - half, high: mean + half,
                                  sampled: values.count, population: population)
    }
}

/// The mean silhouette estimated from a stratified sample of about
/// `sampleSize` documents, each scored exactly against all n documents.
///
/// Throws as `silhouetteSamples`.
/// - Complexity: O(m·n·d) for m sampled documents; O(n·d + m) memory.
public func sampledSilhouette<G: RandomNumberGenerator>(
    _ x: Embeddings, labels: [Int], sampleSize: Int, metric: DistanceMetric = .euclidean,
    using rng: inout G, parallelism: Parallelism = .allCores, cancellation: Cancellation? = nil, progress: ProgressCallback? = nil
) throws -> SilhouetteEstimate {
    _ = try CompactLabels.validated(x, labels, measure: .silhouette)
    let sample = StratifiedSample(labels: labels, size: sampleSize, using: &rng)
    let values = try silhouetteSamples(x, labels: labels, of: sample.indices, metric: metric,
                                       parallelism: parallelism, cancellation: cancellation, progress: progress)
    return sample.estimate(values)
}
