import ClusCore
import ClusData

/// What `metrics` is asked to compute, from its options or from `report`.
struct MetricsRequest {
    var clustering: Clustering
    var truth: FieldColumn?
    var truthRange: SourceRange?
    var metric: DistanceMetric
    var silhouette = true
    /// Estimate the silhouette from a stratified sample of about this many documents.
    var sample: Int?
    var seed: UInt64
    /// The cluster left out of every index as outliers.
    var noise = NoiseChoice.none
    var average = MutualInformationAverage.arithmetic
    var beta = 1.0
}

extension Interpreter {
    func metrics(_ arguments: BoundArguments) throws -> MetricsResult {
        let d = try session.currentDataset()
        let withSilhouette = arguments.flag("silhouette") ?? true
        if !withSilhouette, let option = ["sample", "seed", "metric"].first(where: arguments.has) {
            throw Diagnostic("\(option)= sets up the silhouette, which silhouette=off leaves out", at: arguments.range(of: option))
        }
        let sample = try arguments.integer("sample", atLeast: 2) ?? session.settings.sample
        if arguments.has("seed"), sample == nil {
            throw Diagnostic("seed= draws the sample of sample=N; give sample=N too", at: arguments.range(of: "seed"))
        }
        let beta = arguments.number("beta") ?? 1
        guard beta > 0, beta.isFinite else {
            throw Diagnostic("beta= must be a positive number (1 weighs homogeneity and completeness equally)", at: arguments.range(of: "beta"))
        }
        let c = try clustering(in: d, arguments)
        let request = MetricsRequest(
            clustering: c, truth: try truthColumn(in: d, arguments), truthRange: arguments.range(of: "truth"),
            metric: scoringMetric(arguments, for: c),
            silhouette: withSilhouette, sample: sample,
            seed: try arguments.integer("seed", atLeast: 0).map(UInt64.init) ?? session.settings.seed,
            noise: scoringNoise(arguments, for: c),
            average: arguments.text("average").flatMap(MutualInformationAverage.init(rawValue:)) ?? .arithmetic, beta: beta)
        return try metrics(request, in: d)
    }

    /// Every index of `request` from ClusCore's functions.
    func metrics(_ request: MetricsRequest, in d: Dataset) throws -> MetricsResult {
        let c = request.clustering
        let noiseCode = c.code(ofNoise: request.noise.name)
        // Scored documents: those with a label for the alias, outside the noise label.
        let scoredRows = c.labels.indices.filter { c.labels[$0] >= 0 && c.labels[$0] != noiseCode }
        // The internal indices use those with a usable vector; the external ones those with a truth value.
        let vectorsIfAny = d.vector(named: c.vectorField)
        let internalRows = vectorsIfAny.map { v in v.missingCount == 0 ? scoredRows : scoredRows.filter { v.present[$0] } } ?? scoredRows
        let labels = internalRows.map { c.labels[$0] }
        let k = distinctCount(labels, below: c.k)
        // The internal indices need 2 to n-1 clusters; the external ones are defined for any k (as scikit-learn's).
        let scoresInternal = k >= 2 && k <= labels.count - 1
        guard scoresInternal || request.truth != nil else {
            throw Diagnostic("the metrics need 2 to n-1 clusters; \(c.alias) has \(Format.count(k, "cluster", "clusters")) for \(Format.count(labels.count, "document", "documents"))"
                             + (noiseCode != nil ? " outside the noise label" : ""),
                             hint: "with truth=FIELD the external indices are computed for any number of clusters")
        }
        // Refuse what would not fit before the long silhouette runs.
        let truth = request.truth?.interned()
        if let truthField = request.truth, let truth {
            try session.requireContingencyMemory(truthValues: truth.names.count, truthName: truthField.name, clusters: k,
                                                 at: request.truthRange)
        }
        var scores: [ClusteringIndex: Double] = [:]
        var estimate: SilhouetteEstimate? = nil
        let sampled = scoresInternal && request.silhouette && request.sample.map { $0 < labels.count } ?? false
        if scoresInternal {
            let vectors = try vectorColumn(in: d, named: c.vectorField, range: nil)
            let x = internalRows.count == d.count ? vectors.embeddings : vectors.embeddings.rows(internalRows)
            if request.silhouette, !sampled {
                try session.requireSilhouetteMemory(documents: labels.count, dimension: x.dimension, clusters: k,
                                                    metric: request.metric)
            }
            (scores, estimate) = try internalIndices(x, labels: labels, metric: request.metric, silhouette: request.silhouette,
                                                     sample: sampled ? request.sample : nil, seed: request.seed)
        }

        var missingTruth = 0
        if let truthField = request.truth, let truth {
            var truthCodes: [Int] = [], predicted: [Int] = []
            for i in scoredRows {
                let code = truth.codes[i]
                if code < 0 { missingTruth += 1; continue }
                truthCodes.append(code)
                predicted.append(c.labels[i])
            }
            guard !truthCodes.isEmpty else {
                throw Diagnostic("no labelled document has a value for \(truthField.name)", at: request.truthRange)
            }
            let table = ContingencyTable(truth: truthCodes, predicted: predicted)
            scores[.adjustedRandIndex] = adjustedRandIndex(table)
            scores[.randIndex] = randIndex(table)
            scores[.normalizedMutualInfo] = normalizedMutualInformation(table, average: request.average)
            scores[.adjustedMutualInfo] = adjustedMutualInformation(table, average: request.average)
            scores[.homogeneity] = homogeneity(table)
            scores[.completeness] = completeness(table)
            scores[.vMeasure] = vMeasure(table, beta: request.beta)
            scores[.fowlkesMallows] = fowlkesMallows(table)
            scores[.purity] = purity(table)
        }
        let scoredK = distinctCount(scoredRows.lazy.map { c.labels[$0] }, below: c.k)
        return MetricsResult(
            name: ClusteringName(c, of: d), truth: request.truth?.name, truthNoun: request.truth.map(truthValueNoun), n: scoredRows.count, k: scoredK,
            metric: request.metric, internalComputed: scoresInternal, silhouetteComputed: scoresInternal && request.silhouette, estimate: estimate,
            sampleCoveringAll: scoresInternal && request.silhouette && !sampled ? request.sample : nil, scores: scores,
            average: request.average, beta: request.beta, missingTruth: missingTruth,
            noise: NoiseLeftOut(choice: request.noise, count: noiseCode.map { code in c.labels.count { $0 == code } }),
            suspectedNoise: noiseCode == nil && request.noise != .off ? c.clusterNames.first(where: looksLikeNoise) : nil,
            unlabelled: c.labels.count { $0 < 0 },
            withoutVector: vectorsIfAny.map { v in MetricsResult.LeftOut(v, labels: c.labels) })
    }

