import ClusData

/// What `join` attached to a dataset and how well the keys matched, both ways.
struct JoinResult: CommandOutput {
    let command = "join"
    let dataset: String
    /// The file as the user gave it.
    let path: String
    /// The key field.
    let key: String
    let documents: Int
    let report: JoinReport

    var jsonMembers: [JSONMember] {
        [
            JSONMember("dataset", .string(dataset)),
            JSONMember("path", .string(path)),
            JSONMember("on", .string(key)),
            JSONMember("documents", .int(documents)),
            JSONMember("matched", .int(report.matched)),
            JSONMember("unmatched_documents", .int(report.unmatchedDocuments)),
            JSONMember("without_key", .int(report.withoutKey)),
            JSONMember("file_rows", .int(report.fileRows)),
            JSONMember("unmatched_rows", .int(report.unmatchedRows)),
            JSONMember("fields", .array(report.fields.map(JSONValue.string))),
            JSONMember("aliases", .array(report.aliases.map(JSONValue.string))),
        ]
    }

    /// `joined labels.csv to iris on _id: 148 of 150 documents matched · fields: query`, then what did not match.
    var blocks: [Block] {
        var summary = "joined \(path) to \(dataset) on \(key): \(Format.count(report.matched)) of \(Format.count(documents, "document", "documents")) matched"
        if !report.fields.isEmpty { summary += " · fields: " + report.fields.joined(separator: ", ") }
        if !report.aliases.isEmpty { summary += " · aliases: " + report.aliases.joined(separator: ", ") }
        var lines = [summary]
        if report.unmatchedDocuments > 0 {
            var line = "\(Format.count(report.unmatchedDocuments, "document has", "documents have")) no row in \(path)"
            var why: [String] = []
            if !report.unmatchedKeys.isEmpty { why.append("e.g. \(key) " + report.unmatchedKeys.joined(separator: ", ")) }
            if report.withoutKey > 0 { why.append("\(Format.count(report.withoutKey)) without \(key)") }
            if !why.isEmpty { line += " (" + why.joined(separator: "; ") + ")" }
            lines.append(line + ": their joined values are missing")
        }
        if report.unmatchedRows > 0 {
            let more = report.unmatchedRows > report.unmatchedLines.count ? ", …" : ""
            lines.append("\(Format.count(report.unmatchedRows, "row", "rows")) of \(path) "
                         + "\(report.unmatchedRows == 1 ? "matches" : "match") no document (\(report.fileHasRows ? "row" : "line")\(report.unmatchedLines.count == 1 ? "" : "s") "
                         + report.unmatchedLines.map(String.init).joined(separator: ", ") + more + ")")
        }
        if !report.vectorsLeftOut.isEmpty {
            lines.append("note: vector fields are not joined: " + report.vectorsLeftOut.joined(separator: ", "))
        }
        return [.lines(lines)]
    }

}
