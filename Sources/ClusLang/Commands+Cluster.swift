import ClusCore
import ClusData

extension Interpreter {
    func cluster(_ arguments: BoundArguments) throws -> ClusterResult {
        var dataset = try session.currentDataset()
        let vectors = try vectorColumn(in: dataset, named: arguments.text("field"), range: arguments.range(of: "field"))
        let method = ClusteringMethod(rawValue: arguments.text("method") ?? "kmeans") ?? .kmeans
        let metric = arguments.text("metric") ?? "euclidean"
        let k = try arguments.integer("k", atLeast: 1) ?? 8
        let minClusterSize = try arguments.integer("min_cluster_size", atLeast: 2) ?? 5
        let linkage = Linkage(rawValue: arguments.text("linkage") ?? "ward") ?? .ward
        let alias = arguments.text("alias")
            ?? method.defaultAlias(k: k, metric: metric, linkage: linkage, minClusterSize: minClusterSize)
        let seed = try arguments.integer("seed", atLeast: 0).map(UInt64.init) ?? session.settings.seed
        // documents without a usable vector are left out, and get no label
        let (embeddings, rows) = try usableVectors(vectors, of: dataset)
        if method != .hdbscan, k > embeddings.count {
            throw Diagnostic("k=\(k) exceeds the \(Format.count(embeddings.count, "document", "documents")) of \(dataset.name)"
                             + (rows != nil ? " with a usable \(vectors.name)" : ""), at: arguments.range(of: "k"))
        }
        try refuseOptions(["batch"], unless: method == .minibatch, arguments)
        try refuseOptions(["n_init", "tol"], unless: method == .kmeans, arguments)
        try refuseOptions(["seed", "max_iter"], unless: method.isSeeded, arguments)
        try refuseOptions(["linkage"], unless: method == .agglomerative, arguments)
        try refuseOptions(["min_cluster_size", "min_samples"], unless: method == .hdbscan, arguments)
        try refuseOptions(["k"], unless: method != .hdbscan, arguments)
        let clock = ContinuousClock()
        let start = clock.now
        var outcome: ClusterOutcome
        switch method {
        case .agglomerative: outcome = try runAgglomerative(k: k, metric: metric, embeddings: embeddings, arguments)
        case .hdbscan:
            outcome = try runHDBSCAN(minClusterSize: minClusterSize, metric: metric, embeddings: embeddings, arguments)
        case .kmeans, .minibatch:
            outcome = try runKMeansFamily(method: method.rawValue, k: k, seed: seed, spherical: metric == "cosine",
                                          embeddings: embeddings, arguments)
        }
        outcome.labels = spread(outcome.labels, over: rows, count: dataset.count)
        let result = ClusterResult(
            name: ClusteringName(dataset: dataset.name, vectorField: vectors.name, alias: alias), method: method,
            metric: DistanceMetric(rawValue: metric) ?? .euclidean, k: outcome.clusterCount, iterations: outcome.iterations,
            inertia: outcome.inertia, seed: method.isSeeded ? seed : nil, noise: outcome.noise,
            parameters: outcome.parameters, variant: outcome.variant,
            seconds: (clock.now - start).inSeconds,
            replaced: dataset.clustering(alias: alias, vectorField: vectors.name).map { old in
                ReplacedClustering(method: old.details?.method, k: old.k,
                                   metric: old.details?.parameters.first { $0.0 == "metric" }?.1)
            }, withoutVector: WithoutVector(vectors))
        let details = ClusteringDetails(
            method: method.rawValue,
            parameters: [("k", String(result.k)), ("metric", metric)] + (result.seed.map { [("seed", String($0))] } ?? []) + outcome.parameters,
            iterations: outcome.iterations, inertia: outcome.inertia, seconds: result.seconds)
        // the dataset changes only after the clustering succeeded
        dataset.store(Clustering(vectorField: vectors.name, alias: alias, labels: outcome.labels,
                                 clusterNames: outcome.clusterNames, details: details))
        session.update(dataset)
        session.currentAliases[dataset.name] = AliasReference(vectorField: vectors.name, alias: alias)
        return result
    }

    /// The vectors to cluster or score: every document's, or when some
    /// documents have no usable vector, the others' with their rows.
    func usableVectors(_ vectors: VectorColumn, of dataset: Dataset) throws(Diagnostic) -> (Embeddings, rows: [Int]?) {
        guard vectors.missingCount > 0 else { return (vectors.embeddings, nil) }
        guard vectors.missingCount < dataset.count else {
            throw Diagnostic("no document of \(dataset.name) has a usable \(vectors.name)")
        }
        let rows = vectors.usableRows
        return (vectors.embeddings.rows(rows), rows)
    }