    /// Silhouette (exact, or estimated from a stratified sample of `sample`
    /// documents drawn with `seed`), Calinski-Harabasz and Davies-Bouldin:
    /// what `metrics` and each row of `sweep` compute.
    func internalIndices(_ x: Embeddings, labels: [Int], metric: DistanceMetric, silhouette: Bool = true,
                         sample: Int?, seed: UInt64) throws -> (scores: [ClusteringIndex: Double], estimate: SilhouetteEstimate?) {
        var scores: [ClusteringIndex: Double] = [:]
        var estimate: SilhouetteEstimate? = nil
        if silhouette, let sample {
            var rng = SeededGenerator(seed: seed)
            let e = try session.withProgress("silhouette of a \(Format.count(sample))-document sample", unit: .iterations) { progress in
                try sampledSilhouette(x, labels: labels, sampleSize: sample, metric: metric, using: &rng,
                                      parallelism: session.parallelism, cancellation: session.cancellation, progress: progress)
            }
            estimate = e
            scores[.silhouette] = e.value
        } else if silhouette {
            scores[.silhouette] = try session.withProgress("silhouette of \(Format.count(labels.count)) documents", unit: .iterations) { progress in
                try silhouetteScore(x, labels: labels, metric: metric, parallelism: session.parallelism,
                                    cancellation: session.cancellation, progress: progress)
            }
        }
        try session.cancellation.check()
        let centroid = try centroidIndices(x, labels: labels, parallelism: session.parallelism, cancellation: session.cancellation)
        scores[.calinskiHarabasz] = centroid.calinskiHarabasz
        scores[.daviesBouldin] = centroid.daviesBouldin
        return (scores, estimate)
    }
}

/// How many distinct cluster codes (0 ..< k) `labels` holds: a table of k
/// flags instead of a hash set of 10⁷ labels.
private func distinctCount<S: Sequence<Int>>(_ labels: S, below k: Int) -> Int {
    var seen = [Bool](repeating: false, count: k)
    for l in labels { seen[l] = true }
    return seen.count { $0 }
}

/// Cluster names that tools use for outliers: -1 (HDBSCAN, DBSCAN), noise.
private func looksLikeNoise(_ name: String) -> Bool {
    let lower = name.lowercased()
    return lower == "-1" || lower.hasSuffix("_-1") || lower == "noise" || lower == "outlier" || lower == "outliers"
}
