import ClusCore
import ClusData

extension Interpreter {
    /// The silhouettes of the alias the arguments name: every labelled
    /// document's, or with `sample=N` those of a stratified sample (each
    /// scored exactly against all documents) with the estimate of the mean.
    /// `largeSample`: the sample drawn when none is asked for and the exact
    /// silhouette would grow as n² over more than 20,000 documents.
    func documentSilhouettes(_ arguments: BoundArguments, largeSample: Int? = nil) throws -> DocumentSilhouettes {
        let d = try session.currentDataset()
        let c = try clustering(in: d, arguments)
        let vectors = try vectorColumn(in: d, named: c.vectorField, range: arguments.range(of: "field"))
        let noise = scoringNoise(arguments, for: c)
        let noiseCode = c.code(ofNoise: noise.name)
        // documents without a usable vector are left out, and counted
        let labelled = c.labels.indices.filter { c.labels[$0] >= 0 && c.labels[$0] != noiseCode && vectors.present[$0] }
        let allLabels = labelled.map { c.labels[$0] }
        let x = labelled.count == d.count ? vectors.embeddings : vectors.embeddings.rows(labelled)
        let k = Set(allLabels).count
        guard k >= 2, k <= allLabels.count - 1 else {
            throw Diagnostic("the silhouette needs 2 to n-1 clusters; \(c.alias) has \(k) for \(Format.count(allLabels.count, "document", "documents"))")
        }
        let metric = scoringMetric(arguments, for: c)
        let left = NoiseLeftOut(choice: noise, count: noiseCode.map { code in c.labels.count { $0 == code } })
        var sampleSize = try arguments.integer("sample", atLeast: 2) ?? session.settings.sample
        if sampleSize == nil, let largeSample, allLabels.count > 20_000, metric == .euclidean || metric == .manhattan {
            sampleSize = largeSample
        }
        if arguments.has("seed"), sampleSize == nil, largeSample == nil {
            throw Diagnostic("seed= draws the sample of sample=N; give sample=N too", at: arguments.range(of: "seed"))
        }
        var sizes = [Int](repeating: 0, count: c.k)
        for label in allLabels { sizes[label] += 1 }
        if let sampleSize, sampleSize < allLabels.count {
            let seed = try arguments.integer("seed", atLeast: 0).map(UInt64.init) ?? session.settings.seed
            var rng = SeededGenerator(seed: seed)
            let sample = StratifiedSample(labels: allLabels, size: sampleSize, using: &rng)
            let points = sample.indices
            let values = try session.withProgress("silhouette of a \(Format.count(points.count))-document sample", unit: .iterations) { progress in
                try silhouetteSamples(x, labels: allLabels, of: points, metric: metric,
                                      parallelism: session.parallelism, cancellation: session.cancellation, progress: progress)
            }
            return DocumentSilhouettes(clustering: c, rows: points.map { labelled[$0] }, labels: points.map { allLabels[$0] },
                                       samples: values, metric: metric, clusterSizes: sizes, estimate: sample.estimate(values), noise: left,
                                       withoutVector: WithoutVector(vectors))
        }
        try session.requireSilhouetteMemory(documents: allLabels.count, dimension: x.dimension, clusters: k, metric: metric)
        let samples = try session.withProgress("silhouette of \(Format.count(allLabels.count)) documents", unit: .iterations) { progress in
            try silhouetteSamples(x, labels: allLabels, metric: metric, parallelism: session.parallelism,
                                  cancellation: session.cancellation, progress: progress)
        }
        return DocumentSilhouettes(clustering: c, rows: labelled, labels: allLabels, samples: samples, metric: metric,
                                   clusterSizes: sizes, estimate: nil, noise: left, withoutVector: WithoutVector(vectors))
    }

    /// `silhouette`: per cluster, or the lowest documents with `by=sample`, and the text plot.
    func silhouette(_ arguments: BoundArguments) throws -> SilhouetteResult {
        let d = try session.currentDataset()
        let scored = try documentSilhouettes(arguments)
        let c = scored.clustering
        let bands = scored.bands
        let clusters = bands.map { band in
            SilhouetteResult.Cluster(name: band.name, size: scored.clusterSizes[band.cluster], scored: band.values.count,
                                     mean: band.values.reduce(0, +) / Double(band.values.count),
                                     min: band.values.min() ?? 0, max: band.values.max() ?? 0,
                                     negativeFraction: Double(band.values.count { $0 < 0 }) / Double(band.values.count))
        }
        var documents: [SilhouetteResult.Document]? = nil
        var lowest: [SilhouetteResult.Lowest] = []
        if arguments.text("by") == "sample" {
            let all = scored.samples.indices.map {
                SilhouetteResult.Document(row: scored.rows[$0], cluster: scored.labels[$0], silhouette: scored.samples[$0])
            }
            // the documents that sit worst in their cluster first
            let n = try arguments.integer("n", atLeast: 1) ?? 10
            let ids = d.field(named: "_id")
            lowest = all.indices.sorted { (all[$0].silhouette, $0) < (all[$1].silhouette, $1) }.prefix(n).map {
                SilhouetteResult.Lowest(document: all[$0], id: ids?.values[all[$0].row]?.description ?? "")
            }
            documents = all
        }
        let drawsPlot = arguments.has("plot") || arguments.positionals.contains(where: { $0.value == .text("plot") })
        return SilhouetteResult(
            name: ClusteringName(c, of: d), n: scored.clusterSizes.reduce(0, +), k: Set(scored.labels).count,
            metric: scored.metric, mean: scored.mean, estimate: scored.estimate, clusters: clusters, clusterNames: c.clusterNames,
            documents: documents, lowest: lowest,
            plot: drawsPlot ? SilhouettePlot(bands: bands.map { ($0.name, $0.values) }, mean: scored.mean, width: session.settings.width) : nil,
            noise: scored.noise, withoutVector: scored.withoutVector)
    }
}

/// What `documentSilhouettes` computed.
struct DocumentSilhouettes {
    let clustering: Clustering
    /// Document (row) of each value.
    let rows: [Int]
    /// Cluster code of each value.
    let labels: [Int]
    /// Silhouette of each document scored.
    let samples: [Double]
    let metric: DistanceMetric
    /// Labelled documents per cluster code (all of them, sampled or not).
    let clusterSizes: [Int]
    /// Set when the values are a stratified sample.
    let estimate: SilhouetteEstimate?
    /// The noise label left out, if any.
    let noise: NoiseLeftOut
    /// Documents left out for lacking a usable vector.
    let withoutVector: WithoutVector

    /// The mean silhouette; a sample's weighs each cluster by its size, not by
    /// its share of the sample.
    var mean: Double { estimate?.value ?? samples.reduce(0, +) / Double(samples.count) }

    /// Each cluster with scored documents, in natural order of the names:
    /// its code, name and silhouettes, for the tables and plots.
    var bands: [(cluster: Int, name: String, values: [Double])] {
        var byCluster = [[Double]](repeating: [], count: clustering.k)
        for (i, s) in samples.enumerated() { byCluster[labels[i]].append(s) }
        return naturalOrder(clustering.clusterNames).filter { !byCluster[$0].isEmpty }
            .map { ($0, clustering.clusterNames[$0], byCluster[$0]) }
    }
}

extension String {
    func padding(_ width: Int) -> String { displayWidth >= width ? self : self + String(repeating: " ", count: width - displayWidth) }
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
