import ClusData

/// What `export` wrote: which dataset, where, in which format, with which aliases.
struct ExportResult: CommandOutput {
    let command = "export"
    let dataset: String
    /// The path as the user gave it.
    let path: String
    let format: ExportFormat
    let documents: Int
    let aliases: [String]

    var isStatus: Bool { true }

    var jsonMembers: [JSONMember] {
        [
            JSONMember("dataset", .string(dataset)),
            JSONMember("path", .string(path)),
            JSONMember("format", .string(format.rawValue)),
            JSONMember("documents", .int(documents)),
            JSONMember("aliases", .array(aliases.map(JSONValue.string))),
        ]
    }

    /// `exported iris: 150 documents to labelled.jsonl (jsonl) · aliases: kmeans_3`
    var blocks: [Block] {
        var summary = "exported \(dataset): \(Format.count(documents, "document", "documents")) to \(path) (\(format.rawValue))"
        if !aliases.isEmpty { summary += " · aliases: " + aliases.joined(separator: ", ") }
        return [.text(summary)]
    }
}
