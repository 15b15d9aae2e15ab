import ClusCore

/// What `compare` found for two clusterings of the same documents: the
/// agreement indices and the contingency table, clusters matched one to one.
struct CompareResult: CommandOutput {
    /// A cluster of A and the cluster of B matched with it.
    struct Match: Sendable {
        let a: String
        let b: String
        /// Documents in both.
        let count: Int
    }

    let command = "compare"
    let dataset: String
    /// The aliases compared.
    let a: String
    let b: String
    /// Which of A and B are scalar fields whose values serve as clusters.
    var fieldsAsClusterings: [String] = []
    /// Documents with a label in both.
    let n: Int
    /// Documents without a label in both, left out.
    let leftOut: Int
    /// The external indices of B against A, in `ClusteringIndex` order.
    let scores: [(index: ClusteringIndex, value: Double)]
    /// How NMI and AMI were normalised.
    let average: MutualInformationAverage
    /// Pairs matched by the Hungarian method, in A's cluster order.
    let matching: [Match]
    /// A's clusters, the matched ones first.
    let rows: [String]
    /// B's clusters in the order of the A clusters they match, then the rest.
    let columns: [String]
    /// counts[row][column]: documents in both clusters.
    let counts: [[Int]]

    /// Share of the documents on the diagonal of the matched table.
    var matchedFraction: Double { Double(matching.reduce(0) { $0 + $1.count }) / Double(n) }

    var jsonMembers: [JSONMember] {
        [
            JSONMember("dataset", .string(dataset)),
            JSONMember("a", .string(a)),
            JSONMember("b", .string(b)),
            JSONMember("n", .int(n)),
            JSONMember("k_a", .int(rows.count)),
            JSONMember("k_b", .int(columns.count)),
        ]
        + (fieldsAsClusterings.isEmpty ? [] : [JSONMember("fields_as_clusterings", .array(fieldsAsClusterings.map(JSONValue.string)))])
        + scores.map { JSONMember($0.index.key, .number($0.value)) }
        + [
            JSONMember("matched_fraction", .number(matchedFraction)),
            JSONMember("matching", .array(matching.map {
                .object([JSONMember("a", .string($0.a)), JSONMember("b", .string($0.b)), JSONMember("count", .int($0.count))])
            })),
            JSONMember("contingency", .object([
                JSONMember("rows", .array(rows.map(JSONValue.string))),
                JSONMember("columns", .array(columns.map(JSONValue.string))),
                JSONMember("counts", .array(counts.map { .array($0.map(JSONValue.int)) })),
            ])),
        ]
    }

    var blocks: [Block] {
        var scoreTable = Table(columns: [Table.Column("index"), .number("value"), .decoration("reading")])
        for (index, value) in scores {
            scoreTable.append([.labelled(index.label, plain: index.key), .score(value), .text(reading(index, value))])
        }
        // the corner names both aliases for people: rows are A's clusters, columns B's;
        // in CSV the first column is named for A, the others are B's cluster names
        var contingency = Table(columns: [Table.Column("\(a) \\ \(b)", key: a)] + columns.map { .number($0, key: $0) })
        for (name, row) in zip(rows, counts) {
            contingency.append([.text(name)] + row.map(Cell.count))
        }
        contingency.footer.append("clusters matched one to one (Hungarian method): \(Format.percent(matchedFraction)) of \(Format.count(n)) documents fall on the diagonal")
        for field in fieldsAsClusterings { contingency.footer.append("\(field) is a field: its values serve as clusters") }
        if leftOut > 0 { contingency.footer.append(Format.count(leftOut, "document without a label in both is left out", "documents without a label in both are left out")) }
        if average != .arithmetic { scoreTable.footer.append("NMI and AMI with the \(average.rawValue) mean of the entropies") }
        return [.table(scoreTable), .table(contingency)]
    }

    /// What a value says about B against A.
    private func reading(_ index: ClusteringIndex, _ value: Double) -> String {
        switch index {
        case .randIndex: "\(Format.percent(value)) of document pairs are grouped alike by \(a) and \(b) (not adjusted for chance)"
        case .homogeneity: Reading.scale(value) + ": each cluster of \(b) lies within one cluster of \(a) (1 = \(b) splits \(a) further)"
        case .completeness: Reading.scale(value) + ": each cluster of \(a) stays in one cluster of \(b) (1 = \(b) merges \(a)'s clusters)"
        case .fowlkesMallows: Reading.scale(value) + ": pairs grouped together in both"
        default: index.reading(value, truth: b)
        }
    }
}
