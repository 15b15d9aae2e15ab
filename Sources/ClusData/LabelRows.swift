/// The label rows an export to a table writes: the chosen clusterings and each document's `_id`.
struct LabelRows {
    let clusterings: [Clustering]
    let ids: [FieldValue?]

    init(_ d: Dataset, aliases: [String]?, destination: String) throws(DataError) {
        guard let ids = d.field(named: "_id") else {
            throw DataError(path: destination, message: "the dataset has no _id field, and the table's rows are keyed by _id; load with an _id column (SELECT id AS _id, …)")
        }
        let selection = try DatasetWriter.Selection(d, options: ExportOptions(aliases: aliases, fields: []), path: destination)
        guard !selection.clusterings.isEmpty else {
            throw DataError(path: destination, message: "the dataset has no aliases to export; cluster it first")
        }
        self.ids = ids.values
        clusterings = selection.clusterings.map { d.clusterings[$0] }
    }

    /// The aliases written, each once, in order.
    var aliasNames: [String] {
        clusterings.map(\.alias).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// `schema.table` → `"schema"."table"`: each part an identifier, quotes doubled.
    static func quotedTable(_ table: String) -> String {
        table.split(separator: ".", omittingEmptySubsequences: false)
            .map { part in "\"" + part.flatMap { $0 == "\"" ? "\"\"" : String($0) } + "\"" }.joined(separator: ".")
    }
}
