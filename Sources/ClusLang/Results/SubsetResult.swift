/// What `filter` and `sample` made: a new dataset, a view of its source's documents.
struct SubsetResult: CommandOutput {
    let command: String
    let dataset: String
    let source: String
    /// The condition, or `sample n=... seed=...`, as `datasets` shows it.
    let expression: String
    let documents: Int
    let sourceDocuments: Int
    /// `sample by=`: documents drawn per value of the field, in the field's value order.
    var strata: [(value: String, documents: Int, drawn: Int)]

    var isStatus: Bool { true }

    var jsonMembers: [JSONMember] {
        var members = [
            JSONMember("dataset", .string(dataset)),
            JSONMember("source", .string(source)),
            JSONMember("expression", .string(expression)),
            JSONMember("documents", .int(documents)),
            JSONMember("source_documents", .int(sourceDocuments)),
        ]
        if !strata.isEmpty {
            members.append(JSONMember("strata", .array(strata.map {
                .object([JSONMember("value", .string($0.value)), JSONMember("documents", .int($0.documents)),
                         JSONMember("drawn", .int($0.drawn))])
            })))
        }
        return members
    }

    /// `iris_filtered: 50 of 150 documents of iris · species == "setosa"`
    var blocks: [Block] {
        let line = "\(dataset): \(Format.count(documents)) of \(Format.count(sourceDocuments, "document", "documents")) of \(source) · \(expression)"
        guard !strata.isEmpty else { return [.lines([line])] }
        let shown = strata.prefix(3).map { "\($0.value) \(Format.count($0.drawn))/\(Format.count($0.documents))" }
        let more = strata.count > 3 ? ", … (\(strata.count) values)" : ""
        return [.lines([line, "drawn per value: " + shown.joined(separator: ", ") + more])]
    }
}
