import ClusCore

/// The worked examples of `explain` beyond the indices: each runs the
/// clustering or metrics code that `cluster` and `metrics` run, on the
/// eight points (with the outlier I, or the forty grid points), and works
/// out by hand the steps that code does not report.
extension Interpreter {
    /// k-means with the session's seed, one start, as `cluster k=K` runs it.
    func kMeansOnEightPoints(k: Int, runs: Int = 1, spherical: Bool = false) throws -> KMeansResult {
        let options = KMeansOptions(clusterCount: k, runs: runs, seed: session.settings.seed, spherical: spherical)
        return try kMeans(EightPoints().x, options: options, parallelism: .serial)
    }

    /// Each k-means cluster's centre and sum of squares by hand, and the code's inertia.
    func inertiaSteps(_ example: EightPoints) throws -> ExplainResult.Worked {
        let result = try kMeansOnEightPoints(k: 3)
        let clusters = Set(result.labels).sorted().map { label in
            let members = result.labels.indices.filter { result.labels[$0] == label }
            let point = { (i: Int) in example.points[i].map(Double.init) }
            let centre = (0 ..< 2).map { t in members.reduce(0.0) { $0 + point($1)[t] } / Double(members.count) }
            let sum = members.reduce(0.0) { total, i in
                total + zip(point(i), centre).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }
            return InertiaSteps.Cluster(label: label, members: members, centre: centre, sumOfSquares: sum)
        }
        return .inertia(InertiaSteps(clusters: clusters, inertia: result.inertia))
    }

    /// The best inertia of ten starts for k = 2 up to one below the documents, and sweep's elbow of that curve.
    func elbowSteps(_ example: EightPoints) throws -> ExplainResult.Worked {
        let runs = 10
        let ks = Array(2 ..< example.points.count)
        let inertia = try ks.map { try kMeansOnEightPoints(k: $0, runs: runs).inertia }
        return .elbow(ElbowSteps(ks: ks, inertia: inertia, runs: runs, elbow: elbowIndex(ks.map(Double.init), inertia)))
    }

    /// Mini-batch k-means with batches of four, beside k-means.
    func miniBatchSteps(_ example: EightPoints) throws -> ExplainResult.Worked {
        let options = MiniBatchKMeansOptions(clusterCount: 3, batchSize: 4, seed: session.settings.seed)
        let result = try miniBatchKMeans(example.x, options: options, parallelism: .serial)
        return .miniBatch(MiniBatchSteps(batch: options.batchSize, steps: result.iterations, inertia: result.inertia,
                                         labels: result.labels, kMeansInertia: try kMeansOnEightPoints(k: 3).inertia))
    }

    /// Each linkage's merges, read from the clustering code's cuts at every k
    /// (the cut at k - 1 joins two clusters of the cut at k), with the linkage
    /// distance of each merge by hand.
    func agglomerativeSteps() throws -> ExplainResult.Worked {
        let example = NinePoints()
        var merges: [(linkage: Linkage, steps: [AgglomerativeSteps.Merge])] = []
        var cuts: [Int: [(linkage: Linkage, labels: [Int])]] = [:]
        for linkage in Linkage.allCases {
            let labels = try (1 ... example.count).map { try agglomerative(example.x, clusterCount: $0, linkage: linkage, parallelism: .serial) }
            var steps: [AgglomerativeSteps.Merge] = []
            for k in stride(from: example.count, to: 1, by: -1) {
                let after = Set(groups(labels[k - 2]))
                let joined = groups(labels[k - 1]).filter { !after.contains($0) }
                guard joined.count == 2 else { throw Diagnostic("the \(linkage.rawValue) clusterings at k=\(k) and k=\(k - 1) are not nested") }
                steps.append(AgglomerativeSteps.Merge(a: joined[0], b: joined[1],
                                                      distance: linkageDistance(linkage, joined[0], joined[1], example)))
            }
            merges.append((linkage, steps))
            for k in [3, 2] { cuts[k, default: []].append((linkage, labels[k - 1])) }
        }
        return .agglomerative(AgglomerativeSteps(merges: merges, cuts: [3, 2].map { ($0, cuts[$0] ?? []) }))
    }

    /// The documents of each cluster, clusters in order of their first document.
    private func groups(_ labels: [Int]) -> [[Int]] {
        var order: [Int] = []
        for label in labels where !order.contains(label) { order.append(label) }
        return order.map { label in labels.indices.filter { labels[$0] == label } }
    }

