/// The loaded datasets, in load order, and which one is current.
struct DatasetsResult: CommandOutput {
    let command = "datasets"
    let current: String?
    let datasets: [DatasetSummary]

    var jsonMembers: [JSONMember] {
        [
            JSONMember("current", .text(current)),
            JSONMember("datasets", .array(datasets.map { d in
                .object([
                    JSONMember("name", .string(d.name)),
                    JSONMember("documents", .int(d.documents)),
                    JSONMember("vector_fields", .array(d.vectorFields.map { .string($0.name) })),
                    JSONMember("aliases", .int(d.aliases.count)),
                    JSONMember("path", .string(d.path)),
                ])
            })),
        ]
    }

    var blocks: [Block] {
        var table = Table(columns: [Table.Column("", key: "current"), Table.Column("dataset"), .number("documents"),
                                    Table.Column("vector fields"), Table.Column("aliases"), Table.Column("path")])
        for d in datasets {
            let isCurrent = d.name == current
            table.append([
                .tag("*", isCurrent),
                .text(d.name),
                .count(d.documents),
                .labelled(d.vectorFields.map(\.label).joined(separator: ", "), plain: d.vectorFields.map(\.name).joined(separator: ",")),
                .count(d.aliases.count),
                .text(d.path),
            ])
        }
        if datasets.isEmpty { table.footer.append("no datasets loaded") }
        return [.table(table)]
    }
}
