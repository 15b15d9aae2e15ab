import ClusCore

/// The file formats `DatasetWriter` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One JSON object per line, nested fields rebuilt, `_cluster_` in Relevance's layout.
    case jsonl
    /// A header row, one row per document; vectors as JSON-array cells,
    /// labels in `_cluster_.{field}.{alias}` columns.
    case csv
    /// Apache Parquet: `_id` (or the scalar fields `fields=` names) and one
    /// column of cluster names per alias.
    case parquet
    /// A NumPy archive (as `np.savez`): `_id` (or the fields `fields=` names,
    /// vector fields as float32 arrays) and one array of cluster names per alias.
    case npz

    /// The format a file name implies: `.csv` → csv, `.parquet` → parquet, `.npz` → npz, anything else jsonl.
    public init(path: String) {
        switch DatasetLoader.pathExtension(path).lowercased() {
        case "csv": self = .csv
        case "parquet", "parq": self = .parquet
        case "npz": self = .npz
        default: self = .jsonl
        }
    }
}

/// What to export.
public struct ExportOptions: Sendable {
    public var format: ExportFormat?
    /// The aliases whose labels are written; nil for all.
    public var aliases: [String]?
    /// The fields written (scalar or vector, dotted names; a name also picks
    /// the fields nested under it); nil for all.
    public var fields: [String]?

    public init(format: ExportFormat? = nil, aliases: [String]? = nil, fields: [String]? = nil) {
        self.format = format
        self.aliases = aliases
        self.fields = fields
    }
}

/// Writes datasets back to files.
///
/// Documents are rebuilt from the columns rather than copied from the input
/// file: the loader keeps no document text (memory stays about the size of
/// the vectors and fields), and rebuilt documents also carry labels made in
/// the session. Values come back exactly: vectors in Float32's shortest
/// round-tripping text, numbers as read, array fields as their JSON text;
/// a vector field's value that is no usable vector (null, a string, a short
/// array) as read.
public enum DatasetWriter {
    /// Writes `dataset` to `path` atomically; returns the number of documents.
    /// - Throws: `DataError` (unknown field or alias, cannot write), `Cancelled`;
    ///   the file at `path` is then as it was.
    /// - Complexity: O(documents × (fields + dimensions)).
    @discardableResult
    public static func write(
        _ dataset: Dataset, to path: String, options: ExportOptions = ExportOptions(),
        cancellation: Cancellation? = nil
    ) throws -> Int {
        var file = try AtomicFile(path: path)
        try write(dataset, into: &file, options: options, cancellation: cancellation)
        try file.commit()
        return dataset.count
    }

    static func write(
        _ dataset: Dataset, into file: inout AtomicFile, options: ExportOptions, cancellation: Cancellation?
    ) throws {
        let selection = try Selection(dataset, options: options, path: file.path)
        switch options.format ?? ExportFormat(path: file.path) {
        case .jsonl: try writeLines(dataset, selection, into: &file, cancellation: cancellation)
        case .csv: try writeCSV(dataset, selection, into: &file, cancellation: cancellation)
        case .parquet:
            if let v = selection.vectors.first, options.fields != nil {
                throw DataError(path: file.path, message: "'\(dataset.vectors[v].name)' is a vector field; a Parquet export writes labels and scalar fields")
            }
            try ParquetWriter.write(dataset, fields: selection.fields, clusterings: selection.clusterings,
                                    explicitFields: options.fields != nil, into: &file, cancellation: cancellation)
        case .npz:
            try NPZWriter.write(dataset, fields: selection.fields, vectors: selection.vectors, clusterings: selection.clusterings,
                                explicitFields: options.fields != nil, into: &file, cancellation: cancellation)
        }
    }

    /// The columns and clusterings to write.
    struct Selection {
        var fields: [Int] = []
        var vectors: [Int] = []
        var clusterings: [Int] = []

