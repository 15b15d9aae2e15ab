/// What a command returns: a typed value (the scores, counts and names it
/// computed) that knows its json members and how it looks. The renderer turns
/// it into a table, Markdown, CSV or JSON when it is printed; `assert`, `plot`
/// and `report` read the value itself.
public protocol CommandOutput: Sendable {
    /// The `"command"` key of its json, and the name `assert` looks it up by.
    var command: String { get }
    /// The json members after `"command"`, each key written here once.
    var jsonMembers: [JSONMember] { get }
    /// What tables, Markdown and CSV show.
    var blocks: [Block] { get }
    /// A status line (`loaded ...`, `kmeans_10 on ...`) that `--quiet` hides.
    var isStatus: Bool { get }
    /// What the reader should know about the result (documents left out,
    /// the loader's findings), one sentence each. Tables show them in their
    /// blocks; json gives them as a `notes` array, when there are any.
    var notes: [String] { get }
}

extension CommandOutput {
    public var isStatus: Bool { false }
    public var notes: [String] { [] }

    /// The result as one JSON object, without its wall time.
    public var json: JSONValue { .object([JSONMember("command", .string(command))] + jsonMembers + notesMember) }

    /// `"notes": [...]`, or nothing when there are none.
    var notesMember: [JSONMember] {
        notes.isEmpty ? [] : [JSONMember("notes", .array(notes.map(JSONValue.string)))]
    }
}

/// A result with the wall time its command took: what the session keeps and
/// what json output and `into=` write.
public struct TimedOutput: Sendable {
    public let output: any CommandOutput
    /// Wall seconds.
    public let elapsed: Double

    public init(_ output: any CommandOutput, elapsed: Double) {
        self.output = output
        self.elapsed = elapsed
    }

    /// The json with the notes (if any), then `elapsed_s` (to the microsecond) last.
    public var json: JSONValue {
        .object([JSONMember("command", .string(output.command))] + output.jsonMembers + output.notesMember
                + [JSONMember("elapsed_s", .double(rounded(elapsed, digits: 6)))])
    }
}

/// A result that is one status line and a few json members (`use`, `drop`,
/// `timer`, `echo`, `run`, `plot`, ...).
struct StatusOutput: CommandOutput {
    let command: String
    let jsonMembers: [JSONMember]
    let lines: [String]
    var isStatus = true

    var blocks: [Block] { lines.isEmpty ? [] : [.lines(lines)] }
}
