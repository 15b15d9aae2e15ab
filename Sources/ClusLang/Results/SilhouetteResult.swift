import ClusCore

/// What `silhouette` computed: per cluster the spread of its documents'
/// silhouettes, with `by=sample` every document's, with `plot` the values the
/// text plot is drawn from.
struct SilhouetteResult: CommandOutput {
    /// One cluster's silhouettes (of its sampled documents with `sample=`).
    struct Cluster: Sendable {
        let name: String
        /// Its labelled documents.
        let size: Int
        /// Its documents scored.
        let scored: Int
        let mean: Double
        let min: Double
        let max: Double
        /// Share of the scored documents closer to another cluster.
        let negativeFraction: Double
    }

    /// One document scored.
    struct Document: Sendable {
        /// Row of the document in the dataset.
        let row: Int
        /// Index of its cluster in `clusterNames`.
        let cluster: Int
        let silhouette: Double
    }

    /// A document among the lowest, with its `_id` for people.
    struct Lowest: Sendable {
        let document: Document
        let id: String
    }

    let command = "silhouette"
    /// The clustering scored.
    let name: ClusteringName
    /// Labelled documents.
    let n: Int
    /// Clusters with labelled documents.
    let k: Int
    let metric: DistanceMetric
    /// The mean silhouette; a sample's weighs each cluster by its size.
    let mean: Double
    /// Set when the documents scored are a stratified sample.
    let estimate: SilhouetteEstimate?
    /// In natural order of their names.
    let clusters: [Cluster]
    /// The alias's cluster names, by code.
    let clusterNames: [String]
    /// `by=sample`: every document scored (in json) and the lowest of them (in tables).
    let documents: [Document]?
    let lowest: [Lowest]
    /// `plot`: the values of the text plot.
    let plot: SilhouettePlot?
    /// The noise label left out.
    let noise: NoiseLeftOut
    /// Documents left out for lacking a usable vector.
    let withoutVector: WithoutVector

    var notes: [String] {
        withoutVector.count == 0 ? [] : ["\(withoutVector.phrase("is", "are")) left out"]
    }

    var jsonMembers: [JSONMember] {
        var members: [JSONMember] = name.jsonMembers + [
            JSONMember("n", .int(n)), JSONMember("k", .int(k)),
            JSONMember("metric", .string(metric.rawValue)),
            JSONMember("silhouette", .double(mean)),
            JSONMember("silhouette_ci_low", .number(estimate?.low)),
            JSONMember("silhouette_ci_high", .number(estimate?.high)),
            JSONMember("sample", estimate.map { .int($0.sampled) } ?? .null),
            withoutVector.jsonMember,
            JSONMember("clusters", .array(clusters.map { cluster in
                .object([
                    JSONMember("cluster", .string(cluster.name)), JSONMember("size", .int(cluster.size)),
                    JSONMember("sampled", estimate != nil ? .int(cluster.scored) : .null),
                    JSONMember("mean", .double(cluster.mean)), JSONMember("min", .number(cluster.min)),
                    JSONMember("max", .number(cluster.max)), JSONMember("negative_fraction", .double(cluster.negativeFraction)),
                ])
            })),
        ]
        if let documents {
            members.append(JSONMember("samples", .array(documents.map { document in
                .object([JSONMember("document", .int(document.row)), JSONMember("cluster", .string(clusterNames[document.cluster])),
                         JSONMember("silhouette", .double(document.silhouette))])
            })))
        }
        return members
    }

    var blocks: [Block] {
        var blocks: [Block] = [.table(documents == nil ? clusterTable : lowestTable)]
        if let plot { blocks.append(.text(plot.drawn)) }
        return blocks
    }

