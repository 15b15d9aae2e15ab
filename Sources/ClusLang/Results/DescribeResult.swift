import ClusCore
import ClusData

/// What `describe` found: per cluster its size, most typical and most
/// doubtful documents with the chosen fields, and its distinctive terms.
struct DescribeResult: CommandOutput {
    /// A document shown, with its distance to the centroid or its silhouette.
    struct Document: Sendable {
        /// Row of the document in the dataset.
        let row: Int
        let id: FieldValue?
        /// The chosen fields' values, in `fields` order.
        let values: [FieldValue?]
        /// Distance to the centroid (typical) or silhouette (doubtful).
        let measure: Double
    }

    struct Cluster: Sendable {
        let name: String
        /// Its labelled documents.
        let size: Int
        /// Nearest the centroid first.
        let typical: [Document]
        /// Lowest silhouette first.
        let doubtful: [Document]
        /// nil without `text=`.
        let terms: [DistinctiveTerm]?
    }

    let command = "describe"
    let name: ClusteringName
    /// The distance of the centroid and the silhouette.
    let metric: DistanceMetric
    /// The fields shown beside `_id`.
    let fields: [String]
    /// The `text=` field.
    let text: String?
    let clusters: [Cluster]
    /// Set when the silhouettes come from a stratified sample.
    let estimate: SilhouetteEstimate?
    let noise: NoiseLeftOut
    let withoutVector: WithoutVector

    var notes: [String] {
        withoutVector.count == 0 ? [] : ["\(withoutVector.phrase("is", "are")) left out of the typical and doubtful documents"]
    }

    var jsonMembers: [JSONMember] {
        func documents(_ list: [Document], _ measure: String) -> JSONValue {
            .array(list.map { document in
                .object([JSONMember("_id", DescribeResult.json(document.id)), JSONMember("document", .int(document.row))]
                        + zip(fields, document.values).map { JSONMember($0, DescribeResult.json($1)) }
                        + [JSONMember(measure, .number(document.measure))])
            })
        }
        return name.jsonMembers + [
            JSONMember("metric", .string(metric.rawValue)),
            JSONMember("fields", .array(fields.map(JSONValue.string))),
            JSONMember("text", .text(text)),
            JSONMember("silhouette", .string(estimate == nil ? "exact" : "sampled")),
            JSONMember("sample", estimate.map { .int($0.sampled) } ?? .null),
            withoutVector.jsonMember,
            JSONMember("clusters", .array(clusters.map { cluster in
                .object([
                    JSONMember("cluster", .string(cluster.name)), JSONMember("size", .int(cluster.size)),
                    JSONMember("typical", documents(cluster.typical, "distance")),
                    JSONMember("doubtful", documents(cluster.doubtful, "silhouette")),
                    JSONMember("terms", cluster.terms.map { terms in
                        .array(terms.map { .object([JSONMember("term", .string($0.term)), JSONMember("score", .double($0.score))]) })
                    } ?? .null),
                ])
            })),
        ]
    }

    /// A field's value as JSON: numbers as numbers, text as text.
    private static func json(_ value: FieldValue?) -> JSONValue {
        switch value {
        case nil, .null?: .null
        case .bool(let b)?: .bool(b)
        case .int(let i)?: .int(i)
        case .double(let v)?: .number(v)
        case .string(let s)?: .string(s)
        }
    }

    /// For people, one section per cluster: a heading, its terms, and a table
    /// of its typical then doubtful documents; for CSV, one table of all
    /// documents shown and one of all terms.
    var blocks: [Block] {
        var blocks: [Block] = []
        for cluster in clusters {
            blocks.append(.text("\(cluster.name) · \(Format.count(cluster.size, "document", "documents"))", .heading))
            if let terms = cluster.terms {
                blocks.append(.text("terms: " + (terms.isEmpty ? "(no words)" : terms.map { "\($0.term) \(Format.fixed($0.score, 3))" }
                                                    .joined(separator: ", "))))
            }
            var table = Table(columns: documentColumns(cluster: false), audience: .people)
            for document in cluster.typical { table.append(cells(document, role: "typical")) }
            for document in cluster.doubtful { table.append(cells(document, role: "doubtful")) }
            blocks.append(.table(table))
        }
        var all = Table(columns: documentColumns(cluster: true), audience: .machines)
        for cluster in clusters {
            for document in cluster.typical { all.append([.text(cluster.name)] + cells(document, role: "typical")) }
            for document in cluster.doubtful { all.append([.text(cluster.name)] + cells(document, role: "doubtful")) }
        }
        blocks.append(.table(all))
        if text != nil {
            var terms = Table(columns: [Table.Column("cluster"), Table.Column("term"), .number("score")], audience: .machines)
            for cluster in clusters {
                for term in cluster.terms ?? [] { terms.append([.text(cluster.name), .text(term.term), .fixed(term.score, digits: 6)]) }
            }
            blocks.append(.table(terms))
        }
        blocks.append(.lines(footer, .dim))
        return blocks
    }

    private func documentColumns(cluster: Bool) -> [Table.Column] {
        (cluster ? [Table.Column("cluster")] : []) + [Table.Column("", key: "role"), Table.Column("_id", key: "_id")]
            + fields.map { Table.Column($0, key: $0) }
            + [.number(metric == .cosine ? "cosine distance" : "distance", key: "distance"), .number("silhouette")]
    }

    /// A row: the role, `_id`, the fields (long text cut for the terminal), and its measure.
    private func cells(_ document: Document, role: String) -> [Cell] {
        let measure = Cell.fixed(document.measure, digits: 4)
        return [.text(role), .text(document.id?.description ?? "")]
            + document.values.map { value in
                let text = value?.description ?? ""
                return .labelled(text.count > 48 ? String(text.prefix(47)) + "…" : text, plain: text)
            }
            + (role == "typical" ? [measure, .empty] : [.empty, measure])
    }

    private var footer: [String] {
        var lines = ["\(name.title): typical = nearest the centroid (\(metric == .cosine ? "cosine" : "euclidean")), "
                     + "doubtful = lowest silhouette (\(metric.rawValue))"]
        if let e = estimate {
            lines.append("silhouettes from a stratified sample of \(Format.count(e.sampled)) of \(Format.count(e.population)) documents (sample=N sets its size)")
        } else {
            lines.append("silhouettes exact")
        }
        if text != nil {
            lines.append("terms: class-based TF-IDF, tf in the cluster × log(1 + mean words per cluster / the term's count in all)")
        }
        if let note = noise.note(alias: name.alias) { lines.append(note) }
        return lines + notes
    }
}
