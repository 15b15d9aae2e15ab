/// The output formats of `--format`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, csv, markdown
}

/// Turns results and errors into the text of one output format.
public struct Renderer: Sendable {
    public var format: OutputFormat
    /// ANSI colour and bold: only on a terminal, and never with NO_COLOR.
    public var color: Bool

    public init(format: OutputFormat, color: Bool) {
        self.format = format
        self.color = color
    }

    /// The text for one result, ending with a newline (or empty).
    public func render(_ result: CommandResult, elapsed: Double? = nil) -> String {
        switch format {
        case .json:
            var json = result.json
            if case .object(let members) = json, let elapsed {
                json = .object(members + [JSONMember("elapsed_s", .double(rounded(elapsed, digits: 6)))])
            }
            return json.serialized + "\n"
        case .table: return result.blocks.map(renderForTerminal).joined()
        case .markdown: return result.blocks.map(renderMarkdown).joined(separator: "\n")
        case .csv: return renderCSV(result)
        }
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
            let widths = table.columns.indices.map { c in
                max(table.columns[c].header.count, table.rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0)
            }
            func line(_ cells: [String], header: Bool) -> String {
                var parts: [String] = []
                for (c, column) in table.columns.enumerated() {
                    let cell = c < cells.count ? cells[c] : ""
                    let pad = String(repeating: " ", count: widths[c] - cell.count)
                    let isLast = c == table.columns.count - 1
                    let aligned = column.alignment == .right ? pad + cell : (isLast ? cell : cell + pad)
                    parts.append(header ? style(aligned, .heading) : aligned)
                }
                var line = parts.joined(separator: "  ")
                while line.last == " " { line.removeLast() }
                return line + "\n"
            }
            var out = line(table.columns.map(\.header), header: true)
            for row in table.rows { out += line(row, header: false) }
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
                out += "| " + table.columns.indices.map { $0 < row.count ? escape(row[$0]) : "" }.joined(separator: " | ") + " |\n"
            }
            for note in table.footer { out += "\n" + note + "\n" }
            return out
        }
    }

    /// csv shows the records, else the tables; a result without either
    /// becomes key,value rows.
    private func renderCSV(_ result: CommandResult) -> String {
        let tables = result.records.map { [$0] } ?? result.blocks.compactMap { block -> TextTable? in
            if case .table(let t) = block { return t }
            return nil
        }
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingAll("\"", with: "\"\"") + "\"" : s
        }
        func csv(_ table: TextTable) -> String {
            var out = table.columns.map { field($0.header) }.joined(separator: ",") + "\n"
            for row in table.rows { out += row.map(field).joined(separator: ",") + "\n" }
            return out
        }
        if !tables.isEmpty { return tables.map(csv).joined(separator: "\n") }
        let scalars = result.values.compactMap { member -> [String]? in
            switch member.value {
            case .array, .object: return nil
            case .string(let s): return [member.key, s]
            case .null: return [member.key, ""]
            default: return [member.key, member.value.serialized]
            }
        }
        if scalars.isEmpty { return "" }
        return csv(TextTable(columns: [.init("key"), .init("value")], rows: scalars))
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
