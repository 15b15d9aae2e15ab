/// The session's settings, from `show settings` or after `set`.
struct SettingsResult: CommandOutput {
    /// `show`, or `set`, whose table output is only what it changed.
    let command: String
    let settings: Settings
    /// For `set`: the `key=value` it was given, its status line.
    let changes: [String]?

    var isStatus: Bool { changes != nil }

    var jsonMembers: [JSONMember] { entries.map { JSONMember($0.key, $0.json) } }

    var blocks: [Block] {
        if let changes { return [.text(changes.joined(separator: " "))] }
        var table = Table(columns: [Table.Column("setting"), Table.Column("value")])
        for entry in entries { table.append([.text(entry.key), entry.cell]) }
        return [.table(table)]
    }

    /// Each setting's key, json value and table cell, in the order shown.
    private var entries: [(key: String, json: JSONValue, cell: Cell)] {
        let s = settings
        return [
            ("format", .string(s.format.rawValue), .text(s.format.rawValue)),
            ("seed", .int(Int(s.seed)), .text(String(s.seed))),
            ("threads", .int(s.threads), .text(String(s.threads))),
            ("color", .bool(s.color), .flag(s.color)),
            ("echo", .bool(s.echo), .flag(s.echo)),
            ("timer", .bool(s.timer), .flag(s.timer)),
            ("top", .int(s.top), .text(String(s.top))),
            ("metric", .string(s.metric.rawValue), .text(s.metric.rawValue)),
            ("sample", s.sample.map(JSONValue.int) ?? .null, s.sample.map { .text(String($0)) } ?? .labelled("off", plain: "")),
            ("memory_limit", .int(s.memoryLimit), .bytes(s.memoryLimit)),
            ("keep_going", .bool(s.keepGoing), .flag(s.keepGoing)),
            ("quiet", .bool(s.quiet), .flag(s.quiet)),
        ]
    }
}
