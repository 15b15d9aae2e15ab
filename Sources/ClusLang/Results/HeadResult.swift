import ClusData

/// The first documents of the current dataset: fields, the start of each vector, labels.
struct HeadResult: CommandOutput {
    let command = "head"
    let dataset: String
    let fields: [String]
    let vectorFields: [VectorFieldShape]
    /// Each alias with its `_cluster_.FIELD.ALIAS` name, the json key.
    let aliases: [(alias: String, key: String)]
    let documents: [HeadDocument]

    /// Vector values kept per document (the json's); the table shows the first three.
    static let vectorValuesKept = 8

    init(_ d: Dataset, count n: Int) {
        dataset = d.name
        fields = d.fields.map(\.name)
        vectorFields = d.vectors.map { VectorFieldShape(name: $0.name, dimension: $0.dimension) }
        aliases = d.clusterings.map { ($0.alias, "_cluster_.\($0.vectorField).\($0.alias)") }
        documents = (0 ..< n).map { i in
            HeadDocument(values: d.fields.map { $0.values[i] },
                         vectorStarts: d.vectors.map { $0.present[i] ? Array($0.embeddings[row: i].prefix(HeadResult.vectorValuesKept)) : nil },
                         labels: d.clusterings.map { $0.labels[i] >= 0 ? $0.clusterNames[$0.labels[i]] : nil })
        }
    }

    var jsonMembers: [JSONMember] {
        [JSONMember("dataset", .string(dataset)), JSONMember("documents", .array(documents.map { document in
            .object(zip(fields, document.values).map { JSONMember($0, $1.map(jsonValue) ?? .null) }
                    + zip(vectorFields, document.vectorStarts).map { JSONMember($0.name, $1.map(HeadResult.json) ?? .null) }
                    + zip(aliases, document.labels).map { JSONMember($0.key, .text($1)) })
        }))]
    }

    /// A row per document; CSV has each value in full and a vector's first values as a json array.
    var blocks: [Block] {
        let columns: [Table.Column] = [.number("#", key: "row")] + fields.map { Table.Column($0, key: $0) }
            + vectorFields.map { Table.Column($0.name, key: $0.name) } + aliases.map { Table.Column($0.alias, key: $0.key) }
        var table = Table(columns: columns)
        for (i, document) in documents.enumerated() {
            var row: [Cell] = [.text(String(i))]
            row += document.values.map { value in
                guard let value else { return .empty }
                return .labelled(abbreviate(value.description, 40), plain: value == .null ? "" : value.description)
            }
            row += zip(vectorFields, document.vectorStarts).map { field, values in
                guard let values else { return .empty }   // no usable vector
                let shown = values.prefix(3).map { Format.fixed(Double($0), 3) }.joined(separator: ", ")
                return .labelled("[\(shown)\(field.dimension > 3 ? ", …" : "")] \(field.dimension)-d", plain: HeadResult.json(values).serialized)
            }
            row += document.labels.map { .text($0 ?? "") }
            table.append(row)
        }
        return [.table(table)]
    }

    private static func json(_ values: [Float]) -> JSONValue { .array(values.map { .double(Double($0)) }) }
}

/// One document of `head`.
struct HeadDocument: Sendable {
    /// By field; nil where the document has no such field.
    let values: [FieldValue?]
    /// By vector field: its first values; nil without a usable vector.
    let vectorStarts: [[Float]?]
    /// By alias; nil where the document has no label.
    let labels: [String?]
}

/// A field's value in json.
private func jsonValue(_ value: FieldValue) -> JSONValue {
    switch value {
    case .null: .null
    case .bool(let b): .bool(b)
    case .int(let i): .int(i)
    case .double(let d): .number(d)
    case .string(let s): .string(s)
    }
}

/// `text` cut to `limit` characters, with `…` where it was cut.
private func abbreviate(_ text: String, _ limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
}
