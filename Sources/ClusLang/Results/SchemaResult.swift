import ClusData

/// The current dataset's vector fields, fields and aliases, with their missing counts.
struct SchemaResult: CommandOutput {
    let command = "schema"
    let dataset: String
    let path: String
    let documents: Int
    let entries: [SchemaEntry]
    /// Per vector field with documents lacking a usable vector: how many and why.
    var withoutVector: [WithoutVector] = []

    var notes: [String] {
        withoutVector.map { "\($0.phrase): left out of clustering and the internal indices" }
    }

    var jsonMembers: [JSONMember] {
        [JSONMember("dataset", .string(dataset)), JSONMember("documents", .int(documents)),
         JSONMember("fields", .array(entries.map(\.json)))]
    }

    var blocks: [Block] {
        var table = Table(columns: [Table.Column("field"), Table.Column("type"), .number("missing"), .number("distinct")])
        for entry in entries {
            table.append([.text(entry.name), .text(entry.type), .count(entry.missing), entry.distinct.map(Cell.count) ?? .empty])
        }
        table.footer.append("\(dataset): \(Format.count(documents, "document", "documents")) from \(path)")
        table.footer += notes
        return [.table(table)]
    }
}

/// One line of `schema`.
enum SchemaEntry: Sendable {
    case vector(name: String, dimension: Int, missing: Int, roundedToFloat32: Bool)
    case field(name: String, type: String, missing: Int, distinct: Int)
    /// A clustering, named as its `_cluster_` column; documents without a label count as missing.
    case alias(vectorField: String, alias: String, k: Int, unlabelled: Int)

    /// Every entry of `d`: vector fields, then fields, then aliases.
    static func all(of d: Dataset) -> [SchemaEntry] {
        d.vectors.map { .vector(name: $0.name, dimension: $0.dimension, missing: $0.missingCount, roundedToFloat32: $0.roundedToFloat32) }
            + d.fields.map { f in
                // values as labels count them (3, 3.0 and "3" are one); null counts as missing, not as a value
                let distinct = Set(f.values.compactMap { $0.flatMap(LabelValue.init) }).count
                return .field(name: f.name, type: f.typeDescription, missing: f.missingCount, distinct: distinct)
            }
            + d.clusterings.map { .alias(vectorField: $0.vectorField, alias: $0.alias, k: $0.k, unlabelled: $0.labels.count { $0 < 0 }) }
    }

    var name: String {
        switch self {
        case .vector(let name, _, _, _), .field(let name, _, _, _): name
        case .alias(let field, let alias, _, _): "_cluster_.\(field).\(alias)"
        }
    }

    /// The type as the table shows it: `vector 4-d float32`, `string`, `alias, 3 clusters`.
    var type: String {
        switch self {
        case .vector(_, let dimension, _, let rounded):
            "vector \(dimension)-d float32" + (rounded ? " (rounded from more precise input)" : "")
        case .field(_, let type, _, _): type
        case .alias(_, _, let k, _): "alias, \(Format.count(k, "cluster", "clusters"))"
        }
    }

    var missing: Int {
        switch self {
        case .vector(_, _, let missing, _), .field(_, _, let missing, _), .alias(_, _, _, let missing): missing
        }
    }

    /// Distinct values; an alias's clusters; nil for a vector field.
    var distinct: Int? {
        switch self {
        case .vector: nil
        case .field(_, _, _, let distinct): distinct
        case .alias(_, _, let k, _): k
        }
    }

    var json: JSONValue {
        switch self {
        case .vector(let name, let dimension, let missing, let rounded):
            .object([JSONMember("name", .string(name)), JSONMember("type", .string("vector")), JSONMember("dimension", .int(dimension)),
                     JSONMember("missing", .int(missing)), JSONMember("without_vector", .int(missing)),
                     JSONMember("rounded_to_float32", .bool(rounded))])
        case .field(let name, let type, let missing, let distinct):
            .object([JSONMember("name", .string(name)), JSONMember("type", .string(type)),
                     JSONMember("missing", .int(missing)), JSONMember("distinct", .int(distinct))])
        case .alias(_, _, let k, let unlabelled):
            .object([JSONMember("name", .string(name)), JSONMember("type", .string("alias")),
                     JSONMember("k", .int(k)), JSONMember("missing", .int(unlabelled))])
        }
    }
}
