import ClusCore

/// What a join attached and what matched, for the `join` result.
public struct JoinReport: Sendable, Equatable {
    /// The file's documents (rows).
    public var fileRows = 0
    /// The dataset's documents that found a row.
    public var matched = 0
    /// The dataset's documents without a row (their joined values are missing);
    /// `withoutKey` of them have no key value at all.
    public var unmatchedDocuments = 0
    public var withoutKey = 0
    /// Up to three keys of documents without a row, as shown.
    public var unmatchedKeys: [String] = []
    /// The file's rows that match no document.
    public var unmatchedRows = 0
    /// Up to three lines of such rows.
    public var unmatchedLines: [Int] = []
    /// Whether the file has rows rather than lines (Parquet, Arrow, .npz): `unmatchedLines` are row numbers.
    public var fileHasRows = false
    /// The scalar fields attached.
    public var fields: [String] = []
    /// The aliases attached (`_cluster_` labels of the file).
    public var aliases: [String] = []
    /// The file's vector fields, which a join leaves out.
    public var vectorsLeftOut: [String] = []

    public init() {}
}

/// Attaches columns of a file to a dataset by a key: `join PATH on=FIELD`.
public enum DatasetJoin {
    /// The dataset with the scalar fields and `_cluster_` labels of the
    /// JSON Lines, JSON, CSV, Parquet, Arrow or .npz file at `path` attached, the file's row for
    /// each document found by the key field `on` (compared by the label rule,
    /// `LabelValue`: `3` and `"3"` match). Documents without a row get missing
    /// values. `fields` (names of fields or aliases of the file) picks the
    /// columns; by default every field but the key, and every alias.
    ///
    /// - Throws: `DataError` for a file that does not load, a key field absent
    ///   from the dataset or the file, a row without a key or with a key
    ///   already seen (naming its line), a picked name the file lacks, or a
    ///   column the dataset has already; `d` is untouched then.
    /// - Complexity: O(file size + documents × joined columns).
    public static func join(
        _ d: Dataset, path: String, on key: String, fields picked: [String]?, format given: DataFormat?,
        cancellation: Cancellation? = nil
    ) throws -> (Dataset, JoinReport) {
        guard let format = given ?? DataFormat(path: path) else {
            _ = try FileBytes.checkReadable(path)
            throw DataError.unknownFormat(path)
        }
        guard format != .npy else { throw DataError(path: path, message: "join reads JSON Lines, JSON, CSV, Parquet, Arrow or .npz, not .npy") }
        // a CSV's columns are all fields here: no vector is picked from numeric columns
        let file = format.delimiter != nil ? try DatasetLoader.loadLabels(path: path, delimiter: format.delimiter)
            : try DatasetLoader.parse(FileBytes.read(path), format: format, path: path, options: LoadOptions(format: given),
                                      cancellation: cancellation)
        try cancellation?.check()
        guard let documentKeys = d.field(named: key) else {
            throw DataError(path: path, message: "\(d.name) has no field '\(key)' to join on" + fieldList(d.fields))
        }
        guard let fileKeys = file.field(named: key) else {
            throw DataError(path: path, message: "no field '\(key)' in the file to join on" + fieldList(file.fields))
        }
        let rowOf = try rowsByKey(fileKeys, path: path, format: format)
        var report = JoinReport()
        report.fileRows = file.count
        report.fileHasRows = format.hasRows

        // row of each document, -1 where none
        var rows = [Int](repeating: -1, count: d.count)
        var used = [Bool](repeating: false, count: file.count)
        for (doc, value) in documentKeys.values.enumerated() {
            guard let value, let label = LabelValue(value) else {
                report.unmatchedDocuments += 1
                report.withoutKey += 1
                continue
            }
            guard let row = rowOf[label] else {
                report.unmatchedDocuments += 1
                if report.unmatchedKeys.count < 3 { report.unmatchedKeys.append(label.description) }
                continue
            }
            rows[doc] = row
            used[row] = true
        }
        report.matched = d.count - report.unmatchedDocuments
        let unusedRows = used.indices.filter { !used[$0] }
        report.unmatchedRows = unusedRows.count
        if !unusedRows.isEmpty {
            let lines = documentLines(try FileBytes.read(path), format: format)
            report.unmatchedLines = unusedRows.prefix(3).map { $0 < lines.count ? lines[$0] : $0 + 1 }
        }

        let (fields, clusterings) = try columns(of: file, key: key, picked: picked, path: path)
        try refuseClashes(fields: fields, clusterings: clusterings, with: d, path: path)
        var joined = d
        for field in fields {
            joined.fields.append(moved(field, to: rows))
            report.fields.append(field.name)
        }
        for c in clusterings {
            joined.clusterings.append(moved(c, to: rows))
            report.aliases.append(c.alias)
        }
        report.vectorsLeftOut = file.vectors.map(\.name)
        return (joined, report)
    }

