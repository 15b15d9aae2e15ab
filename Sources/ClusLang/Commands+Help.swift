extension Interpreter {
    func help(_ arguments: BoundArguments) throws -> HelpResult {
        guard let name = arguments.text(at: 0) else {
            return HelpResult(topic: .commands(Commands.all, statements: Help.statements))
        }
        if let statement = Help.statements.first(where: { $0.name == name }) {
            return HelpResult(topic: .statement(statement))
        }
        guard let spec = Commands.spec(named: name) else {
            throw Diagnostic.unknown("command", name, at: arguments.positionals[0].range,
                                     known: Commands.all.map(\.name) + Commands.keywords)
        }
        return HelpResult(topic: .command(spec))
    }
}

/// Help for the statements that are not commands: the one list of their
/// keywords (`Commands.keywords`).
enum Help {
    struct Statement: Sendable {
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
