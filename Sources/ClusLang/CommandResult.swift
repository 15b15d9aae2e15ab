/// What a command produced: the structured values (json output, `assert`)
/// and how to show them to a person (tables and lines).
public struct CommandResult: Sendable {
    /// The command's name, the `"command"` key in json output.
    public let command: String
    /// Values in key order; `elapsed_s` is added when the command finishes.
    public var values: [JSONMember]
    /// What table, csv and markdown output show.
    public var blocks: [Block]
    /// Status lines (`loaded ...`, `kmeans_10 on ...`) that `--quiet` hides.
    public var isStatus: Bool
    /// Rows for csv when the shown tables are meant for eyes (bars, percents):
    /// plain numbers, one record per row.
    public var records: TextTable?

    public init(command: String, values: [JSONMember], blocks: [Block], isStatus: Bool = false, records: TextTable? = nil) {
        self.command = command
        self.values = values
        self.blocks = blocks
        self.isStatus = isStatus
        self.records = records
    }

    /// The whole result as one JSON object.
    public var json: JSONValue { .object([JSONMember("command", .string(command))] + values) }
}

/// A piece of human-readable output.
public enum Block: Sendable {
    /// A line (or several) of text.
    case text(String, TextStyle = .plain)
    /// An aligned table.
    case table(TextTable)
}

/// How a text block is emphasised on a colour terminal.
public enum TextStyle: Sendable {
    case plain, heading, dim, warning
}

/// A table of strings with column headers and alignments.
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public let header: String
        public let alignment: Alignment
        public init(_ header: String, _ alignment: Alignment = .left) {
            self.header = header
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public var rows: [[String]]
    /// A line printed under the table (totals, notes), not part of csv.
    public var footer: [String]

    public init(columns: [Column], rows: [[String]] = [], footer: [String] = []) {
        self.columns = columns
        self.rows = rows
        self.footer = footer
    }
}