    /// A column the dataset has already is an error that names the others, for `fields=`.
    private static func refuseClashes(fields: [FieldColumn], clusterings: [Clustering], with d: Dataset, path: String) throws(DataError) {
        let fieldClashes = fields.map(\.name).filter { d.field(named: $0) != nil || d.vector(named: $0) != nil }
        let aliasClashes = clusterings.filter { d.clustering(alias: $0.alias, vectorField: $0.vectorField) != nil }.map(\.alias)
        let clashes = fieldClashes + aliasClashes
        guard !clashes.isEmpty else { return }
        let others = fields.map(\.name).filter { !fieldClashes.contains($0) } + clusterings.map(\.alias).filter { !aliasClashes.contains($0) }
        let what = (fieldClashes.isEmpty ? "" : "field\(fieldClashes.count == 1 ? "" : "s") " + fieldClashes.joined(separator: ", "))
            + (fieldClashes.isEmpty || aliasClashes.isEmpty ? "" : " and ")
            + (aliasClashes.isEmpty ? "" : "alias\(aliasClashes.count == 1 ? "" : "es") " + aliasClashes.joined(separator: ", "))
        throw DataError(path: path, message: "\(d.name) has the \(what) already; "
                        + (others.isEmpty ? "nothing else to join" : "join the others with fields=[\(others.joined(separator: ", "))]"))
    }

    /// `; fields: a, b, …` for an error naming a missing field.
    private static func fieldList(_ fields: [FieldColumn]) -> String {
        fields.isEmpty ? "; it has no scalar fields" : "; fields: " + fields.prefix(12).map(\.name).joined(separator: ", ")
    }

    /// Each key's row; a row without a key, or with a key an earlier row has, is an error naming its line.
    private static func rowsByKey(_ keys: FieldColumn, path: String, format: DataFormat) throws(DataError) -> [LabelValue: Int] {
        var rowOf: [LabelValue: Int] = [:]
        var lines: [Int]?
        func line(_ row: Int) throws(DataError) -> Int {
            if lines == nil {
                do { lines = documentLines(try FileBytes.read(path), format: format) }
                catch let error as DataError { throw error }
                catch { throw DataError(path: path, message: String(describing: error)) }
            }
            return row < lines!.count ? lines![row] : row + 1
        }
        for (row, value) in keys.values.enumerated() {
            guard let value, let label = LabelValue(value) else {
                throw DataError(path: path, line: try line(row), message: "this row has no '\(keys.name)' to join on")
            }
            if let first = rowOf[label] {
                throw DataError(path: path, line: try line(row),
                                message: "duplicate \(keys.name) \(label.description) (first at \(format.hasRows ? "row" : "line") \(try line(first))): a key must name one row")
            }
            rowOf[label] = row
        }
        return rowOf
    }