    /// Labels of the documents at `rows` (all documents when nil) spread over
    /// the `count` documents; the others get -1, no label.
    func spread(_ labels: [Int], over rows: [Int]?, count: Int) -> [Int] {
        guard let rows else { return labels }
        var all = [Int](repeating: -1, count: count)
        for (i, row) in rows.enumerated() { all[row] = labels[i] }
        return all
    }

    /// What a clustering method produced, for storing and reporting.
    struct ClusterOutcome {
        var labels: [Int]
        var clusterNames: [String]
        var iterations: Int? = nil
        var inertia: Double? = nil
        /// The method's own parameters, in display order.
        var parameters: [(String, String)] = []
        /// e.g. "cosine" or the linkage, shown after the method.
        var variant: String? = nil
        /// Documents labelled noise (HDBSCAN), stored under the cluster named "-1".
        var noise: Int? = nil

        /// Clusters found, the noise not counted.
        var clusterCount: Int { clusterNames.count - ((noise ?? 0) > 0 ? 1 : 0) }

        /// Labels 0..<k named cluster_0 ...; -1 becomes the cluster "-1" when `noiseIsCluster`.
        init(labels: [Int], noiseIsCluster: Bool = false) {
            let k = (labels.max() ?? -1) + 1
            var names = (0 ..< k).map { "cluster_\($0)" }
            var labels = labels
            if noiseIsCluster {
                let noise = labels.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
                self.noise = noise
                if noise > 0 {
                    names.append("-1")
                    for i in labels.indices where labels[i] < 0 { labels[i] = k }
                }
            }
            self.labels = labels
            self.clusterNames = names
        }
    }

    /// k-means (spherical with cosine) or mini-batch k-means.
    /// `swept`: the value a sweep gives one of the options instead.
    func runKMeansFamily(method: String, k: Int, seed: UInt64, spherical: Bool, embeddings: Embeddings,
                         _ arguments: BoundArguments, swept: SweptValue? = nil) throws -> ClusterOutcome {
        let maxIterations = try integer("max_iter", atLeast: 1, arguments, swept)
        let result: KMeansResult
        let parameters: [(String, String)]
        if method == "minibatch" {
            let batch = try integer("batch", atLeast: 1, arguments, swept) ?? 1024
            let options = MiniBatchKMeansOptions(clusterCount: k, batchSize: batch, maxIterations: maxIterations ?? 100,
                                                 seed: seed, spherical: spherical)
            result = try session.withProgress("mini-batch k-means k=\(k)", unit: .iterations) { progress in
                try reportingCoreErrors {
                    try miniBatchKMeans(embeddings, options: options, parallelism: session.parallelism,
                                        cancellation: session.cancellation, progress: progress)
                }
            }
            parameters = [("batch", String(batch)), ("max_iter", String(options.maxIterations))]
        } else {
            let runs = try integer("n_init", atLeast: 1, arguments, swept) ?? 1
            let tolerance = arguments.number("tol") ?? 1e-4
            if tolerance < 0 { throw Diagnostic("tol must not be negative", at: arguments.range(of: "tol")) }
            let options = KMeansOptions(clusterCount: k, runs: runs, maxIterations: maxIterations ?? 300,
                                        tolerance: tolerance, seed: seed, spherical: spherical)
            result = try session.withProgress("k-means k=\(k)", unit: .iterations) { progress in
                try reportingCoreErrors {
                    try kMeans(embeddings, options: options, parallelism: session.parallelism,
                               cancellation: session.cancellation, progress: progress)
                }
            }
            parameters = [("n_init", String(runs)), ("max_iter", String(options.maxIterations)), ("tol", String(tolerance))]
        }
        var outcome = ClusterOutcome(labels: result.labels)
        outcome.iterations = result.iterations
        outcome.inertia = result.inertia
        outcome.parameters = parameters
        outcome.variant = spherical ? "cosine" : nil
        return outcome
    }

