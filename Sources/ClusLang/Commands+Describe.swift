import ClusCore
import ClusData

extension Interpreter {
    /// `describe`: each cluster's size, its most typical documents (nearest
    /// its centroid), its most doubtful (lowest silhouette) and, with `text=`,
    /// its distinctive terms.
    func describe(_ arguments: BoundArguments) throws -> DescribeResult {
        let d = try session.currentDataset()
        let c = try clustering(in: d, arguments)
        let vectors = try vectorColumn(in: d, named: c.vectorField, range: arguments.range(of: "field"))
        let n = try arguments.integer("n", atLeast: 1) ?? 5
        let termCount = try arguments.integer("terms", atLeast: 1) ?? 10
        let text = try textField(in: d, arguments)
        if arguments.has("terms"), text == nil {
            throw Diagnostic("terms= counts the terms of text=; give text=FIELD too", at: arguments.range(of: "terms"))
        }
        let shown = try describedFields(in: d, arguments, text: text)
        let noise = scoringNoise(arguments, for: c)
        let noiseCode = c.code(ofNoise: noise.name)
        // every labelled document but the noise; -1: none
        let labels = c.labels.map { $0 == noiseCode ? -1 : $0 }
        var codes = naturalOrder(c.clusterNames).filter { $0 != noiseCode && labels.contains($0) }
        if let name = arguments.text("cluster") {
            guard let code = c.clusterNames.firstIndex(of: name) ?? c.clusterNames.firstIndex(of: "cluster_" + name),
                  code != noiseCode else {
                throw Diagnostic.unknown("cluster", name, of: c.alias, at: arguments.range(of: "cluster") ?? SourceRange(0, 0),
                                         known: codes.map { c.clusterNames[$0] })
            }
            codes = [code]
        }
        let metric = scoringMetric(arguments, for: c)
        let rows = labels.indices.filter { labels[$0] >= 0 && vectors.present[$0] }
        let x = rows.count == d.count ? vectors.embeddings : vectors.embeddings.rows(rows)
        let typical = typicalDocuments(x, labels: rows.map { labels[$0] }, clusterCount: c.k, count: n, metric: metric)
        // exact when cheap; a stratified sample beyond 20,000 documents (euclidean, manhattan)
        let scored = try documentSilhouettes(arguments, largeSample: 10_000)
        var doubtful = [[(row: Int, silhouette: Double)]](repeating: [], count: c.k)
        for (i, s) in scored.samples.enumerated() { doubtful[scored.labels[i]].append((scored.rows[i], s)) }
        let terms = text.map { field in
            distinctiveTerms(texts: field.values.map { value in if case .string(let s)? = value { s } else { nil } },
                             labels: labels, clusterCount: c.k, top: termCount)
        }
        let ids = d.field(named: "_id")
        func document(_ row: Int, _ measure: Double) -> DescribeResult.Document {
            DescribeResult.Document(row: row, id: ids?.values[row] ?? nil, values: shown.map { $0.values[row] ?? nil }, measure: measure)
        }
        let clusters = codes.map { code in
            DescribeResult.Cluster(
                name: c.clusterNames[code], size: labels.count { $0 == code },
                typical: typical[code].map { document(rows[$0.row], $0.distance) },
                doubtful: doubtful[code].sorted { ($0.silhouette, $0.row) < ($1.silhouette, $1.row) }.prefix(n).map { document($0.row, $0.silhouette) },
                terms: terms?[code])
        }
        return DescribeResult(name: ClusteringName(c, of: d), metric: metric, fields: shown.map(\.name), text: text?.name,
                              clusters: clusters, estimate: scored.estimate, noise: scored.noise, withoutVector: WithoutVector(vectors))
    }

    /// The field `text=` names; an error unless it holds text.
    private func textField(in d: Dataset, _ arguments: BoundArguments) throws(Diagnostic) -> FieldColumn? {
        guard let name = arguments.text("text") else { return nil }
        let at = arguments.range(of: "text") ?? SourceRange(0, 0)
        guard let field = d.field(named: name) else {
            throw Diagnostic.unknown("field", name, at: at, known: d.fields.map(\.name))
        }
        let strings = field.values.indices.count { i in
            if case .string? = field.values[i] { !field.arrayDocuments.contains(i) } else { false }
        }
        guard strings > 0 else {
            throw Diagnostic("text= needs a field of text; \(name) holds \(field.typeDescription)", at: at)
        }
        return field
    }

    /// The fields `fields=` names (default: the text field), `_id` left out
    /// since every row shows it; an unknown name is an error.
    private func describedFields(in d: Dataset, _ arguments: BoundArguments, text: FieldColumn?) throws(Diagnostic) -> [FieldColumn] {
        guard let names = arguments.list("fields") else { return text.map { [$0] } ?? [] }
        return try names.filter { $0 != "_id" }.map { name throws(Diagnostic) in
            guard let field = d.field(named: name) else {
                throw Diagnostic.unknown("field", name, at: arguments.range(of: "fields") ?? SourceRange(0, 0), known: d.fields.map(\.name))
            }
            return field
        }
    }
}