        init(_ d: Dataset, options: ExportOptions, path: String) throws(DataError) {
            if let wanted = options.fields {
                for name in wanted {
                    let f = d.fields.indices.filter { d.fields[$0].name == name || d.fields[$0].name.hasPrefix(name + ".") }
                    let v = d.vectors.indices.filter { d.vectors[$0].name == name || d.vectors[$0].name.hasPrefix(name + ".") }
                    guard !f.isEmpty || !v.isEmpty else {
                        let known = (d.vectors.map(\.name) + d.fields.map(\.name)).joined(separator: ", ")
                        throw DataError(path: path, message: "no field '\(name)' to export; fields: \(known)")
                    }
                    fields += f.filter { !fields.contains($0) }
                    vectors += v.filter { !vectors.contains($0) }
                }
                fields.sort()
                vectors.sort()
            } else {
                fields = Array(d.fields.indices)
                vectors = Array(d.vectors.indices)
            }
            if let wanted = options.aliases {
                for alias in wanted {
                    let c = d.clusterings.indices.filter { d.clusterings[$0].alias == alias }
                    guard !c.isEmpty else {
                        let known = d.clusterings.map(\.alias)
                        throw DataError(path: path, message: "no alias '\(alias)' to export; " + (known.isEmpty ? "the dataset has none" : "aliases: " + known.joined(separator: ", ")))
                    }
                    clusterings += c.filter { !clusterings.contains($0) }
                }
            } else {
                clusterings = Array(d.clusterings.indices)
            }
        }
    }

    /// Where a member of a rebuilt document comes from.
    private indirect enum Node {
        case field(Int)
        case vector(Int)
        case object([(key: String, node: Node)], leaves: [Node])
    }

    /// The members of a document: dotted names become nested objects, unless
    /// a shorter name is itself a field (`a` and `a.b`), when `a.b` stays flat.
    private static func layout(_ d: Dataset, _ s: Selection) -> [(key: String, node: Node)] {
        let sources: [(String, Node)] = s.fields.map { (d.fields[$0].name, Node.field($0)) }
            + s.vectors.map { (d.vectors[$0].name, Node.vector($0)) }
        let names = Set(sources.map(\.0))
        func build(_ items: [([Substring], Node)]) -> [(key: String, node: Node)] {
            var order: [String] = []
            var groups: [String: [([Substring], Node)]] = [:]
            var members: [String: Node] = [:]
            for (parts, node) in items {
                let key = String(parts[0])
                if parts.count == 1 {
                    if members[key] == nil && groups[key] == nil { order.append(key) }
                    members[key] = node
                } else {
                    if groups[key] == nil && members[key] == nil { order.append(key) }
                    groups[key, default: []].append((Array(parts.dropFirst()), node))
                }
            }
            return order.map { key in
                if let node = members[key] { return (key, node) }
                let children = build(groups[key] ?? [])
                return (key, .object(children, leaves: leaves(children)))
            }
        }
        func leaves(_ members: [(key: String, node: Node)]) -> [Node] {
            members.flatMap { m -> [Node] in
                if case .object(_, let l) = m.node { return l }
                return [m.node]
            }
        }
        let items: [([Substring], Node)] = sources.map { name, node in
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            // Flat when any prefix is a field, or a part is empty (`a..b`).
            let flat = parts.contains { $0.isEmpty }
                || (1 ..< parts.count).contains { names.contains(parts[0 ..< $0].joined(separator: ".")) }
            return (flat ? [Substring(name)] : parts, node)
        }
        return build(items)
    }

    private static func writeLines(_ d: Dataset, _ s: Selection, into file: inout AtomicFile, cancellation: Cancellation?) throws {
        let members = layout(d, s)
        let byField = Dictionary(grouping: s.clusterings) { d.clusterings[$0].vectorField }
        let clusterFields = s.clusterings.map { d.clusterings[$0].vectorField }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var line = ""
        for doc in 0 ..< d.count {
            if doc % 4096 == 4095 { try cancellation?.check() }
            line.removeAll(keepingCapacity: true)
            var first = true
            writeMembers(members, d, doc, &line, &first)
            var open = false
            for field in clusterFields {
                var fieldOpen = false
                for c in byField[field] ?? [] {
                    let clustering = d.clusterings[c]
                    let label = clustering.labels[doc]
                    guard label >= 0 else { continue }
                    if !open {
                        line += first ? "\"_cluster_\": {" : ", \"_cluster_\": {"
                        first = false
                        open = true
                    }
                    if !fieldOpen {
                        if line.last != "{" { line += ", " }
                        line += FieldValue.quoted(field) + ": {"
                        fieldOpen = true
                    } else {
                        line += ", "
                    }
                    line += FieldValue.quoted(clustering.alias) + ": " + FieldValue.quoted(clustering.clusterNames[label])
                }
                if fieldOpen { line += "}" }
            }
            if open { line += "}" }
            try file.write("{" + line + "}\n")
        }
    }

