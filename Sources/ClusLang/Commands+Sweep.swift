import ClusCore
import ClusData

/// How `sweep` clusters, from its options.
private struct SweepPlan {
    let ks: ClosedRange<Int>
    let method: String
    /// The metric as given; `cosine` makes k-means spherical.
    let metricName: String
    let metric: DistanceMetric
    let linkage: Linkage
    let seed: UInt64
    let keep: Bool

    func alias(_ k: Int) -> String {
        (ClusteringMethod(rawValue: method) ?? .kmeans).defaultAlias(k: k, metric: metricName, linkage: linkage)
    }
}

extension Interpreter {
    /// `sweep k=A..B`: one clustering per k, scored by each index.
    func sweep(_ arguments: BoundArguments) throws -> SweepResult {
        var dataset = try session.currentDataset()
        let vectors = try vectorColumn(in: dataset, named: arguments.text("field"), range: arguments.range(of: "field"))
        if vectors.missingCount > 0 {
            throw Diagnostic("\(Format.count(vectors.missingCount)) documents have no \(vectors.name); k-means needs a vector for every document")
        }
        let (low, high): (Int, Int)
        switch arguments.value("k") {
        case .range(let a, let b)?: (low, high) = (a, b)
        case .integer(let a)?: (low, high) = (a, a)
        default: (low, high) = (2, 10)
        }
        guard low >= 2, high >= low else {
            throw Diagnostic("sweep needs k from 2 up, like k=2..20", at: arguments.range(of: "k"))
        }
        guard high < dataset.count else {
            throw Diagnostic("k=\(high) needs more than the \(Format.count(dataset.count)) documents of \(dataset.name)", at: arguments.range(of: "k"))
        }
        let method = arguments.text("method") ?? "kmeans"
        let metricName = arguments.text("metric") ?? "euclidean"
        if arguments.has("linkage"), method != "agglomerative" {
            throw Diagnostic("linkage= is for method=agglomerative", at: arguments.range(of: "linkage"))
        }
        let plan = SweepPlan(ks: low ... high, method: method, metricName: metricName,
                             metric: DistanceMetric(rawValue: metricName) ?? .euclidean,
                             linkage: Linkage(rawValue: arguments.text("linkage") ?? "ward") ?? .ward,
                             seed: try arguments.integer("seed", atLeast: 0).map(UInt64.init) ?? session.settings.seed,
                             keep: arguments.flag("keep") ?? true)
        let truthField = try truthColumn(in: dataset, arguments)
        let truth = truthField?.interned()

        try session.requireSilhouetteMemory(documents: dataset.count, dimension: vectors.dimension, clusters: high,
                                            at: arguments.range(of: "k"))
        let (rows, interrupted) = try sweepRows(plan, vectors: vectors, truth: truth, into: &dataset, arguments)
        if plan.keep, let last = rows.last {
            session.update(dataset)
            session.currentAliases[dataset.name] = AliasReference(vectorField: vectors.name, alias: plan.alias(last.k))
        }
        // labels read from a file stay, and the footer says so
        let notReplaced = plan.keep ? rows.map { plan.alias($0.k) }.filter {
            dataset.clustering(alias: $0, vectorField: vectors.name)?.details == nil
        } : []
        return SweepResult(dataset: dataset.name, vectorField: vectors.name, method: method, metric: metricName,
                           spherical: plan.metric == .cosine && method != "agglomerative", truth: truthField?.name, rows: rows,
                           kRange: plan.ks, keptAliases: plan.keep ? rows.map { plan.alias($0.k) } : [], notReplaced: notReplaced, interrupted: interrupted)
    }

    /// Clusters and scores for each k of the plan, keeping the labels in
    /// `dataset` when asked; Ctrl-C stops the sweep with the rows done.
    private func sweepRows(_ plan: SweepPlan, vectors: VectorColumn, truth: InternedLabels?, into dataset: inout Dataset,
                           _ arguments: BoundArguments) throws -> (rows: [SweepResult.Row], interrupted: Bool) {
        var rows: [SweepResult.Row] = []
        let reporter = session.settings.format == .table ? session.progress : nil
        reporter?.start("sweep k=\(plan.ks.lowerBound)..\(plan.ks.upperBound)", total: plan.ks.count, unit: .iterations)
        defer { reporter?.finish() }
        for k in plan.ks {
            do {
                let result = plan.method == "agglomerative"
                    ? try runAgglomerative(k: k, metric: plan.metricName, embeddings: vectors.embeddings, arguments)
                    : try runKMeansFamily(method: plan.method, k: k, seed: plan.seed, spherical: plan.metric == .cosine,
                                          embeddings: vectors.embeddings, arguments)
                rows.append(try sweepRow(k: k, result, plan.metric, vectors: vectors, truth: truth))
                // labels read from a file are never replaced by a sweep
                if plan.keep, dataset.clustering(alias: plan.alias(k), vectorField: vectors.name).map({ $0.details != nil }) ?? true {
                    let details = ClusteringDetails(method: plan.method, parameters: [("k", String(k)), ("metric", plan.metricName)] + result.parameters,
                                                    iterations: result.iterations, inertia: result.inertia, seconds: nil)
                    dataset.store(Clustering(vectorField: vectors.name, alias: plan.alias(k), clusterIndices: result.labels, details: details))
                }
                reporter?.update(done: k - plan.ks.lowerBound + 1)
            } catch is Cancelled {
                return (rows, true)  // the rows done so far are kept
            }
        }
        return (rows, false)
    }

    /// The indices of one clustering of the sweep.
    private func sweepRow(k: Int, _ result: ClusterOutcome, _ metric: DistanceMetric, vectors: VectorColumn,
                          truth: InternedLabels?) throws -> SweepResult.Row {
        let silhouette = try silhouetteScore(vectors.embeddings, labels: result.labels, metric: metric, parallelism: session.parallelism,
                                             cancellation: session.cancellation)
        let centroid = try centroidIndices(vectors.embeddings, labels: result.labels, parallelism: session.parallelism,
                                           cancellation: session.cancellation)
        var ari: Double? = nil, nmi: Double? = nil
        if let truth {
            let kept = truth.codes.indices.filter { truth.codes[$0] >= 0 }
            let table = ContingencyTable(truth: kept.map { truth.codes[$0] }, predicted: kept.map { result.labels[$0] })
            ari = adjustedRandIndex(table)
            nmi = normalizedMutualInformation(table)
        }
        return SweepResult.Row(k: k, iterations: result.iterations, inertia: result.inertia, silhouette: silhouette,
                               calinskiHarabasz: centroid.calinskiHarabasz, daviesBouldin: centroid.daviesBouldin,
                               adjustedRandIndex: ari, normalizedMutualInfo: nmi)
    }
}

/// The knee of a decreasing curve: the point farthest below the straight line
/// from its first to its last point, both axes scaled to 0…1.
func elbowIndex(_ xs: [Double], _ ys: [Double]) -> Int? {
    guard xs.count >= 3, let x0 = xs.first, let x1 = xs.last, let y0 = ys.first, let y1 = ys.last, x1 > x0, y0 != y1 else { return nil }
    var bestIndex: Int? = nil
    var bestGap = 0.0
    for i in 1 ..< xs.count - 1 {
        let x = (xs[i] - x0) / (x1 - x0), y = (ys[i] - y1) / (y0 - y1)
        let gap = (1 - x) - y  // the line runs from (0, 1) to (1, 0)
        if gap > bestGap { bestGap = gap; bestIndex = i }
    }
    return bestIndex
}