    private var clusterTable: Table {
        let sampled = estimate != nil
        var table = Table(columns: [Table.Column("cluster"), .number("size")] + (sampled ? [.number("sampled")] : [])
                          + [.number("mean"), .number("min"), .number("max"), .number("negative", key: "negative_fraction")])
        for cluster in clusters {
            table.append([.text(cluster.name), .count(cluster.size)] + (sampled ? [.count(cluster.scored)] : [])
                         + [.fixed(cluster.mean, digits: 4), .fixed(cluster.min, digits: 4), .fixed(cluster.max, digits: 4),
                            .share(cluster.negativeFraction)])
        }
        if let e = estimate {
            table.footer = [
                "\(name.title), \(metric.rawValue): mean silhouette \(Format.fixed(e.value, 4)) ± \(Format.fixed(e.halfWidth, 4)) "
                    + "(95% CI, \(Format.count(e.sampled)) of \(Format.count(e.population)) sampled; \(Reading.silhouette(mean)))",
                "per-cluster columns describe the sampled documents, each scored against all documents",
            ]
        } else {
            let scored = clusters.reduce(0) { $0 + $1.scored }
            table.footer = ["\(name.title), \(metric.rawValue): mean silhouette \(Format.fixed(mean, 4)) over \(Format.count(scored, "document", "documents")) (\(Reading.silhouette(mean)))"]
        }
        if let note = noise.note(alias: name.alias) { table.footer.append(note) }
        table.footer += notes
        return table
    }

    /// The documents that sit worst in their cluster, the lowest first.
    private var lowestTable: Table {
        var table = Table(columns: [.number("document"), Table.Column("_id", key: "_id"), Table.Column("cluster"), .number("silhouette")])
        for lowest in lowest {
            // a row number, not a count: never grouped
            table.append([.text(String(lowest.document.row)), .text(lowest.id), .text(clusterNames[lowest.document.cluster]),
                          .fixed(lowest.document.silhouette, digits: 4)])
        }
        table.footer = ["the \(Format.count(lowest.count, "document", "documents")) with the lowest silhouette of \(Format.count(documents?.count ?? 0))"
                        + (estimate != nil ? " sampled" : "")] + notes
        return table
    }
}

/// The classic silhouette plot in block characters: one band per cluster,
/// its documents sorted from the best down, the mean as a dotted line.
struct SilhouettePlot: Sendable {
    /// Per cluster (in natural order) its documents' silhouettes.
    let bands: [(name: String, values: [Double])]
    let mean: Double
    /// Columns of the terminal (`set width`).
    let width: Int

    /// The plot's lines, drawn when the result is shown.
    var drawn: String {
        let total = bands.reduce(0) { $0 + $1.values.count }
        let labelWidth = min(16, bands.map(\.name.count).max() ?? 8)
        let width = max(20, self.width - labelWidth - 3)
        let low = min(0, bands.flatMap(\.values).min() ?? 0)
        let span = 1 - low
        let zeroColumn = Int((0 - low) / span * Double(width))
        let meanColumn = Int((mean - low) / span * Double(width))
        let budget = max(bands.count * 2, min(40, total))  // rows for the whole plot
        var lines: [String] = []
        for band in bands {
            let sorted = band.values.sorted(by: >)
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
                let label = r == 0 ? String(band.name.prefix(labelWidth)) : ""
                lines.append(label.padding(labelWidth) + " " + String(cells))
            }
        }
        lines += axis(labelWidth: labelWidth, width: width, low: low, zeroColumn: zeroColumn, meanColumn: meanColumn)
        return lines.map(\.trimmingTrailingSpaces).joined(separator: "\n")
    }

    /// The axis line and its scale: the lowest value, 0, the mean and 1.
    private func axis(labelWidth: Int, width: Int, low: Double, zeroColumn: Int, meanColumn: Int) -> [String] {
        var axis = [Character](repeating: "─", count: width + 1)
        axis[zeroColumn] = "┴"
        let minLabel = Format.fixed(low, 1), meanLabel = "mean \(Format.fixed(mean, 3))"
        var scale = [Character](repeating: " ", count: width + 12)
        func put(_ text: String, at column: Int) {
            for (i, ch) in text.enumerated() where column + i >= 0 && column + i < scale.count { scale[column + i] = ch }
        }
        if low < 0, zeroColumn > minLabel.count + 1 { put(minLabel, at: 0) }  // no label crammed against "0"
        put("0", at: zeroColumn)
        put(meanLabel, at: max(zeroColumn + 2, meanColumn - meanLabel.count / 2))
        put("1", at: width)
        let indent = String(repeating: " ", count: labelWidth + 1)
        return [indent + String(axis), indent + String(scale).trimmingTrailingSpaces]
    }
}
