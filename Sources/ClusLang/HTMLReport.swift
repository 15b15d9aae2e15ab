/// A self-contained HTML page: inline CSS and SVG, no scripts, no network.
enum HTMLReport {
    static func page(title: String, sections: [(String, [Block])], charts: [(String, String)]) -> String {
        var body = "<h1>\(escape(title))</h1>\n"
        for (heading, blocks) in sections {
            body += "<section>\n<h2>\(escape(heading))</h2>\n" + blocks.map(html).joined(separator: "\n") + "\n</section>\n"
        }
        for (heading, svg) in charts {
            body += "<section>\n<h2>\(escape(heading))</h2>\n<figure>\n\(svg)\n</figure>\n</section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en" xmlns="http://www.w3.org/1999/xhtml">
        <head>
        <meta charset="utf-8"/>
        <title>\(escape(title))</title>
        <style>
        body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: 0.5em 0; } th, td { padding: 2px 10px; border-bottom: 1px solid #eee; }
        th { text-align: left; background: #f4f4f4; } td.number { text-align: right; font-variant-numeric: tabular-nums; }
        p.note { color: #666; font-size: 0.9em; } figure { margin: 1em 0; } svg { max-width: 100%; height: auto; }
        </style>
        </head>
        <body>
        \(body)<p class="note">Made by clus.</p>
        </body>
        </html>

        """
    }

    private static func html(_ block: Block) -> String {
        switch block {
        case .text(let text, _):
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { "<p>\(escape(String($0)))</p>" }.joined(separator: "\n")
        case .table(let table):
            guard table.audience != .machines else { return "" }
            var out = "<table>\n<tr>" + table.columns.map { "<th>\(escape($0.header))</th>" }.joined() + "</tr>\n"
            for row in table.rows {
                out += "<tr>" + table.columns.indices.map { i in
                    let cell = i < row.cells.count ? row.cells[i].forPeople : ""
                    return table.columns[i].alignment == .right ? "<td class=\"number\">\(escape(cell))</td>" : "<td>\(escape(cell))</td>"
                }.joined() + "</tr>\n"
            }
            out += "</table>"
            for note in table.footer { out += "\n<p class=\"note\">\(escape(note))</p>" }
            return out
        }
    }
}
