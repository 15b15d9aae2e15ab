/// What a command shows: blocks of text and tables whose cells keep their
/// values and kinds, so the one description serves every output format —
/// grouped counts, percentages and bars for people; plain numbers for CSV.
public enum Block: Sendable {
    /// A line (or several) of text; never part of CSV.
    case text(String, TextStyle = .plain)
    case table(Table)
}

/// How a text block is emphasised on a colour terminal.
public enum TextStyle: Sendable {
    case plain, heading, dim, warning
}

/// One value of a table, formatted only when it is rendered.
public indirect enum Cell: Sendable, Equatable {
    case text(String)
    /// Text people read — a label (`ARI`), a shortened or decorated value —
    /// whose CSV form is `plain` (`adjusted_rand_index`, the value in full).
    case labelled(String, plain: String)
    /// A count: `12,000` for people, `12000` in CSV.
    case count(Int)
    /// A share of a whole: `42.5%` for people, `0.425` in CSV.
    case share(Double)
    /// An index value: 4 decimals, or grouped with 2 when large (Calinski-Harabasz); nil shows `—`.
    case score(Double?)
    /// A number with a fixed number of decimals for people.
    case fixed(Double, digits: Int)
    /// A large number grouped with 2 decimals for people: `4,812.33`.
    case grouped(Double)
    /// Seconds: `0.41 s` or `12.3 ms` for people, seconds in CSV.
    case seconds(Double)
    /// Bytes: `4 GiB` for people, a byte count in CSV.
    case bytes(Int)
    /// On or off.
    case flag(Bool)
    /// A bar of `fraction` of `width` cells; for people only (CSV leaves its column out).
    case bar(Double, width: Int)
    /// A group's value repeated on its continuation rows: blank for people, in full in CSV.
    case continued(Cell)
    /// A value marked best of its column (`0.1885 *`); in CSV the mark is a column of its own.
    case marked(Cell, Bool)
    /// A value that also says it was estimated: `0.271 ± 0.004` for people, the estimate in CSV.
    case estimate(Double, halfWidth: Double)
    /// A yes/no of the row that people read as a word when it holds (`← elbow`)
    /// and as nothing when not; `true`/`false` in CSV.
    case tag(String, Bool)
    case empty
}

/// A table of typed cells with column headers and alignments.
public struct Table: Sendable {
    public enum Alignment: Sendable { case left, right }

    /// Who a table is for: `.people` tables are left out of CSV, `.machines`
    /// tables (one kind of row, plain values) are CSV only.
    public enum Audience: Sendable { case everyone, people, machines }

    public struct Column: Sendable {
        /// The header people read.
        public let header: String
        /// The CSV header: a stable snake_case name; empty leaves the column out of CSV.
        public let key: String
        public let alignment: Alignment

        public init(_ header: String, key: String? = nil, _ alignment: Alignment = .left) {
            self.header = header
            self.key = key ?? Table.Column.snakeCase(header)
            self.alignment = alignment
        }

        /// A right-aligned (numeric) column.
        public static func number(_ header: String, key: String? = nil) -> Column { Column(header, key: key, .right) }

        /// A column of bars or marks that only people see.
        public static func decoration(_ header: String = "") -> Column { Column(header, key: "") }

        static func snakeCase(_ header: String) -> String {
            var out = ""
            for c in header.lowercased() {
                if c.isLetter || c.isNumber { out.append(c) } else if !out.hasSuffix("_"), !out.isEmpty { out.append("_") }
            }
            while out.hasSuffix("_") { out.removeLast() }
            return out
        }
    }

    public struct Row: Sendable {
        public var cells: [Cell]
        /// A row that sums up others for people ("other (12)"): not a record, left out of CSV.
        public var isSummary: Bool

        public init(_ cells: [Cell], isSummary: Bool = false) {
            self.cells = cells
            self.isSummary = isSummary
        }
    }

    public var columns: [Column]
    public var rows: [Row]
    /// Lines printed under the table (totals, notes); not part of CSV.
    public var footer: [String]
    public var audience: Audience

    public init(columns: [Column], rows: [Row] = [], footer: [String] = [], audience: Audience = .everyone) {
        self.columns = columns
        self.rows = rows
        self.footer = footer
        self.audience = audience
    }

    public mutating func append(_ cells: [Cell]) { rows.append(Row(cells)) }

    /// A row for people only, left out of CSV.
    public mutating func appendSummary(_ cells: [Cell]) { rows.append(Row(cells, isSummary: true)) }
}

extension Cell {
    /// The cell as people read it in a table, Markdown or the HTML report.
    public var forPeople: String {
        switch self {
        case .text(let s), .labelled(let s, _): s
        case .count(let n): Format.count(n)
        case .share(let f): Format.percent(f)
        case .score(let v): Format.score(v)
        case .fixed(let v, let digits): Format.fixed(v, digits)
        case .grouped(let v): Format.groupedDecimal(v, 2)
        case .seconds(let s): Format.seconds(s)
        case .bytes(let b): ByteSize.format(b)
        case .flag(let b): b ? "on" : "off"
        case .bar(let f, let width): Format.bar(f, width: width)
        case .continued: ""
        case .marked(let cell, let best): cell.forPeople + (best ? " *" : "  ")
        case .estimate(let v, let h): Format.fixed(v, 3) + " ± " + Format.fixed(h, 3)
        case .tag(let word, let holds): holds ? word : ""
        case .empty: ""
        }
    }

    /// The cell as a plain value for CSV: no grouping, units, `%` or padding.
    public var forMachines: String {
        switch self {
        case .text(let s), .labelled(_, let s): s
        case .count(let n), .bytes(let n): String(n)
        case .share(let v), .fixed(let v, _), .grouped(let v), .seconds(let v), .estimate(let v, _): Cell.plain(v)
        case .score(let v): v.map(Cell.plain) ?? ""
        case .flag(let b), .tag(_, let b): b ? "true" : "false"
        case .bar: ""
        case .continued(let cell), .marked(let cell, _): cell.forMachines
        case .empty: ""
        }
    }

    /// Is the value a mark of the best (for CSV's extra column)?
    var isMarkedBest: Bool? {
        if case .marked(_, let best) = self { return best }
        return nil
    }

    /// Shortest text that reads back exactly; empty for NaN and infinities (no value).
    static func plain(_ v: Double) -> String { v.isFinite ? String(v) : "" }
}

extension Block {
    /// A text block from several lines.
    static func lines(_ lines: [String], _ style: TextStyle = .plain) -> Block { .text(lines.joined(separator: "\n"), style) }
}
