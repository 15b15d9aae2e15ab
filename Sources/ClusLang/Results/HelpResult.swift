/// What `help` explains: the list of commands, one statement, or one command's parameters.
struct HelpResult: CommandOutput {
    enum Topic: Sendable {
        case commands([CommandSpec], statements: [Help.Statement])
        case statement(Help.Statement)
        case command(CommandSpec)
    }

    let command = "help"
    let topic: Topic

    var jsonMembers: [JSONMember] {
        switch topic {
        case .commands(let specs, _):
            [JSONMember("commands", .array(specs.map {
                .object([JSONMember("name", .string($0.name)), JSONMember("summary", .string($0.summary))])
            }))]
        case .statement(let statement):
            [JSONMember("name", .string(statement.name)), JSONMember("usage", .string(statement.usage))]
        case .command(let spec):
            [
                JSONMember("name", .string(spec.name)),
                JSONMember("usage", .string(spec.usage)),
                JSONMember("summary", .string(spec.summary)),
                JSONMember("options", .array(spec.options.map { .string($0.name) })),
            ]
        }
    }

    var blocks: [Block] {
        switch topic {
        case .commands(let specs, let statements):
            var table = Table(columns: [Table.Column("command"), Table.Column("does", key: "summary")])
            for spec in specs { table.append([.text(spec.name), .text(spec.summary)]) }
            for statement in statements { table.append([.text(statement.name), .text(statement.summary)]) }
            table.footer.append("help COMMAND shows its options; commands are separated by ';' or new lines, '#' starts a comment")
            return [.table(table)]
        case .statement(let statement):
            return [.text(statement.usage, .heading), .text(statement.summary), .text(statement.details)]
        case .command(let spec):
            var blocks: [Block] = [.text(spec.usage, .heading), .text(spec.summary)]
            if !spec.positionals.isEmpty || !spec.options.isEmpty { blocks.append(.table(parameters(of: spec))) }
            if !spec.details.isEmpty { blocks.append(.text(spec.details)) }
            return blocks
        }
    }

    /// `PATH` and `format=` with their meaning and default; CSV names them plainly.
    private func parameters(of spec: CommandSpec) -> Table {
        var table = Table(columns: [Table.Column("parameter"), Table.Column("meaning"), Table.Column("default")])
        for p in spec.positionals { table.append([.labelled(p.name.uppercased(), plain: p.name), .text(p.summary), .text(p.defaultValue ?? "")]) }
        for o in spec.options { table.append([.labelled(o.name + "=", plain: o.name), .text(o.summary), .text(o.defaultValue ?? "")]) }
        return table
    }
}
