// TEMPORARY during the move to typed results (issue 13): the old string
// tables, shown through the new blocks. Removed when every command returns
// its own result type.
struct CommandResult: CommandOutput {
    let command: String
    var values: [JSONMember]
    var legacyBlocks: [LegacyBlock]
    var isStatus: Bool
    var records: TextTable?

    init(command: String, values: [JSONMember], blocks: [LegacyBlock], isStatus: Bool = false, records: TextTable? = nil) {
        self.command = command
        self.values = values
        self.legacyBlocks = blocks
        self.isStatus = isStatus
        self.records = records
    }

    var jsonMembers: [JSONMember] { values }

    var blocks: [Block] {
        var out: [Block] = legacyBlocks.map { block in
            switch block {
            case .text(let t, let s): .text(t, s)
            case .table(let t): .table(t.typed(records == nil ? .everyone : .people))
            }
        }
        if let records { out.append(.table(records.typed(.machines))) }
        return out
    }
}

enum LegacyBlock: Sendable {
    case text(String, TextStyle = .plain)
    case table(TextTable)
}

struct TextTable: Sendable {
    typealias Alignment = Table.Alignment
    struct Column: Sendable {
        let header: String
        let alignment: Alignment
        init(_ header: String, _ alignment: Alignment = .left) {
            self.header = header
            self.alignment = alignment
        }
    }
    var columns: [Column]
    var rows: [[String]]
    var footer: [String]
    init(columns: [Column], rows: [[String]] = [], footer: [String] = []) {
        self.columns = columns
        self.rows = rows
        self.footer = footer
    }

    func typed(_ audience: Table.Audience) -> Table {
        Table(columns: columns.map { Table.Column($0.header, key: $0.header, $0.alignment) },
              rows: rows.map { Table.Row($0.map(Cell.text)) }, footer: footer, audience: audience)
    }
}
