/// The output formats of `--format`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, csv, markdown
}

/// Turns results and errors into the text of one output format. Every
/// result's look comes from its typed blocks here, in one place.
public struct Renderer: Sendable {
    public var format: OutputFormat
    /// ANSI colour and bold: only on a terminal, and never with NO_COLOR.
    public var color: Bool

    public init(format: OutputFormat, color: Bool) {
        self.format = format
        self.color = color
    }

    /// The text for one result, ending with a newline (or empty). In CSV,
    /// blocks are separated by one blank line; the caller puts one between results.
    public func render(_ result: TimedOutput) -> String {
        switch format {
        case .json: return result.json.serialized + "\n"
        case .table: return forPeople(result.output.blocks).map(renderForTerminal).joined()
        case .markdown: return forPeople(result.output.blocks).map(renderMarkdown).joined(separator: "\n")
        case .csv: return renderCSV(result.output)
        }
    }

    private func forPeople(_ blocks: [Block]) -> [Block] {
        blocks.filter { if case .table(let t) = $0 { t.audience != .machines } else { true } }
    }

    /// The text for an error: the caret form in table/markdown/csv, an object in json.
    public func render(_ error: LocatedDiagnostic) -> String {
        if format == .json {
            var members = [JSONMember("error", .string(error.diagnostic.message))]
            if let hint = error.diagnostic.hint { members.append(JSONMember("hint", .string(hint))) }
            if let source = error.source, let location = error.location {
                members.append(JSONMember("file", .string(source.name)))
                members.append(JSONMember("line", .int(location.line)))
                members.append(JSONMember("column", .int(location.column)))
            }
            return JSONValue.object(members).serialized + "\n"
        }
        let label = color ? "\u{1B}[1;31merror\u{1B}[0m" : "error"
        return error.rendered(errorLabel: label) + "\n"
    }

    /// A dim line under a result (the timer's), in table and Markdown output.
    public func note(_ text: String) -> String {
        format == .table || format == .markdown ? style(text, .dim) + "\n" : ""
    }

    private func style(_ text: String, _ style: TextStyle) -> String {
        guard color else { return text }
        switch style {
        case .plain: return text
        case .heading: return "\u{1B}[1m\(text)\u{1B}[0m"
        case .dim: return "\u{1B}[2m\(text)\u{1B}[0m"
        case .warning: return "\u{1B}[33m\(text)\u{1B}[0m"
        }
    }

    private func renderForTerminal(_ block: Block) -> String {
        switch block {
        case .text(let text, let s): return style(text, s) + "\n"
        case .table(let table):
            let cells = table.rows.map { $0.cells.map(\.forPeople) }
            let widths = table.columns.indices.map { c in
                max(table.columns[c].header.displayWidth, cells.map { c < $0.count ? $0[c].displayWidth : 0 }.max() ?? 0)
            }
            func line(_ cells: [String], header: Bool) -> String {
                var parts: [String] = []
                for (c, column) in table.columns.enumerated() {
                    let cell = c < cells.count ? cells[c] : ""
                    let pad = String(repeating: " ", count: widths[c] - cell.displayWidth)
                    let isLast = c == table.columns.count - 1
                    let aligned = column.alignment == .right ? pad + cell : (isLast ? cell : cell + pad)
                    parts.append(header ? style(aligned, .heading) : aligned)
                }
                var line = parts.joined(separator: "  ")
                while line.last == " " { line.removeLast() }
                return line + "\n"
            }
            var out = line(table.columns.map(\.header), header: true)
            for row in cells { out += line(row, header: false) }
            for note in table.footer { out += style(note, .dim) + "\n" }
            return out
        }
    }

    private func renderMarkdown(_ block: Block) -> String {
        switch block {
        case .text(let text, _): return text + "\n"
        case .table(let table):
            func escape(_ s: String) -> String { s.replacingAll("|", with: "\\|") }
            var out = "| " + table.columns.map { escape($0.header) }.joined(separator: " | ") + " |\n"
            out += "|" + table.columns.map { $0.alignment == .right ? " ---: |" : " --- |" }.joined() + "\n"
            for row in table.rows {
                out += "| " + table.columns.indices.map { $0 < row.cells.count ? escape(row.cells[$0].forPeople) : "" }
                    .joined(separator: " | ") + " |\n"
            }
            for note in table.footer { out += "\n" + note + "\n" }
            return out
        }
    }

    /// CSV: each table meant for machines as one header row and rows of plain
    /// values (summary rows and bar columns left out; a column of best-marks
    /// gets a `<key>_best` column); a result without tables becomes key,value
    /// rows of its scalar json members.
    private func renderCSV(_ output: any CommandOutput) -> String {
        let tables = output.blocks.compactMap { block -> Table? in
            if case .table(let t) = block, t.audience != .people { return t }
            return nil
        }
        if !tables.isEmpty { return tables.map(Renderer.csv).joined(separator: "\n") }
        let scalars = output.jsonMembers.compactMap { member -> Table.Row? in
            switch member.value {
            case .array, .object: return nil
            case .string(let s): return Table.Row([.text(member.key), .text(s)])
            case .null: return Table.Row([.text(member.key), .empty])
            default: return Table.Row([.text(member.key), .text(member.value.serialized)])
            }
        }
        if scalars.isEmpty { return "" }
        return Renderer.csv(Table(columns: [Table.Column("key"), Table.Column("value")], rows: scalars))
    }

    static func csv(_ table: Table) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingAll("\"", with: "\"\"") + "\"" : s
        }
        let records = table.rows.filter { !$0.isSummary }
        // (column, with a best-mark column after it)
        let kept: [(Int, Bool)] = table.columns.indices.compactMap { c in
            guard !table.columns[c].key.isEmpty else { return nil }
            return (c, records.contains { c < $0.cells.count && $0.cells[c].isMarkedBest != nil })
        }
        var header: [String] = []
        for (c, marked) in kept {
            header.append(table.columns[c].key)
            if marked { header.append(table.columns[c].key + "_best") }
        }
        var out = header.map(field).joined(separator: ",") + "\n"
        for row in records {
            var cells: [String] = []
            for (c, marked) in kept {
                let cell = c < row.cells.count ? row.cells[c] : .empty
                cells.append(field(cell.forMachines))
                if marked { cells.append((cell.isMarkedBest ?? false) ? "true" : "false") }
            }
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }
}

/// `value` rounded to `digits` decimals.
func rounded(_ value: Double, digits: Int) -> Double {
    var scale = 1.0
    for _ in 0 ..< digits { scale *= 10 }
    return (value * scale).rounded() / scale
}

extension String {
    /// Every occurrence of `target` replaced, without Foundation.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
