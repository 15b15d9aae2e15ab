/// What `distribution truth=FIELD by=truth` counted: for each truth value, the
/// clusters its documents went to, the largest first.
struct DistributionByTruthResult: CommandOutput {
    /// One truth value's documents.
    struct TruthValue: Sendable {
        let name: String
        /// The clusters holding its documents, most first (ties in cluster order).
        let clusters: [NamedCount]

        /// Its documents that have a label.
        var size: Int { clusters.reduce(0) { $0 + $1.count } }
        /// The share of them in its largest cluster.
        var inversePurity: Double { Double(clusters.first?.count ?? 0) / Double(size) }
    }

    let command = "distribution"
    /// The clustering scored.
    let name: ClusteringName
    let truth: String
    /// One value of the truth field, as the footer names it (`truthValueNoun`).
    let truthNoun: String
    /// Clusters of the alias.
    let k: Int
    /// Distinct values of the truth field.
    let truthValueCount: Int
    /// The values with labelled documents, in the field's sorted order.
    let values: [TruthValue]
    /// Clusters listed per value (0: all); the rest is summed up as "other".
    let top: Int
    /// Share of documents in the cluster holding most of their truth value.
    let inversePurity: Double
    /// Documents without a label or without a truth value.
    let leftOut: Int

    /// Documents with both a label and a truth value.
    var n: Int { values.reduce(0) { $0 + $1.size } }

    private func listed(_ value: TruthValue) -> ArraySlice<NamedCount> {
        top == 0 ? value.clusters[...] : value.clusters.prefix(top)
    }

    var jsonMembers: [JSONMember] {
        let n = n
        return name.jsonMembers + [
            JSONMember("truth", .string(truth)), JSONMember("by", .string("truth")),
            JSONMember("n", .int(n)), JSONMember("k", .int(k)), JSONMember("inverse_purity", .double(inversePurity)),
            JSONMember("truth_values", .array(values.map { value in
                .object([
                    JSONMember("value", .string(value.name)), JSONMember("size", .int(value.size)),
                    JSONMember("fraction", .double(Double(value.size) / Double(n))),
                    JSONMember("inverse_purity", .double(value.inversePurity)),
                    JSONMember("clusters", .array(listed(value).map { cluster in
                        .object([JSONMember("cluster", .string(cluster.name)), JSONMember("count", .int(cluster.count)),
                                 JSONMember("fraction", .double(Double(cluster.count) / Double(value.size)))])
                    })),
                ])
            })),
            JSONMember("left_out", .int(leftOut)),
        ]
    }

    /// One row per (truth value, listed cluster), the value's columns on its
    /// first row only for people; the unlisted clusters summed up as "other (N)".
    var blocks: [Block] {
        var table = Table(columns: [Table.Column(truth, key: truth), .number("size"), .number("share", key: "fraction"),
                                    .number("inverse purity"), Table.Column("cluster"), .number("count"),
                                    .number("share", key: "cluster_fraction"), .decoration()])
        let n = n
        for value in values {
            let valueCells: [Cell] = [.text(value.name), .count(value.size), .share(Double(value.size) / Double(n)),
                                      .share(value.inversePurity)]
            let listed = listed(value)
            table.appendGroup(valueCells, listed: listed, rest: value.clusters.dropFirst(listed.count), of: value.size)
        }
        table.footer = [
            "\(name.title): \(Format.count(truthValueCount, "value", "values")) of \(truth), \(Format.count(n, "document", "documents"))",
            "overall inverse purity \(Format.percent(inversePurity)): share of documents in the cluster that holds most documents of their \(truthNoun)",
        ]
        if leftOut > 0 { table.footer.append(Format.count(leftOut, "document without a label or without \(truth) is left out",
                                                         "documents without a label or without \(truth) are left out")) }
        return [.table(table)]
    }
}
