/// What `stability` found: per cluster of the clustering of all documents
/// its mean best-match Jaccard similarity over the resamples, and the mean
/// ARI between the resamples' clusterings.
struct StabilityResult: CommandOutput {
    struct Cluster: Sendable {
        let name: String
        /// Its documents in the clustering of all documents.
        let size: Int
        /// nil when no resample drew any of its documents.
        let jaccard: Double?
    }

    let command = "stability"
    let dataset: String
    let vectorField: String
    let method: String
    /// Clusters of the clustering of all documents (noise not counted).
    let k: Int
    /// HDBSCAN's min_cluster_size; nil for the other methods.
    let minClusterSize: Int?
    let metric: String
    /// The method's other options as given (`linkage=average`, `n_init=10`), for the footer.
    var options: [String] = []
    let runs: Int
    /// The subsets' share of the documents; nil for bootstrap resamples.
    let fraction: Double?
    let seed: UInt64
    let clusters: [Cluster]
    let meanJaccard: Double
    let meanARI: Double
    let withoutVector: WithoutVector

    var notes: [String] {
        withoutVector.count == 0 ? [] : ["\(withoutVector.phrase("is", "are")) left out"]
    }

    var jsonMembers: [JSONMember] {
        [
            JSONMember("dataset", .string(dataset)), JSONMember("vector_field", .string(vectorField)),
            JSONMember("method", .string(method)), JSONMember("k", .int(k)),
            JSONMember("min_cluster_size", minClusterSize.map(JSONValue.int) ?? .null),
            JSONMember("metric", .string(metric)), JSONMember("runs", .int(runs)),
            JSONMember("resampling", .string(fraction == nil ? "bootstrap" : "subset")),
            JSONMember("fraction", .number(fraction)), JSONMember("seed", .int(Int(truncatingIfNeeded: seed))),
            withoutVector.jsonMember,
            JSONMember("clusters", .array(clusters.map { cluster in
                .object([JSONMember("cluster", .string(cluster.name)), JSONMember("size", .int(cluster.size)),
                         JSONMember("jaccard", .number(cluster.jaccard))])
            })),
            JSONMember("mean_jaccard", .number(meanJaccard)),
            JSONMember("mean_ari", .number(meanARI)),
            JSONMember("reading", .string(StabilityResult.reading(meanJaccard))),
        ]
    }

    var blocks: [Block] {
        var table = Table(columns: [Table.Column("cluster"), .number("size"), .number("jaccard"), Table.Column("reading")])
        for cluster in clusters {
            table.append([.text(cluster.name), .count(cluster.size), .score(cluster.jaccard),
                          .text(cluster.jaccard.map(StabilityResult.clusterReading) ?? "never drawn")])
        }
        let resamples = fraction.map { "\(runs) subsets of \(Format.percent($0)) of the documents" } ?? "\(runs) bootstrap resamples"
        let recipe = ([minClusterSize.map { "\(method) min_cluster_size=\($0)" } ?? "\(method) k=\(k)"] + options).joined(separator: " ")
        table.footer = [
            "\(recipe) on \(vectorField), \(metric): \(resamples) (seed=\(seed)), each cluster matched to its best resample cluster",
            "mean Jaccard \(Format.fixed(meanJaccard, 4)), mean ARI between runs \(Format.fixed(meanARI, 4)): \(StabilityResult.reading(meanJaccard))",
            "Hennig's readings: ≥ 0.75 stable, 0.6–0.75 a pattern, ≤ 0.5 dissolved",
        ] + notes
        return [.table(table)]
    }

    /// Hennig's reading of one cluster's mean Jaccard similarity.
    static func clusterReading(_ j: Double) -> String {
        switch j {
        case 0.75...: "stable"
        case 0.6...: "a pattern, its members doubtful"
        case 0.5...: "unstable"
        default: "dissolved"
        }
    }

    /// One line on the clustering as a whole.
    static func reading(_ j: Double) -> String {
        switch j {
        case 0.75...: "the clusters come back on resampled data: stable"
        case 0.6...: "the clusters show a pattern, but which documents belong to them changes"
        case 0.5...: "the clusters are unstable: they change with the data drawn"
        case ...0.5: "the clusters dissolve when the data are resampled"
        default: "not measured"
        }
    }
}
