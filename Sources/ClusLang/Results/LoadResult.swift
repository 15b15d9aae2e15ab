/// What `load` read: the new dataset's fields and aliases, and the loader's notes.
struct LoadResult: CommandOutput {
    let command = "load"
    let dataset: DatasetSummary
    /// What the loader noticed (a column left out, ...), one line each.
    let notes: [String]

    var isStatus: Bool { true }

    var jsonMembers: [JSONMember] {
        [
            JSONMember("dataset", .string(dataset.name)),
            JSONMember("path", .string(dataset.path)),
            JSONMember("documents", .int(dataset.documents)),
            JSONMember("vector_fields", .array(dataset.vectorFields.map {
                .object([JSONMember("name", .string($0.name)), JSONMember("dimension", .int($0.dimension)),
                         JSONMember("without_vector", .int($0.withoutVector))])
            })),
            // of the default vector field, the one clustering uses
            JSONMember("without_vector", .int(dataset.vectorFields.first?.withoutVector ?? 0)),
            JSONMember("fields", .array(dataset.fields.map(JSONValue.string))),
            JSONMember("aliases", .array(dataset.aliases.map(JSONValue.string))),
        ]
    }

    /// `loaded iris: 150 documents · vector fields: features (4-d) · fields: ... · aliases: ...`, then the notes.
    var blocks: [Block] {
        let d = dataset
        var summary = "loaded \(d.name): \(Format.count(d.documents, "document", "documents"))"
        if !d.vectorFields.isEmpty {
            summary += " · vector fields: " + d.vectorFields.map { v in
                v.withoutVector == 0 ? v.label : "\(v.name) (\(v.dimension)-d; \(Format.count(v.withoutVector, "document", "documents")) without a usable vector)"
            }.joined(separator: ", ")
        }
        if !d.fields.isEmpty {
            summary += " · fields: " + d.fields.prefix(12).joined(separator: ", ")
            if d.fields.count > 12 { summary += ", … (\(d.fields.count) in all)" }
        }
        if !d.aliases.isEmpty { summary += " · aliases: " + d.aliases.joined(separator: ", ") }
        var lines = [summary] + notes.map { "note: " + $0 }
        if d.vectorFields.isEmpty {
            lines.append("no vector field found: clustering needs a field holding an array of numbers of one length")
        }
        return [.lines(lines)]
    }
}