    /// Agglomerative clustering; refuses (with the memory estimate) what would not fit.
    ///
    /// Each check is made once: the memory budget here, as for every method
    /// (`memory_limit` is the session's policy; ClusCore only estimates), and
    /// ward's need for Euclidean distances in `agglomerative()`, whose
    /// precondition it is; its error is only worded here.
    func runAgglomerative(k: Int, metric: String, embeddings: Embeddings,
                          _ arguments: BoundArguments) throws -> ClusterOutcome {
        let linkage = Linkage(rawValue: arguments.text("linkage") ?? "ward") ?? .ward
        let distance = AgglomerativeMetric(rawValue: metric) ?? .euclidean
        let bytes = agglomerativeMemory(documents: embeddings.count, dimension: embeddings.dimension,
                                        linkage: linkage, metric: distance)
        try session.requireMemory(bytes, for: "agglomerative \(linkage.rawValue) on \(Format.count(embeddings.count)) documents",
                                  instead: linkage == .single ? "use method=minibatch or kmeans, or load a sample"
                                      : "use linkage=single (O(n) memory), method=minibatch or kmeans, or load a sample",
                                  at: arguments.range(of: "method"))
        let labels: [Int]
        // the bar counts rows of the distance matrix, then merges; single linkage its tree's steps
        let steps = linkage == .single ? "spanning tree" : "distances, then merges"
        do {
            labels = try session.withProgress("agglomerative \(linkage.rawValue) k=\(k) (\(steps))", unit: .iterations) { progress in
                try agglomerative(embeddings, clusterCount: k, linkage: linkage, metric: distance,
                                  parallelism: session.parallelism, cancellation: session.cancellation, progress: progress)
            }
        } catch let error as AgglomerativeError {
            // ward's refusal is about metric=; the others about the input
            throw Diagnostic(error, at: arguments.range(of: error == .wardNeedsEuclidean ? "metric" : "method"))
        }
        var outcome = ClusterOutcome(labels: labels)
        outcome.parameters = [("linkage", linkage.rawValue)]
        outcome.variant = linkage.rawValue + (metric == "cosine" ? ", cosine" : "")
        return outcome
    }

    /// HDBSCAN; its outliers go to the cluster named "-1".
    func runHDBSCAN(minClusterSize: Int, metric: String, embeddings: Embeddings,
                    _ arguments: BoundArguments, swept: SweptValue? = nil) throws -> ClusterOutcome {
        let minSamples = try integer("min_samples", atLeast: 1, arguments, swept) ?? minClusterSize
        if minSamples > embeddings.count {
            throw Diagnostic("min_samples=\(minSamples) exceeds the \(Format.count(embeddings.count, "document", "documents"))",
                             at: arguments.range(of: "min_samples"))
        }
        let options = HDBSCANOptions(minClusterSize: minClusterSize, minSamples: minSamples,
                                     metric: AgglomerativeMetric(rawValue: metric) ?? .euclidean)
        let bytes = hdbscanMemory(documents: embeddings.count, dimension: embeddings.dimension, minSamples: minSamples,
                                  threads: session.settings.threads, metric: options.metric)
        try session.requireMemory(bytes, for: "hdbscan on \(Format.count(embeddings.count)) documents",
                                  instead: "use method=minibatch or kmeans, or load a sample", at: arguments.range(of: "method"))
        let labels = try session.withProgress("hdbscan min_cluster_size=\(minClusterSize) (core distances, then spanning tree)",
                                              unit: .iterations) { progress in
            try reportingCoreErrors {
                try hdbscan(embeddings, options: options, parallelism: session.parallelism, cancellation: session.cancellation,
                            progress: progress)
            }
        }
        var outcome = ClusterOutcome(labels: labels, noiseIsCluster: true)
        outcome.parameters = [("min_cluster_size", String(minClusterSize)), ("min_samples", String(minSamples))]
        outcome.variant = metric == "cosine" ? "cosine" : nil
        return outcome
    }

    /// An integer option, or the value a sweep gives it.
    private func integer(_ name: String, atLeast minimum: Int, _ arguments: BoundArguments,
                         _ swept: SweptValue?) throws(Diagnostic) -> Int? {
        if let swept, swept.name == name { return swept.value }
        return try arguments.integer(name, atLeast: minimum)
    }

    /// Refuses options that belong to another method.
    func refuseOptions(_ names: [String], unless allowed: Bool, _ arguments: BoundArguments) throws(Diagnostic) {
        guard !allowed, let name = names.first(where: arguments.has) else { return }
        let method = arguments.text("method") ?? "kmeans"
        throw Diagnostic("\(name)= does not apply to method=\(method)", at: arguments.range(of: name))
    }

    func aliases() throws -> AliasesResult {
        let d = try session.currentDataset()
        let current = session.currentAliases[d.name]
        return AliasesResult(dataset: d.name, aliases: d.clusterings.map { c in
            AliasesResult.Alias(
                alias: c.alias, vectorField: c.vectorField, k: clusterCount(c), method: c.details?.method,
                iterations: c.details?.iterations, inertia: c.details?.inertia, seconds: c.details?.seconds,
                parameters: c.details?.parameters ?? [],
                isCurrent: current == AliasReference(vectorField: c.vectorField, alias: c.alias))
        })
    }

}