    /// The file's columns to attach: `picked` names fields or aliases; by default all but the key.
    private static func columns(of file: Dataset, key: String, picked: [String]?, path: String) throws(DataError) -> ([FieldColumn], [Clustering]) {
        guard let picked else { return (file.fields.filter { $0.name != key }, file.clusterings) }
        var fields: [FieldColumn] = [], clusterings: [Clustering] = []
        for name in picked {
            if name == key { continue }  // the key is matched on, never attached
            let aliases = file.clusterings.filter { $0.alias == name || "_cluster_.\($0.vectorField).\($0.alias)" == name }
            if let field = file.field(named: name) {
                fields.append(field)
            } else if !aliases.isEmpty {
                clusterings += aliases
            } else {
                let known = file.fields.map(\.name) + file.clusterings.map(\.alias)
                throw DataError(path: path, message: "fields= names '\(name)', which the file lacks; it has: " + known.prefix(12).joined(separator: ", "))
            }
        }
        return (fields, clusterings)
    }

    /// The column with each document's value from its row (`rows[doc]`, -1: none).
    private static func moved(_ field: FieldColumn, to rows: [Int]) -> FieldColumn {
        var arrays: Set<Int> = []
        let values: [FieldValue?] = rows.enumerated().map { doc, row in
            guard row >= 0 else { return nil }
            if field.arrayDocuments.contains(row) { arrays.insert(doc) }
            return field.values[row]
        }
        return FieldColumn(name: field.name, values: values, arrayDocuments: arrays)
    }

    /// The clustering with each document's label from its row; clusters no
    /// document lands in are dropped, the others keep their order.
    private static func moved(_ c: Clustering, to rows: [Int]) -> Clustering {
        let labels = rows.map { $0 >= 0 ? c.labels[$0] : -1 }
        var used = [Bool](repeating: false, count: c.k)
        for label in labels where label >= 0 { used[label] = true }
        var code = [Int](repeating: -1, count: c.k)
        var names: [String] = []
        for old in 0 ..< c.k where used[old] {
            code[old] = names.count
            names.append(c.clusterNames[old])
        }
        return Clustering(vectorField: c.vectorField, alias: c.alias, labels: labels.map { $0 >= 0 ? code[$0] : -1 },
                          clusterNames: names, details: nil)
    }

    /// The 1-based line each document of `bytes` starts on, as the readers
    /// count documents: JSON Lines' non-blank lines, CSV's rows after the
    /// header (quoted cells may span lines; blank lines skipped), the objects
    /// of a JSON array. Only computed for messages.
    /// - Complexity: O(file size).
    static func documentLines(_ bytes: [UInt8], format: DataFormat) -> [Int] {
        // Parquet, Arrow and .npz have rows, not lines: messages name row N (none here: the caller counts from 1)
        if format.hasRows { return [] }
        var lines: [Int] = []
        var line = 1
        let newline = UInt8(ascii: "\n"), quote = UInt8(ascii: "\"")
        // as the loader, a .json file that starts with '{' is JSON Lines
        let jsonLines = format == .jsonl || (format == .json && bytes.first { !isBlank($0) } == UInt8(ascii: "{"))
        let delimited = format.delimiter != nil
        if jsonLines || delimited {
            // rowLine: where the current row started; nil while it is blank so far
            var inQuotes = false, rowLine: Int? = nil, header = delimited
            for byte in bytes {
                if byte == newline && !inQuotes {
                    if let rowLine { if header { header = false } else { lines.append(rowLine) } }
                    rowLine = nil
                    line += 1
                    continue
                }
                // a CSV row is blank only when empty; a JSON line when all whitespace
                if rowLine == nil && (delimited ? byte != UInt8(ascii: "\r") : !isBlank(byte)) { rowLine = line }
                if byte == newline { line += 1 }
                if delimited && byte == quote { inQuotes.toggle() }
            }
            if let rowLine, !header { lines.append(rowLine) }
            return lines
        }
        // a JSON array: an object at depth 1 starts a document
        var depth = 0, inString = false, escaped = false
        for byte in bytes {
            if byte == newline { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == quote { inString = false }
                continue
            }
            switch byte {
            case quote: inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 1 && byte == UInt8(ascii: "{") { lines.append(line) }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return lines
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }
}

extension DataFormat {
    /// Whether the format's records are rows counted from 1 rather than lines of text.
    var hasRows: Bool { self == .parquet || self == .npz || self == .arrow }
}
