/// A name with a document count: a truth value within a cluster, or a
/// cluster within a truth value.
struct NamedCount: Sendable {
    let name: String
    let count: Int
}

extension Table {
    /// One group of a distribution (a cluster and its truth values, or a
    /// truth value and its clusters): the group's cells on its first row
    /// (repeated on the others for CSV), each listed member with its count,
    /// its share of `total` and a bar, then the rest summed up as "other (N)".
    mutating func appendGroup(_ groupCells: [Cell], listed: ArraySlice<NamedCount>, rest: ArraySlice<NamedCount>, of total: Int) {
        for (j, member) in listed.enumerated() {
            let fraction = Double(member.count) / Double(total)
            append((j == 0 ? groupCells : groupCells.map(Cell.continued))
                   + [.text(member.name), .count(member.count), .share(fraction), .bar(fraction, width: 10)])
        }
        guard !rest.isEmpty else { return }
        let count = rest.reduce(0) { $0 + $1.count }
        let fraction = Double(count) / Double(total)
        appendSummary(groupCells.map { _ in .empty } + [.text("other (\(rest.count))"), .count(count), .share(fraction),
                                                         .bar(fraction, width: 10)])
    }
}

/// What `distribution` counted for one clustering: each cluster's size and,
/// with a truth field, its truth values from the most frequent down.
struct DistributionResult: CommandOutput {
    /// One cluster's documents.
    struct Cluster: Sendable {
        let name: String
        /// HDBSCAN's outliers (the cluster named -1): shown last, as noise.
        let isNoise: Bool
        let size: Int
        /// The truth values its documents carry, most frequent first (ties in
        /// the field's sorted order); empty without a truth field.
        let truthValues: [NamedCount]

        /// Documents that carry a truth value.
        var withTruth: Int { truthValues.reduce(0) { $0 + $1.count } }
        /// The share of them carrying the most frequent value; nil if none does.
        var purity: Double? { truthValues.first.map { Double($0.count) / Double(withTruth) } }
        /// The name in tables: noise says so.
        var label: String { isNoise ? "noise (\(name))" : name }
    }

    let command = "distribution"
    /// The clustering scored.
    let name: ClusteringName
    /// The truth field's name; nil without `truth=`.
    let truth: String?
    /// One value of the truth field, as the footer names it (`truthValueNoun`).
    let truthNoun: String?
    /// Clusters of the alias, counting the noise cluster (`clusterCount` does not).
    let k: Int
    /// In natural order of their names, noise last.
    let clusters: [Cluster]
    /// Truth values listed per cluster (0: all); the rest is summed up as "other".
    let top: Int
    /// Labelled documents without a truth value.
    let missingTruth: Int
    /// Documents without a label for the alias.
    let unlabelled: Int

    /// Clusters, HDBSCAN's noise not counted: k never counts noise.
    var clusterCount: Int { k - (clusters.contains(where: \.isNoise) ? 1 : 0) }

    /// Labelled documents.
    var n: Int { clusters.reduce(0) { $0 + $1.size } }

    private func share(_ cluster: Cluster) -> Double { n > 0 ? Double(cluster.size) / Double(n) : 0 }

    /// The truth values a cluster lists under `top=`.
    private func listed(_ cluster: Cluster) -> ArraySlice<NamedCount> {
        top == 0 ? cluster.truthValues[...] : cluster.truthValues.prefix(top)
    }

    var jsonMembers: [JSONMember] {
        let clustersJSON: [JSONValue] = clusters.map { cluster in
            var members = [JSONMember("cluster", .string(cluster.name)), JSONMember("size", .int(cluster.size)),
                           JSONMember("fraction", .double(share(cluster)))]
            if truth == nil { return .object(members + [JSONMember("truth", .null)]) }
            members.append(JSONMember("purity", .number(cluster.purity)))
            members.append(JSONMember("truth", .array(listed(cluster).map { value in
                .object([JSONMember("value", .string(value.name)), JSONMember("count", .int(value.count)),
                         JSONMember("fraction", .double(Double(value.count) / Double(cluster.withTruth)))])
            })))
            return .object(members)
        }
        return name.jsonMembers + [
            JSONMember("truth", .text(truth)),
            JSONMember("n", .int(n)),
            JSONMember("k", .int(clusterCount)),
            JSONMember("clusters", .array(clustersJSON)),
            JSONMember("missing_truth", truth == nil ? .null : .int(missingTruth)),
            JSONMember("unlabelled", .int(unlabelled)),
        ]
    }

    var blocks: [Block] {
        var table = truth.map(truthTable) ?? sizeTable
        table.footer = footer
        return [.table(table)]
    }

    /// One row per cluster: size, share and a bar against the largest.
    private var sizeTable: Table {
        var table = Table(columns: [Table.Column("cluster"), .number("size"), .number("share", key: "fraction"), .decoration()])
        let largest = max(clusters.map(\.size).max() ?? 1, 1)
        for cluster in clusters {
            table.append([.labelled(cluster.label, plain: cluster.name), .count(cluster.size), .share(share(cluster)),
                          .bar(Double(cluster.size) / Double(largest), width: 30)])
        }
        return table
    }

    /// One row per (cluster, listed truth value), the cluster's columns on its
    /// first row only for people; the unlisted values summed up as "other (N)".
    private func truthTable(_ truth: String) -> Table {
        var table = Table(columns: [Table.Column("cluster"), .number("size"), .number("share", key: "fraction"), .number("purity"),
                                    Table.Column(truth, key: truth), .number("count"), .number("share", key: "truth_fraction"),
                                    .decoration()])
        for cluster in clusters {
            let clusterCells: [Cell] = [.labelled(cluster.label, plain: cluster.name), .count(cluster.size), .share(share(cluster)),
                                        cluster.purity.map(Cell.share) ?? .empty]
            let listed = listed(cluster)
            table.appendGroup(clusterCells, listed: listed, rest: cluster.truthValues.dropFirst(listed.count), of: cluster.withTruth)
            if listed.isEmpty {
                // a record all the same, so that CSV keeps every cluster
                table.append(clusterCells + [.labelled("(no \(truth))", plain: ""), .empty, .empty, .empty])
            }
        }
        return table
    }

    private var footer: [String] {
        let noise = clusters.first(where: \.isNoise)
        var lines = ["\(name.title): \(Format.count(clusterCount, "cluster", "clusters")), \(Format.count(n, "document", "documents"))"
                     + (noise.map { ", \(Format.count($0.size)) of them noise" } ?? "")]
        if let truth {
            let scored = n - missingTruth
            if scored > 0 {
                let majorities = clusters.reduce(0) { $0 + ($1.truthValues.first?.count ?? 0) }
                lines.append("overall purity \(Format.percent(Double(majorities) / Double(scored))): share of documents carrying their cluster's most frequent \(truthNoun ?? truth)")
            }
            if missingTruth > 0 { lines.append("\(Format.count(missingTruth, "document without \(truth) is", "documents without \(truth) are")) left out of the truth columns") }
        }
        if unlabelled > 0 { lines.append("\(Format.count(unlabelled, "document has", "documents have")) no label for \(name.alias)") }
        return lines
    }
}
