import ClusCore
import ClusData

/// The charts `plot` draws.
enum ChartKind: String, CaseIterable, Sendable {
    case silhouette, distribution, sweep, compare, map, distances
}

extension Interpreter {
    /// `plot KIND into "file.svg"`: the chart as a standalone SVG file.
    func plot(_ arguments: BoundArguments) throws -> StatusOutput {
        guard let kind = arguments.text(at: 0).flatMap(ChartKind.init(rawValue:)), let path = arguments.text(at: 1) else {
            throw Diagnostic("plot needs a kind and a file")
        }
        let drawing = try chartDrawing(kind, arguments)
        try writeFile(drawing.svg + "\n", to: path, at: arguments.positionals[1].range)
        return StatusOutput(command: "plot", jsonMembers: [JSONMember("kind", .string(kind.rawValue)), JSONMember("path", .string(path)),
                                                           JSONMember("bytes", .int(drawing.svg.utf8.count + 1))]
                                + drawing.jsonMembers + [JSONMember("notes", .array(drawing.notes.map { .string($0) }))],
                            lines: ["wrote the \(kind.rawValue) chart to \(path)"] + drawing.notes)
    }

    /// A chart and the notes on how it was drawn.
    func chartDrawing(_ kind: ChartKind, _ arguments: BoundArguments) throws -> ChartDrawing {
        switch kind {
        case .map: try mapChart(arguments)
        case .distances: try distancesChart(arguments)
        default: ChartDrawing(svg: try chart(kind, arguments))
        }
    }

    /// The SVG of one chart kind, from the current dataset or the last result.
    func chart(_ kind: ChartKind, _ arguments: BoundArguments) throws -> String {
        switch kind {
        case .silhouette:
            let scored = try documentSilhouettes(arguments)
            return Charts.silhouette(byCluster: scored.bands.map { ($0.name, $0.values) }, mean: scored.mean,
                                     title: "Silhouette of \(scored.clustering.alias) on \(scored.clustering.vectorField) (\(scored.metric.rawValue))")
        case .distribution:
            let d = try session.currentDataset()
            let c = try clustering(in: d, arguments)
            let truth = try truthColumn(in: d, arguments)
            return distributionChart(try distribution(of: c, truth: truth, truthRange: arguments.range(of: "truth"), top: 0, in: d))
        case .sweep:
            guard let sweep = session.lastResults["sweep"]?.output as? SweepResult else {
                throw Diagnostic("no sweep to plot yet", hint: "run 'sweep k=2..10' first")
            }
            return sweepChart(sweep)
        case .compare:
            guard let compare = session.lastResults["compare"]?.output as? CompareResult else {
                throw Diagnostic("no comparison to plot yet", hint: "run 'compare A B' first")
            }
            return Charts.compare(rows: compare.rows, columns: compare.columns, counts: compare.counts, rowTitle: compare.a,
                                  columnTitle: compare.b, title: "\(compare.a) against \(compare.b), matched clusters on the diagonal")
        case .map:
            return try mapChart(arguments).svg
        case .distances:
            return try distancesChart(arguments).svg
        }
    }

    /// Cluster sizes as bars, split by every truth value the clusters hold.
    private func distributionChart(_ result: DistributionResult) -> String {
        let bars = result.clusters.map { cluster in
            (name: cluster.name, size: cluster.size, segments: cluster.truthValues.map { (value: $0.name, count: $0.count) })
        }
        return Charts.distribution(clusters: bars, truthName: result.truth,
                                   title: "Documents per cluster of \(result.name.alias)" + (result.truth.map { " by \($0)" } ?? ""))
    }

    /// Inertia with its elbow, and the indices with the best k of each.
    private func sweepChart(_ sweep: SweepResult) -> String {
        let names: [ClusteringIndex: String] = [.silhouette: "silhouette", .daviesBouldin: "Davies-Bouldin (lower is better)"]
        let withTruth = sweep.rows.contains { $0.adjustedRandIndex != nil }
        let series = SweepResult.indices.filter { withTruth || !ClusteringIndex.external.contains($0) }.map { index in
            (name: names[index] ?? index.label, values: sweep.rows.map { $0.value(of: index) }, best: sweep.best(index))
        }
        return Charts.sweep(ks: sweep.rows.map(\.value), inertia: sweep.rows.map(\.inertia),
                            objective: sweep.spherical ? "cosine objective" : "inertia", series: series, elbow: sweep.elbow,
                            swept: sweep.parameter, title: "\(sweep.method) sweep on \(sweep.vectorField), \(sweep.metric)")
    }

    /// `report into "report.html"`: one self-contained page with the dataset,
    /// the distribution, the metrics with their readings and the charts.
    func report(_ arguments: BoundArguments) throws -> StatusOutput {
        guard let path = arguments.text(at: 0) else { throw Diagnostic("report needs a file") }
        let d = try session.currentDataset()
        let c = try clustering(in: d, arguments)
        let truth = try truthColumn(in: d, arguments)
        let settings = session.settings
        var sections: [(String, [Block])] = []
        sections.append(("Dataset", try schema().blocks))
        let distribution = try distribution(of: c, truth: truth, truthRange: arguments.range(of: "truth"), top: settings.top, in: d)
        sections.append(("Distribution over the clusters of \(c.alias)", distribution.blocks))
        let request = MetricsRequest(clustering: c, truth: truth, truthRange: arguments.range(of: "truth"),
                                     metric: scoringMetric(arguments, for: c), sample: settings.sample, seed: settings.seed,
                                     noise: scoringNoise(arguments, for: c))
        sections.append(("Metrics", try metrics(request, in: d).blocks))
        var charts: [(String, String)] = []
        charts.append(("The silhouette plot", try chart(.silhouette, arguments)))
        // the chart splits each bar by every truth value, not only the top ones
        charts.append(("Documents per cluster", distributionChart(distribution)))
        if session.lastResults["sweep"] != nil { charts.append(("The sweep over k", try chart(.sweep, arguments))) }
        if session.lastResults["compare"] != nil { charts.append(("The last comparison", try chart(.compare, arguments))) }
        let html = HTMLReport.page(title: "clus report: \(d.name), \(c.alias)" + (truth.map { " against \($0.name)" } ?? ""),
                                   sections: sections, charts: charts)
        try writeFile(html, to: path, at: arguments.positionals[0].range)
        return StatusOutput(command: "report", jsonMembers: [JSONMember("path", .string(path)), JSONMember("bytes", .int(html.utf8.count)),
                                                             JSONMember("charts", .int(charts.count))],
                            lines: ["wrote the report to \(path) (\(charts.count) charts)"])
    }
}
