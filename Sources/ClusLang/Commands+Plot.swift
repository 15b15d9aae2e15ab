import ClusCore
import ClusData

extension Interpreter {
    /// `plot KIND into "file.svg"`: the chart as a standalone SVG file.
    func plot(_ arguments: BoundArguments) throws -> CommandResult {
        guard let kind = arguments.text(at: 0), let path = arguments.text(at: 1) else { throw Diagnostic("plot needs a kind and a file") }
        let svg = try chart(kind, arguments)
        try writeFile(svg + "\n", to: path, at: arguments.positionals[1].range)
        return CommandResult(command: "plot", values: [JSONMember("kind", .string(kind)), JSONMember("path", .string(path)),
                                                       JSONMember("bytes", .int(svg.utf8.count + 1))],
                             blocks: [.text("wrote the \(kind) chart to \(path)")], isStatus: true)
    }

    /// The SVG of one chart kind, from the current dataset or the last result.
    func chart(_ kind: String, _ arguments: BoundArguments) throws -> String {
        switch kind {
        case "silhouette":
            let scored = try documentSilhouettes(arguments)
            let (c, labels, samples) = (scored.clustering, scored.labels, scored.samples)
            var byCluster = [[Double]](repeating: [], count: c.k)
            for (i, s) in samples.enumerated() { byCluster[labels[i]].append(s) }
            let order = naturalOrder(c.clusterNames).filter { !byCluster[$0].isEmpty }
            let mean = scored.estimate?.value ?? samples.reduce(0, +) / Double(samples.count)
            return Charts.silhouette(byCluster: order.map { (c.clusterNames[$0], byCluster[$0]) }, mean: mean,
                                     title: "Silhouette of \(c.alias) on \(c.vectorField)")
        case "distribution":
            let result = try distribution(arguments, allTruthValues: true)
            guard case .array(let clusters)? = result.json["clusters"] else { throw Diagnostic("no clusters to plot") }
            let truth: String? = if case .string(let t)? = result.json["truth"] { t } else { nil }
            let bars = clusters.map { cluster -> (name: String, size: Int, segments: [(value: String, count: Int)]) in
                let segments: [(value: String, count: Int)]
                if case .array(let values)? = cluster["truth"] {
                    segments = values.compactMap { v in
                        if case .string(let name)? = v["value"], case .int(let count)? = v["count"] { return (name, count) }
                        return nil
                    }
                } else {
                    segments = []
                }
                let name: String = if case .string(let n)? = cluster["cluster"] { n } else { "" }
                let size: Int = if case .int(let s)? = cluster["size"] { s } else { 0 }
                return (name, size, segments)
            }
            let alias: String = if case .string(let a)? = result.json["alias"] { a } else { "" }
            return Charts.distribution(clusters: bars, truthName: truth,
                                       title: "Documents per cluster of \(alias)" + (truth.map { " by \($0)" } ?? ""))
        case "sweep":
            guard let sweep = session.lastResults["sweep"]?.json, case .array(let rows)? = sweep["rows"] else {
                throw Diagnostic("no sweep to plot yet", hint: "run 'sweep k=2..10' first")
            }
            func numbers(_ key: String) -> [Double?] {
                rows.map { row in
                    switch row[key] {
                    case .double(let d)?: d
                    case .int(let i)?: Double(i)
                    default: nil
                    }
                }
            }
            let ks = numbers("k").map { Int($0 ?? 0) }
            func bestIndex(_ key: String) -> Int? {
                guard case .int(let k)? = sweep["best"]?[key] else { return nil }
                return ks.firstIndex(of: k)
            }
            var series: [(name: String, values: [Double?], best: Int?)] = [
                ("silhouette", numbers("silhouette"), bestIndex("silhouette")),
                ("Calinski-Harabasz", numbers("calinski_harabasz"), bestIndex("calinski_harabasz")),
                ("Davies-Bouldin (lower is better)", numbers("davies_bouldin"), bestIndex("davies_bouldin")),
            ]
            if numbers("adjusted_rand_index").contains(where: { $0 != nil }) {
                series += [("ARI", numbers("adjusted_rand_index"), bestIndex("adjusted_rand_index")),
                           ("NMI", numbers("normalized_mutual_info"), bestIndex("normalized_mutual_info"))]
            }
            let field: String = if case .string(let f)? = sweep["vector_field"] { f } else { "" }
            return Charts.sweep(ks: ks, inertia: numbers("inertia").map { $0 ?? 0 }, series: series, elbow: bestIndex("elbow"),
                                title: "k-means sweep on \(field)")
        case "compare":
            guard let compare = session.lastResults["compare"]?.json, let contingency = compare["contingency"],
                  case .array(let rows)? = contingency["rows"], case .array(let columns)? = contingency["columns"],
                  case .array(let counts)? = contingency["counts"] else {
                throw Diagnostic("no comparison to plot yet", hint: "run 'compare A B' first")
            }
            func text(_ v: JSONValue) -> String { if case .string(let s) = v { s } else { v.serialized } }
            let matrix = counts.map { row -> [Int] in
                guard case .array(let cells) = row else { return [] }
                return cells.map { if case .int(let i) = $0 { i } else { 0 } }
            }
            let a = compare["a"].map(text) ?? "A", b = compare["b"].map(text) ?? "B"
            return Charts.compare(rows: rows.map(text), columns: columns.map(text), counts: matrix, rowTitle: a, columnTitle: b,
                                  title: "\(a) against \(b), matched clusters on the diagonal")
        default:
            throw Diagnostic("unknown chart '\(kind)'")
        }
    }

    /// `report into "report.html"`: one self-contained page with the dataset,
    /// the distribution, the metrics with their readings and the charts.
    func report(_ arguments: BoundArguments) throws -> CommandResult {
        guard let path = arguments.text(at: 0) else { throw Diagnostic("report needs a file") }
        let d = try session.currentDataset()
        let c = try clustering(in: d, arguments)
        var sections: [(String, [Block])] = []
        let truth = arguments.text("truth")
        sections.append(("Dataset", try schema().blocks))
        sections.append(("Distribution over the clusters of \(c.alias)", try distribution(arguments).blocks))
        sections.append(("Metrics", try metrics(arguments).blocks))
        var charts: [(String, String)] = []
        charts.append(("The silhouette plot", try chart("silhouette", arguments)))
        charts.append(("Documents per cluster", try chart("distribution", arguments)))
        if session.lastResults["sweep"] != nil { charts.append(("The sweep over k", try chart("sweep", arguments))) }
        if session.lastResults["compare"] != nil { charts.append(("The last comparison", try chart("compare", arguments))) }
        let html = HTMLReport.page(title: "clus report: \(d.name), \(c.alias)" + (truth.map { " against \($0)" } ?? ""),
                                   sections: sections, charts: charts)
        try writeFile(html, to: path, at: arguments.positionals[0].range)
        return CommandResult(command: "report", values: [JSONMember("path", .string(path)), JSONMember("bytes", .int(html.utf8.count)),
                                                         JSONMember("charts", .int(charts.count))],
                             blocks: [.text("wrote the report to \(path) (\(charts.count) charts)")], isStatus: true)
    }
}

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
