import ClusCore
import ClusData

extension Interpreter {
    /// The silhouettes of the alias the arguments name: every labelled
    /// document's, or with `sample=N` those of a stratified sample (each
    /// scored exactly against all documents) with the estimate of the mean.
    func documentSilhouettes(_ arguments: BoundArguments) throws -> DocumentSilhouettes {
        let d = try session.currentDataset()
        let c = try clustering(in: d, arguments)
        let vectors = try vectorColumn(in: d, named: c.vectorField, range: arguments.range(of: "field"))
        if vectors.missingCount > 0 {
            throw Diagnostic("\(Format.count(vectors.missingCount)) documents have no \(vectors.name); the silhouette needs every document's vector")
        }
        let labelled = c.labels.indices.filter { c.labels[$0] >= 0 }
        let allLabels = labelled.map { c.labels[$0] }
        let x = labelled.count == d.count ? vectors.embeddings : vectors.embeddings.rows(labelled)
        let k = Set(allLabels).count
        guard k >= 2, k <= allLabels.count - 1 else {
            throw Diagnostic("the silhouette needs 2 to n-1 clusters; \(c.alias) has \(k) for \(Format.count(allLabels.count)) documents")
        }
        let metric = arguments.text("metric").flatMap(DistanceMetric.init(rawValue:)) ?? session.settings.metric
        let sampleSize = try arguments.integer("sample", atLeast: 2) ?? session.settings.sample
        if arguments.has("seed"), sampleSize == nil {
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
                                       samples: values, metric: metric, clusterSizes: sizes, estimate: sample.estimate(values))
        }
        try session.requireSilhouetteMemory(documents: allLabels.count, dimension: x.dimension, clusters: k)
        let samples = try session.withProgress("silhouette of \(Format.count(allLabels.count)) documents", unit: .iterations) { progress in
            try silhouetteSamples(x, labels: allLabels, metric: metric, parallelism: session.parallelism,
                                  cancellation: session.cancellation, progress: progress)
        }
        return DocumentSilhouettes(clustering: c, rows: labelled, labels: allLabels, samples: samples, metric: metric,
                                   clusterSizes: sizes, estimate: nil)
    }

    func silhouette(_ arguments: BoundArguments) throws -> CommandResult {
        let d = try session.currentDataset()
        let scored = try documentSilhouettes(arguments)
        let (c, rows, labels, samples) = (scored.clustering, scored.rows, scored.labels, scored.samples)
        let k = Set(labels).count
        // a sample's mean weighs each cluster by its size, not by its share of the sample
        let mean = scored.estimate?.value ?? samples.reduce(0, +) / Double(samples.count)

        var byCluster = [[Double]](repeating: [], count: c.k)
        for (i, s) in samples.enumerated() { byCluster[labels[i]].append(s) }
        let order = naturalOrder(c.clusterNames).filter { !byCluster[$0].isEmpty }
        let by = arguments.text("by") ?? "cluster"
        var blocks: [LegacyBlock] = []
        var table = TextTable(columns: [.init("cluster"), .init("size", .right)]
                              + (scored.estimate != nil ? [.init("sampled", .right)] : [])
                              + [.init("mean", .right), .init("min", .right), .init("max", .right), .init("negative", .right)])
        var clustersJSON: [JSONValue] = []
        for cluster in order {
            let values = byCluster[cluster]
            let clusterMean = values.reduce(0, +) / Double(values.count)
            let negative = Double(values.count { $0 < 0 }) / Double(values.count)
            table.rows.append([c.clusterNames[cluster], Format.count(scored.clusterSizes[cluster])]
                              + (scored.estimate != nil ? [Format.count(values.count)] : [])
                              + [Format.fixed(clusterMean, 4), Format.fixed(values.min() ?? 0, 4), Format.fixed(values.max() ?? 0, 4),
                                 Format.percent(negative)])
            clustersJSON.append(.object([
                JSONMember("cluster", .string(c.clusterNames[cluster])), JSONMember("size", .int(scored.clusterSizes[cluster])),
                JSONMember("sampled", scored.estimate != nil ? .int(values.count) : .null),
                JSONMember("mean", .double(clusterMean)), JSONMember("min", .number(values.min())),
                JSONMember("max", .number(values.max())), JSONMember("negative_fraction", .double(negative)),
            ]))
        }
        if let e = scored.estimate {
            table.footer.append("\(c.alias) on \(c.vectorField), \(scored.metric.rawValue): mean silhouette \(Format.fixed(e.value, 4)) ± \(Format.fixed(e.halfWidth, 4)) "
                                + "(95% CI, \(Format.count(e.sampled)) of \(Format.count(e.population)) sampled; \(Reading.silhouette(mean)))")
            table.footer.append("per-cluster columns describe the sampled documents, each scored against all documents")
        } else {
            table.footer.append("\(c.alias) on \(c.vectorField), \(scored.metric.rawValue): mean silhouette \(Format.fixed(mean, 4)) over \(Format.count(samples.count)) documents (\(Reading.silhouette(mean)))")
        }
        var values: [JSONMember] = [
            JSONMember("dataset", .string(d.name)), JSONMember("vector_field", .string(c.vectorField)),
            JSONMember("alias", .string(c.alias)), JSONMember("n", .int(scored.clusterSizes.reduce(0, +))), JSONMember("k", .int(k)),
            JSONMember("metric", .string(scored.metric.rawValue)),
            JSONMember("silhouette", .double(mean)),
            JSONMember("silhouette_ci_low", .number(scored.estimate?.low)),
            JSONMember("silhouette_ci_high", .number(scored.estimate?.high)),
            JSONMember("sample", scored.estimate.map { .int($0.sampled) } ?? .null),
            JSONMember("clusters", .array(clustersJSON)),
        ]
        if by == "sample" {
            // the documents that sit worst in their cluster first
            let n = try arguments.integer("n", atLeast: 1) ?? 10
            let worst = samples.indices.sorted { (samples[$0], $0) < (samples[$1], $1) }.prefix(n)
            let ids = d.field(named: "_id")
            var sampleTable = TextTable(columns: [.init("document", .right), .init("_id"), .init("cluster"), .init("silhouette", .right)])
            for i in worst {
                sampleTable.rows.append([String(rows[i]), ids?.values[rows[i]]?.description ?? "", c.clusterNames[labels[i]], Format.fixed(samples[i], 4)])
            }
            sampleTable.footer.append("the \(worst.count) documents with the lowest silhouette of \(Format.count(samples.count))"
                                      + (scored.estimate != nil ? " sampled" : ""))
            blocks.append(.table(sampleTable))
            values.append(JSONMember("samples", .array(samples.indices.map { i in
                .object([JSONMember("document", .int(rows[i])), JSONMember("cluster", .string(c.clusterNames[labels[i]])),
                         JSONMember("silhouette", .double(samples[i]))])
            })))
        } else {
            blocks.append(.table(table))
        }
        if arguments.has("plot") || arguments.positionals.contains(where: { $0.value == .text("plot") }) {
            blocks.append(.text(silhouettePlot(byCluster: byCluster, order: order, names: c.clusterNames, mean: mean)))
        }
        return CommandResult(command: "silhouette", values: values, blocks: blocks)
    }

    /// The classic silhouette plot in block characters: one band per cluster,
    /// its documents sorted from the best down, the mean as a dotted line.
    func silhouettePlot(byCluster: [[Double]], order: [Int], names: [String], mean: Double) -> String {
        let total = order.reduce(0) { $0 + byCluster[$1].count }
        let labelWidth = min(16, order.map { names[$0].count }.max() ?? 8)
        let width = max(20, session.settings.width - labelWidth - 3)
        let low = min(0, byCluster.joined().min() ?? 0)
        let span = 1 - low
        let zeroColumn = Int((0 - low) / span * Double(width))
        let meanColumn = Int((mean - low) / span * Double(width))
        let budget = max(order.count * 2, min(40, total))  // rows for the whole plot
        var lines: [String] = []
        for cluster in order {
            let sorted = byCluster[cluster].sorted(by: >)
            let bandRows = max(2, Int((Double(sorted.count) / Double(total) * Double(budget)).rounded()))
            for r in 0 ..< bandRows {
                // each row shows the quantile of the cluster's sorted values it covers
                let value = sorted[min(sorted.count - 1, r * sorted.count / bandRows)]
                let column = Int((value - low) / span * Double(width))
                var cells = [Character](repeating: " ", count: width + 1)
                let from = min(column, zeroColumn), to = max(column, zeroColumn)
                for i in from ..< to { cells[i] = value >= 0 ? "█" : "▒" }
                cells[zeroColumn] = "│"
                if meanColumn >= 0, meanColumn <= width, cells[meanColumn] == " " { cells[meanColumn] = "┊" }
                let label = r == 0 ? String(names[cluster].prefix(labelWidth)) : ""
                lines.append(label.padding(labelWidth) + " " + String(cells))
            }
        }
        var axis = [Character](repeating: "─", count: width + 1)
        axis[zeroColumn] = "┴"
        lines.append(String(repeating: " ", count: labelWidth + 1) + String(axis))
        let minLabel = Format.fixed(low, 1), meanLabel = "mean \(Format.fixed(mean, 3))"
        var scale = [Character](repeating: " ", count: width + 12)
        func put(_ text: String, at column: Int) {
            for (i, ch) in text.enumerated() where column + i >= 0 && column + i < scale.count { scale[column + i] = ch }
        }
        if low < 0, zeroColumn > minLabel.count + 1 { put(minLabel, at: 0) }  // no label crammed against "0"
        put("0", at: zeroColumn)
        put(meanLabel, at: max(zeroColumn + 2, meanColumn - meanLabel.count / 2))
        put("1", at: width)
        lines.append(String(repeating: " ", count: labelWidth + 1) + String(scale).trimmingTrailingSpaces)
        return lines.map(\.trimmingTrailingSpaces).joined(separator: "\n")
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
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
