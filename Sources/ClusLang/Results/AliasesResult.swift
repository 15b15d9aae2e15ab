/// The clusterings of a dataset with how they were made (`aliases`).
struct AliasesResult: CommandOutput {
    /// One clustering.
    struct Alias: Sendable {
        let alias: String
        let vectorField: String
        /// Clusters, HDBSCAN's noise not counted.
        let k: Int
        /// nil for labels read from a file.
        let method: String?
        let iterations: Int?
        let inertia: Double?
        let seconds: Double?
        /// As given or defaulted, k among them.
        let parameters: [(String, String)]
        /// The alias commands use when they are given none.
        let isCurrent: Bool
    }

    let command = "aliases"
    let dataset: String
    let aliases: [Alias]

    var jsonMembers: [JSONMember] {
        [
            JSONMember("dataset", .string(dataset)),
            JSONMember("aliases", .array(aliases.map { a in
                .object([
                    JSONMember("alias", .string(a.alias)),
                    JSONMember("vector_field", .string(a.vectorField)),
                    JSONMember("k", .int(a.k)),
                    JSONMember("method", .text(a.method)),
                    JSONMember("iterations", a.iterations.map(JSONValue.int) ?? .null),
                    JSONMember("inertia", .number(a.inertia)),
                    JSONMember("seconds", .number(a.seconds)),
                    JSONMember("parameters", .object(a.parameters.map { JSONMember($0.0, .string($0.1)) })),
                ])
            })),
        ]
    }

    var blocks: [Block] {
        var table = Table(columns: [
            Table.Column("", key: "current"), Table.Column("alias"), Table.Column("field", key: "vector_field"), .number("k"),
            Table.Column("method"), .number("iterations"), .number("inertia"), .number("time", key: "seconds"),
            Table.Column("parameters"),
        ])
        for a in aliases {
            table.append([
                // `*` for people, true or false in CSV
                .tag("*", a.isCurrent),
                // k and iterations ungrouped, as the status line of `cluster` prints them
                .text(a.alias), .text(a.vectorField), .text(String(a.k)), .text(a.method ?? "loaded"),
                a.iterations.map { .text(String($0)) } ?? .empty,
                a.inertia.map(Cell.grouped) ?? .empty,
                a.seconds.map(Cell.seconds) ?? .empty,
                .text(a.parameters.filter { $0.0 != "k" }.map { "\($0.0)=\($0.1)" }.joined(separator: " ")),
            ])
        }
        if aliases.isEmpty { table.footer.append("no clusterings yet: run 'cluster k=N'") }
        return [.table(table)]
    }
}
