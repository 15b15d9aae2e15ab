/// The loaded datasets and subsets, in the order they were made, and which one is current.
struct DatasetsResult: CommandOutput {
    /// A dataset, and for a subset what it was drawn from and how.
    struct Entry: Sendable {
        let summary: DatasetSummary
        let source: String?
        let expression: String?
    }

    let command = "datasets"
    let current: String?
    let datasets: [Entry]

    var jsonMembers: [JSONMember] {
        [
            JSONMember("current", .text(current)),
            JSONMember("datasets", .array(datasets.map { e in
                let d = e.summary
                return .object([
                    JSONMember("name", .string(d.name)),
                    JSONMember("documents", .int(d.documents)),
                    JSONMember("vector_fields", .array(d.vectorFields.map { .string($0.name) })),
                    JSONMember("aliases", .int(d.aliases.count)),
                    JSONMember("path", .string(d.path)),
                    JSONMember("source", .text(e.source)),
                    JSONMember("expression", .text(e.expression)),
                ])
            })),
        ]
    }

    var blocks: [Block] {
        // the source and expression columns only once there is a subset
        let subsets = datasets.contains { $0.source != nil }
        var columns = [Table.Column("", key: "current"), Table.Column("dataset"), .number("documents"),
                       Table.Column("vector fields"), Table.Column("aliases"), Table.Column("path")]
        if subsets { columns += [Table.Column("source"), Table.Column("expression")] }
        var table = Table(columns: columns)
        for e in datasets {
            let d = e.summary
            var row: [Cell] = [
                .tag("*", d.name == current),
                .text(d.name),
                .count(d.documents),
                .labelled(d.vectorFields.map(\.label).joined(separator: ", "), plain: d.vectorFields.map(\.name).joined(separator: ",")),
                .count(d.aliases.count),
                .text(d.path),
            ]
            if subsets { row += [.text(e.source ?? ""), .text(e.expression ?? "")] }
            table.append(row)
        }
        if datasets.isEmpty { table.footer.append("no datasets loaded") }
        return [.table(table)]
    }
}