    /// How far apart two clusters are under a linkage; for ward the inertia their merge adds.
    private func linkageDistance(_ linkage: Linkage, _ a: [Int], _ b: [Int], _ example: NinePoints) -> Double {
        let pairs = a.flatMap { i in b.map { example.distance(i, $0) } }
        switch linkage {
        case .average: return pairs.reduce(0, +) / Double(pairs.count)
        case .complete: return pairs.max() ?? 0
        case .single: return pairs.min() ?? 0
        case .ward:
            let centre = { (members: [Int]) in
                (0 ..< 2).map { t in members.reduce(0.0) { $0 + Double(example.points[$1][t]) } / Double(members.count) }
            }
            let ca = centre(a), cb = centre(b)
            let squared = zip(ca, cb).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            return Double(a.count * b.count) / Double(a.count + b.count) * squared
        }
    }

    /// Core distances by hand for min_samples 2 and 3, and HDBSCAN's labels for both (min_cluster_size 2).
    func hdbscanSteps() throws -> ExplainResult.Worked {
        let example = NinePoints(), minClusterSize = 2
        let runs = try [2, 3].map { minSamples in
            HDBSCANSteps.Run(minSamples: minSamples, core: coreDistances(example, minSamples: minSamples),
                             labels: try hdbscan(example.x, options: HDBSCANOptions(minClusterSize: minClusterSize, minSamples: minSamples),
                                                 parallelism: .serial))
        }
        // the closest pair: dense at min_samples 2, not at 3
        var pair = (a: 0, b: 1, distance: Double.infinity)
        for i in 0 ..< example.count {
            for j in i + 1 ..< example.count where example.distance(i, j) < pair.distance { pair = (i, j, example.distance(i, j)) }
        }
        return .hdbscan(HDBSCANSteps(minClusterSize: minClusterSize, runs: runs, pair: pair))
    }

    /// Each document's distance to its min_samples-th nearest document, itself counted first, and that document.
    private func coreDistances(_ example: NinePoints, minSamples: Int) -> [(distance: Double, neighbour: Int)] {
        (0 ..< example.count).map { i in
            let others = (0 ..< example.count).filter { $0 != i }.sorted { example.distance(i, $0) < example.distance(i, $1) }
            let neighbour = others[minSamples - 2]
            return (example.distance(i, neighbour), neighbour)
        }
    }

    /// HDBSCAN's labels and every document's silhouette with the noise left out (as `metrics` does by default) and as a cluster.
    func noiseSteps() throws -> ExplainResult.Worked {
        let example = NinePoints()
        let labels = try hdbscan(example.x, options: HDBSCANOptions(minClusterSize: 2), parallelism: .serial)
        let kept = labels.indices.filter { labels[$0] >= 0 }
        let keptX = example.x.rows(kept), keptLabels = kept.map { labels[$0] }
        var withoutNoise = [Double?](repeating: nil, count: labels.count)
        for (j, s) in try silhouetteSamples(keptX, labels: keptLabels, parallelism: .serial).enumerated() { withoutNoise[kept[j]] = s }
        let noiseCluster = (labels.max() ?? 0) + 1
        let asCluster = labels.map { $0 < 0 ? noiseCluster : $0 }
        return .noise(NoiseSteps(
            labels: labels, withoutNoise: withoutNoise,
            silhouetteWithoutNoise: try silhouetteScore(keptX, labels: keptLabels, parallelism: .serial),
            asCluster: try silhouetteSamples(example.x, labels: asCluster, parallelism: .serial),
            silhouetteAsCluster: try silhouetteScore(example.x, labels: asCluster, parallelism: .serial)))
    }

    /// A stratified sample of the grid points, its silhouettes per cluster,
    /// the estimate, and what `metrics sample=20` computes with the same seed.
    func sampleSteps() throws -> ExplainResult.Worked {
        let grid = GridPoints(), size = 20, seed = session.settings.seed
        var rng = SeededGenerator(seed: seed)
        let sample = StratifiedSample(labels: grid.labels, size: size, using: &rng)
        let values = try silhouetteSamples(grid.x, labels: grid.labels, of: sample.indices, parallelism: .serial)
        var offset = 0
        let strata = sample.strata.map { stratum in
            defer { offset += stratum.members.count }
            return SampleSteps.Stratum(size: stratum.size, values: Array(values[offset ..< offset + stratum.members.count]))
        }
        var again = SeededGenerator(seed: seed)
        return .sample(SampleSteps(
            sampleSize: size, seed: seed, strata: strata, sampled: sample.indices, estimate: sample.estimate(values),
            metricsEstimate: try sampledSilhouette(grid.x, labels: grid.labels, sampleSize: size, using: &again, parallelism: .serial),
            exact: try silhouetteScore(grid.x, labels: grid.labels, parallelism: .serial)))
    }
}
