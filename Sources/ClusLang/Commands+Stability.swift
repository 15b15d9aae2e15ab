import ClusCore
import ClusData

/// A clustering recipe: what `stability` (and `sweep stability=on`) runs on each resample.
struct ClusteringRecipe {
    let method: ClusteringMethod
    let k: Int
    let minClusterSize: Int
    let metric: String
    let seed: UInt64
    /// A sweep's value for another option (n_init, min_samples, ...).
    var swept: SweptValue? = nil
}

extension Interpreter {
    /// `stability`: clusters `runs` resamples with one recipe and reports how
    /// well each cluster of the clustering of all documents comes back.
    func stability(_ arguments: BoundArguments) throws -> StabilityResult {
        let dataset = try session.currentDataset()
        let vectors = try vectorColumn(in: dataset, named: arguments.text("field"), range: arguments.range(of: "field"))
        let (embeddings, _) = try usableVectors(vectors, of: dataset)
        let method = ClusteringMethod(rawValue: arguments.text("method") ?? "kmeans") ?? .kmeans
        try refuseOptions(["n_init"], unless: method == .kmeans, arguments)
        try refuseOptions(["linkage"], unless: method == .agglomerative, arguments)
        try refuseOptions(["min_cluster_size", "min_samples"], unless: method == .hdbscan, arguments)
        try refuseOptions(["max_iter"], unless: method.isSeeded, arguments)
        try refuseOptions(["batch"], unless: method == .minibatch, arguments)
        try refuseOptions(["k"], unless: method != .hdbscan, arguments)
        let recipe = ClusteringRecipe(method: method, k: try arguments.integer("k", atLeast: 2) ?? 8,
                                      minClusterSize: try arguments.integer("min_cluster_size", atLeast: 2) ?? 5,
                                      metric: arguments.text("metric") ?? "euclidean",
                                      seed: try arguments.integer("seed", atLeast: 0).map(UInt64.init) ?? session.settings.seed)
        let runs = try arguments.integer("runs", atLeast: 2) ?? 20
        let bootstrap = arguments.flag("bootstrap") ?? false
        if bootstrap, arguments.has("fraction") {
            throw Diagnostic("fraction= sizes the subsets; bootstrap=on draws n documents with replacement instead",
                             at: arguments.range(of: "fraction"))
        }
        let fraction = arguments.number("fraction") ?? 0.8
        guard fraction > 0, fraction <= 1 else {
            throw Diagnostic("fraction must be above 0 and at most 1, got \(fraction)", at: arguments.range(of: "fraction"))
        }
        let size = bootstrap ? embeddings.count : Int((fraction * Double(embeddings.count)).rounded(.down))
        if method != .hdbscan, size <= recipe.k {
            throw Diagnostic("k=\(recipe.k) needs more than the \(Format.count(size, "document", "documents")) of each resample",
                             at: arguments.range(of: arguments.has("fraction") ? "fraction" : "k"))
        }
        let outcome = try measureStability(recipe, embeddings, runs: runs, size: size, bootstrap: bootstrap, arguments,
                                           label: "stability \(method.rawValue) \(runs) runs")
        var result = StabilityResult(dataset: dataset.name, vectorField: vectors.name, method: method.rawValue,
                               k: outcome.clusterNames.count, minClusterSize: method == .hdbscan ? recipe.minClusterSize : nil,
                               metric: recipe.metric, runs: runs, fraction: bootstrap ? nil : fraction, seed: recipe.seed,
                               clusters: outcome.clusterNames.indices.map { c in
                                   StabilityResult.Cluster(name: outcome.clusterNames[c], size: outcome.sizes[c],
                                                           jaccard: outcome.stability.jaccard[c])
                               },
                               meanJaccard: outcome.stability.meanJaccard, meanARI: outcome.stability.meanARI,
                               withoutVector: WithoutVector(vectors))
        result.options = ["linkage", "min_samples", "n_init", "max_iter", "batch"].compactMap { option in
            arguments.value(option).map { "\(option)=\($0)" }
        }
        return result
    }

    /// What `measureStability` found.
    struct StabilityOutcome {
        /// The reference clustering's clusters (noise not counted).
        let clusterNames: [String]
        let sizes: [Int]
        let stability: ClusterStability
    }

    /// The reference clustering of all documents, `runs` resampled clusterings
    /// (subsets of `size` documents, or bootstrap draws) with seeds following
    /// the recipe's, and clusterboot's Jaccard and ARI readings. One bar counts
    /// the runs; Ctrl-C stops it with `Cancelled`.
    func measureStability(_ recipe: ClusteringRecipe, _ embeddings: Embeddings, runs: Int, size: Int, bootstrap: Bool,
                          _ arguments: BoundArguments, label: String?) throws -> StabilityOutcome {
        // inside a sweep (label nil) the sweep's bar stays
        let terminal = session.progress
        let bar = label != nil && session.settings.format == .table ? terminal.map(SweepProgress.init) : nil
        if let bar {
            bar.begin(label ?? "", values: runs + 1)
            session.progress = bar
        }
        defer {
            bar?.end()
            session.progress = terminal
        }
        let (reference, names) = try fitRecipe(recipe, seed: recipe.seed, embeddings, arguments)
        bar?.completed(1)
        var rng = SeededGenerator(seed: recipe.seed)
        var resamples: [ResampleClustering] = []
        for run in 0 ..< runs {
            try session.cancellation.check()
            let rows = resampleRows(of: embeddings.count, size: size, bootstrap: bootstrap, using: &rng)
            let (labels, _) = try fitRecipe(recipe, seed: recipe.seed &+ UInt64(run + 1), embeddings.rows(rows), arguments)
            // a document drawn twice keeps the label of its first draw
            var documents: [Int] = [], kept: [Int] = []
            for (i, row) in rows.enumerated() where documents.last != row {
                documents.append(row)
                kept.append(labels[i])
            }
            resamples.append(ResampleClustering(documents: documents, labels: kept))
            bar?.completed(run + 2)
        }
        var sizes = [Int](repeating: 0, count: names.count)
        for label in reference where label >= 0 { sizes[label] += 1 }
        return StabilityOutcome(clusterNames: names, sizes: sizes,
                                stability: clusterStability(reference: reference, clusterCount: names.count, resamples: resamples))
    }

    /// One clustering by the recipe: labels 0 ..< k, HDBSCAN's outliers -1, and the clusters' names.
    private func fitRecipe(_ recipe: ClusteringRecipe, seed: UInt64, _ x: Embeddings,
                           _ arguments: BoundArguments) throws -> (labels: [Int], names: [String]) {
        let outcome: ClusterOutcome
        switch recipe.method {
        case .agglomerative: outcome = try runAgglomerative(k: recipe.k, metric: recipe.metric, embeddings: x, arguments)
        case .hdbscan:
            outcome = try runHDBSCAN(minClusterSize: recipe.minClusterSize, metric: recipe.metric, embeddings: x, arguments,
                                     swept: recipe.swept)
        case .kmeans, .minibatch:
            outcome = try runKMeansFamily(method: recipe.method.rawValue, k: recipe.k, seed: seed, spherical: recipe.metric == "cosine",
                                          embeddings: x, arguments, swept: recipe.swept)
        }
        let noiseCode = (outcome.noise ?? 0) > 0 ? outcome.clusterNames.count - 1 : nil
        return (outcome.labels.map { $0 == noiseCode ? -1 : $0 }, Array(outcome.clusterNames.prefix(outcome.clusterCount)))
    }
}
