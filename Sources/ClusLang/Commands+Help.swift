extension Interpreter {
    func help(_ arguments: BoundArguments) throws -> CommandResult {
        guard let name = arguments.text(at: 0) else {
            var table = TextTable(columns: [.init("command"), .init("does")])
            for spec in Commands.all { table.rows.append([spec.name, spec.summary]) }
            for statement in Help.statements { table.rows.append([statement.name, statement.summary]) }
            table.footer.append("help COMMAND shows its options; commands are separated by ';' or new lines, '#' starts a comment")
            return CommandResult(command: "help", values: [
                JSONMember("commands", .array(Commands.all.map { .object([JSONMember("name", .string($0.name)), JSONMember("summary", .string($0.summary))]) })),
            ], blocks: [.table(table)])
        }
        if let statement = Help.statements.first(where: { $0.name == name }) {
            return CommandResult(command: "help", values: [JSONMember("name", .string(name)), JSONMember("usage", .string(statement.usage))],
                                 blocks: [.text(statement.usage, .heading), .text(statement.summary), .text(statement.details)])
        }
        guard let spec = Commands.spec(named: name) else {
            throw Diagnostic.unknown("command", name, at: arguments.positionals[0].range,
                                     known: Commands.all.map(\.name) + Help.statements.map(\.name))
        }
        var blocks: [LegacyBlock] = [.text(spec.usage, .heading), .text(spec.summary)]
        let parameters = spec.positionals + spec.options
        if !parameters.isEmpty {
            var table = TextTable(columns: [.init("parameter"), .init("meaning"), .init("default")])
            for p in spec.positionals { table.rows.append([p.name.uppercased(), p.summary, p.defaultValue ?? ""]) }
            for o in spec.options { table.rows.append([o.name + "=", o.summary, o.defaultValue ?? ""]) }
            blocks.append(.table(table))
        }
        if !spec.details.isEmpty { blocks.append(.text(spec.details)) }
        return CommandResult(command: "help", values: [
            JSONMember("name", .string(spec.name)),
            JSONMember("usage", .string(spec.usage)),
            JSONMember("summary", .string(spec.summary)),
            JSONMember("options", .array(spec.options.map { .string($0.name) })),
        ], blocks: blocks)
    }
}

/// Help for the statements that are not commands.
enum Help {
    struct Statement {
        let name: String
        let usage: String
        let summary: String
        let details: String
    }

    static let statements = [
        Statement(name: "let", usage: "let NAME = VALUE", summary: "give a value a name; use it as $NAME",
                  details: "  let k = 10\n  cluster k=$k"),
        Statement(name: "for", usage: "for NAME in A..B { ... }  ·  for NAME in [a, b] { ... }", summary: "repeat commands for each value",
                  details: "  for k in 2..6 {\n    cluster k=$k\n    metrics\n  }"),
        Statement(name: "assert", usage: "assert COMMAND.FIELD OP VALUE", summary: "stop a script unless a result field compares true (OP: < <= > >= == !=)",
                  details: "  metrics truth=query\n  assert metrics.adjusted_rand_index >= 0.5\nThe field is a key of the command's json output; 'last' is the latest result."),
    ]
}