    /// Writes the members present in document `doc`.
    private static func writeMembers(_ members: [(key: String, node: Node)], _ d: Dataset, _ doc: Int, _ out: inout String, _ first: inout Bool) {
        for (key, node) in members {
            switch node {
            case .field(let f):
                let column = d.fields[f]
                guard let value = column.values[doc] else { continue }
                out += (first ? "" : ", ") + FieldValue.quoted(key) + ": "
                if column.arrayDocuments.contains(doc), case .string(let text) = value {
                    out += text
                } else {
                    out += value.jsonText
                }
                first = false
            case .vector(let v):
                let column = d.vectors[v]
                if column.present[doc] {
                    out += (first ? "" : ", ") + FieldValue.quoted(key) + ": "
                    appendVector(column.embeddings[row: doc], to: &out)
                } else if let unusable = column.unusable[doc] {
                    // written back as read: null, a string, a short array
                    out += (first ? "" : ", ") + FieldValue.quoted(key) + ": " + unusable.jsonText
                } else {
                    continue
                }
                first = false
            case .object(let children, let leaves):
                guard leaves.contains(where: { isPresent($0, d, doc) }) else { continue }
                out += (first ? "" : ", ") + FieldValue.quoted(key) + ": {"
                var innerFirst = true
                writeMembers(children, d, doc, &out, &innerFirst)
                out += "}"
                first = false
            }
        }
    }

    private static func isPresent(_ node: Node, _ d: Dataset, _ doc: Int) -> Bool {
        switch node {
        case .field(let f): d.fields[f].values[doc] != nil
        case .vector(let v): d.vectors[v].present[doc] || d.vectors[v].unusable[doc] != nil
        case .object(_, let leaves): leaves.contains { isPresent($0, d, doc) }
        }
    }

    /// `[0.1, 2.0]`: each Float in the shortest text that reads back exactly.
    static func appendVector(_ values: ArraySlice<Float>, to out: inout String) {
        out += "["
        var first = true
        for x in values {
            if !first { out += ", " }
            out += x.isFinite ? x.description : "null"
            first = false
        }
        out += "]"
    }

    private static func writeCSV(_ d: Dataset, _ s: Selection, into file: inout AtomicFile, cancellation: Cancellation?) throws {
        let header = s.fields.map { d.fields[$0].name } + s.vectors.map { d.vectors[$0].name }
            + s.clusterings.map { "_cluster_.\(d.clusterings[$0].vectorField).\(d.clusterings[$0].alias)" }
        try file.write(header.map(csvCell).joined(separator: ",") + "\r\n")
        var cells: [String] = []
        for doc in 0 ..< d.count {
            if doc % 4096 == 4095 { try cancellation?.check() }
            cells.removeAll(keepingCapacity: true)
            for f in s.fields {
                switch d.fields[f].values[doc] {
                case nil, .null?: cells.append("")
                case .string(let text)?: cells.append(csvCell(text))
                case let value?: cells.append(value.description)
                }
            }
            for v in s.vectors {
                guard d.vectors[v].present[doc] else {
                    // as a field's cell: null empty, a string bare, an array as its JSON text
                    if let u = d.vectors[v].unusable[doc], u.value != .null {
                        cells.append(csvCell(u.isArray ? u.jsonText : u.value.description))
                    } else {
                        cells.append("")
                    }
                    continue
                }
                var text = ""
                appendVector(d.vectors[v].embeddings[row: doc], to: &text)
                cells.append(csvCell(text))
            }
            for c in s.clusterings {
                let label = d.clusterings[c].labels[doc]
                cells.append(label >= 0 ? csvCell(d.clusterings[c].clusterNames[label]) : "")
            }
            try file.write(cells.joined(separator: ",") + "\r\n")
        }
    }

    /// A CSV cell (RFC 4180): quoted when it holds a comma, quote or line break.
    static func csvCell(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        var out = "\""
        for c in text.unicodeScalars {
            if c == "\"" { out += "\"" }
            out.unicodeScalars.append(c)
        }
        return out + "\""
    }
}
