import ClusCore
import Glibc

/// The worked examples of `explain` for the analyses beyond one clustering's
/// scores: `describe`'s typical and doubtful documents, its distinctive terms,
/// `stability`'s Jaccard matches and the gap statistic. Each calls the ClusCore
/// (or ClusLang) function the command calls and works out by hand what that
/// function does not report.
extension Interpreter {
    /// Every document's distance to its centroid and its silhouette, from the
    /// functions `describe` calls, and each cluster's centroid and typical
    /// distance by hand.
    func describeSteps(_ example: EightPoints) throws -> ExplainResult.Worked {
        let k = Set(example.labels).count
        // every member ranked, so each document's distance shows
        let ranked = typicalDocuments(example.x, labels: example.labels, clusterCount: k, count: example.points.count)
        let silhouettes = try silhouetteSamples(example.x, labels: example.labels, parallelism: .serial)
        var distances = [Double](repeating: 0, count: example.points.count)
        for cluster in ranked { for member in cluster { distances[member.row] = member.distance } }
        let clusters = try (0 ..< k).map { c in
            let members = example.members(of: c)
            let centroid = (0 ..< 2).map { t in members.reduce(0.0) { $0 + Double(example.points[$1][t]) } / Double(members.count) }
            // describe's order: lowest silhouette first, ties by document
            guard let typical = ranked[c].first,
                  let doubtful = members.min(by: { (silhouettes[$0], $0) < (silhouettes[$1], $1) }) else {
                throw Diagnostic("cluster_\(c) of the eight points has no members")
            }
            let point = example.points[typical.row].map(Double.init)
            let squared = zip(point, centroid).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            return DescribeSteps.Cluster(label: c, centroid: centroid, typical: typical.row, handDistance: squared.squareRoot(),
                                         doubtful: doubtful)
        }
        return .describe(DescribeSteps(distances: distances, silhouettes: silhouettes, clusters: clusters))
    }

    /// The words of seven short texts, one term's score by hand, and what
    /// `distinctiveTerms` (describe text=) gives for every term.
    func termSteps() -> ExplainResult.Worked {
        let example = SevenTexts(), term = "cat", cluster = 0
        let words = (0 ..< example.clusterCount).map { example.texts(of: $0).flatMap(termTokens) }
        let scored = distinctiveTerms(texts: example.texts, labels: example.labels, clusterCount: example.clusterCount,
                                      top: words.reduce(0) { $0 + $1.count })
        return .terms(TermSteps(term: term, cluster: cluster, words: words, scored: scored))
    }

    /// One cluster's Jaccard match in one hand-made resample by hand, that
    /// resample alone through `clusterStability`, then all three.
    func stabilitySteps(_ example: EightPoints) -> ExplainResult.Worked {
        let resamples = EightPointResamples().resamples, k = Set(example.labels).count
        let cluster = 0, resample = 1
        let alone = clusterStability(reference: example.labels, clusterCount: k, resamples: [resamples[resample]])
        return .stability(StabilitySteps(
            reference: example.labels, resamples: resamples, cluster: cluster, resample: resample,
            codeJaccard: alone.jaccard[cluster] ?? .nan,
            stability: clusterStability(reference: example.labels, clusterCount: k, resamples: resamples)))
    }

    /// The gap statistic for k = 1...4 on twelve values: W_k of k-means'
    /// labels, B reference sets from `GapReferenceBox` (set b seeded with
    /// seed + b), each clustered the same way, `GapValue` and `gapBest`.
    func gapSteps() throws -> ExplainResult.Worked {
        let example = TwelveValues()
        let seed = session.settings.seed, referenceCount = 5, runs = 10, ks = Array(1 ... 4), space = GapReferenceSpace.scaledPCA
        func logW(_ x: Embeddings, _ k: Int) throws -> Double {
            let labels = try kMeans(x, options: KMeansOptions(clusterCount: k, runs: runs, seed: seed), parallelism: .serial).labels
            return log(withinClusterDispersion(x, labels: labels))
        }
        let box = GapReferenceBox(example.x, space: space)
        let sets = (0 ..< referenceCount).map { b in
            var rng = SeededGenerator(seed: seed &+ UInt64(b))
            return box.referenceSet(count: example.values.count, using: &rng)
        }
        let data = try ks.map { try logW(example.x, $0) }
        let reference = try ks.map { k in try sets.map { try logW($0, k) } }
        let values = ks.indices.map { GapValue(logW: data[$0], referenceLogW: reference[$0]) }
        guard let best = gapBest(values) else { throw Diagnostic("no gap values for the twelve values") }
        return .gap(GapSteps(seed: seed, runs: runs, space: space, low: box.low, high: box.high, ks: ks, logW: data,
                             referenceLogW: reference, values: values, tibshirani: best.tibshirani, firstSEmax: best.firstSEmax))
    }
}
