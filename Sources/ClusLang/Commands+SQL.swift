import ClusCore
import ClusData

/// Where `load` and `export` reach a database instead of a file: the word
/// before the path (`load sqlite "app.db" query="…"`).
enum DatabaseKind: String, CaseIterable {
    case sqlite, postgres
}

/// `text` with the passwords of connection strings in it replaced by `***`:
/// for the shell's history, `--echo` and quoted source lines.
public func redactingPasswords(_ text: String) -> String { ConnectionString.redacted(text) }

extension Interpreter {
    /// `load sqlite "FILE" query="…"` and `load postgres "CONNINFO" query="…"`.
    func loadQuery(_ arguments: BoundArguments) throws -> LoadResult {
        guard let (word, wordRange) = arguments.source, let kind = DatabaseKind(rawValue: word) else {
            throw Diagnostic("load needs a path")
        }
        for option in ["format", "labels"] where arguments.has(option) {
            throw Diagnostic("\(option)= goes with a file; load \(word) reads the rows of query=", at: arguments.range(of: option))
        }
        let target = arguments.text(at: 0)
        if kind == .sqlite && target?.isEmpty ?? true {
            throw Diagnostic("load sqlite needs the database file", at: wordRange, hint: "load sqlite \"app.db\" query=\"SELECT …\"")
        }
        guard let query = arguments.text("query") else {
            throw Diagnostic("load \(word) needs query=\"SELECT …\"", at: arguments.positionals.first?.range ?? wordRange,
                             hint: "columns: _id, vector columns (BLOBs or arrays), fields")
        }
        if kind == .postgres, arguments.has("vector_type") {
            throw Diagnostic("vector_type= is for SQLite BLOBs; PostgreSQL arrays say their type", at: arguments.range(of: "vector_type"))
        }
        let options = LoadOptions(name: arguments.text(at: 1), vectorField: arguments.text("vector"), strict: arguments.flag("strict") ?? false)
        let dataset: Dataset
        do {
            switch kind {
            case .sqlite:
                let blobType = arguments.text("vector_type").flatMap(BlobVectorType.init(rawValue:)) ?? .float32
                dataset = try SQLiteDatabase.load(path: target ?? "", query: query, options: options, blobType: blobType,
                                                  cancellation: session.cancellation)
            case .postgres:
                dataset = try PostgresDatabase.load(conninfo: target ?? "", query: query, options: options,
                                                    cancellation: session.cancellation)
            }
        } catch let error as QueryError {
            throw queryDiagnostic(error, query: query, arguments)
        } catch let error as DataError {
            // a file or connection under the path, vector= under itself, the rows' values under the query
            let range = error.message.hasPrefix("cannot") ? arguments.positionals.first?.range ?? wordRange
                : error.message.contains("strict=on") ? arguments.range(of: "strict")
                : error.message.hasPrefix("no vector field") || error.message.contains("is not a vector:") ? arguments.range(of: "vector")
                : arguments.range(of: "query")
            throw Diagnostic(error.description, at: range)
        }
        try session.add(dataset)
        return LoadResult(dataset: DatasetSummary(dataset), notes: dataset.notes)
    }

    /// `export sqlite "FILE" table=T` and `export postgres "CONNINFO" table=T`.
    func exportTable(_ arguments: BoundArguments) throws -> StatusOutput {
        guard let (word, wordRange) = arguments.source, let kind = DatabaseKind(rawValue: word) else {
            throw Diagnostic("export needs a path")
        }
        for option in ["format", "fields"] where arguments.has(option) {
            throw Diagnostic("\(option)= goes with a file; export \(word) writes one row per document and alias", at: arguments.range(of: option))
        }
        let target = arguments.text(at: 0)
        if kind == .sqlite && target?.isEmpty ?? true {
            throw Diagnostic("export sqlite needs the database file", at: wordRange, hint: "export sqlite \"app.db\" table=clus_labels")
        }
        guard let table = arguments.text("table"), !table.isEmpty else {
            throw Diagnostic("export \(word) needs table=NAME", at: arguments.positionals.first?.range ?? wordRange,
                             hint: "the table gets one row per document and alias: _id, vector_field, alias, label")
        }
        let d = try session.currentDataset()
        let aliases = arguments.list("aliases")
        let shown: String
        let rows: Int
        do {
            switch kind {
            case .sqlite:
                shown = target ?? ""
                rows = try SQLiteDatabase.writeLabels(d, path: shown, table: table, aliases: aliases, cancellation: session.cancellation)
            case .postgres:
                shown = redactingPasswords(target ?? "")
                rows = try PostgresDatabase.writeLabels(d, conninfo: target ?? "", table: table, aliases: aliases,
                                                        cancellation: session.cancellation)
            }
        } catch let error as QueryError {
            throw Diagnostic(error.description, at: arguments.range(of: "table"))
        } catch let error as DataError {
            let range = error.message.hasPrefix("no alias") ? arguments.range(of: "aliases") : arguments.positionals.first?.range ?? wordRange
            throw Diagnostic(error.description, at: range)
        }
        let written = aliases ?? d.clusterings.map(\.alias).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var line = "exported \(d.name): \(Format.count(rows, "label row", "label rows")) (\(Format.count(d.count, "document", "documents"))) to \(shown) table \(table) (\(word))"
        if !written.isEmpty { line += " · aliases: " + written.joined(separator: ", ") }
        return StatusOutput(command: "export", jsonMembers: [
            JSONMember("dataset", .string(d.name)),
            JSONMember("path", .string(shown)),
            JSONMember("format", .string(word)),
            JSONMember("table", .string(table)),
            JSONMember("documents", .int(d.count)),
            JSONMember("rows", .int(rows)),
            JSONMember("aliases", .array(written.map(JSONValue.string))),
        ], lines: [line])
    }

    /// Options of `load` that need a database word before the path.
    func rejectQueryOptions(_ arguments: BoundArguments) throws(Diagnostic) {
        for option in ["query", "vector_type"] where arguments.has(option) {
            throw Diagnostic("\(option)= goes with load sqlite \"FILE\" or load postgres \"CONNINFO\"", at: arguments.range(of: option))
        }
    }

    /// The database's message, the caret under the spot it names in the
    /// query: in the script's own text when the query is a plain quoted
    /// string there (no escapes, no substitutions), else under the whole query.
    private func queryDiagnostic(_ error: QueryError, query: String, _ arguments: BoundArguments) -> Diagnostic {
        let valueRange = arguments.range(of: "query")
        guard let offset = error.byteOffset(in: query), let valueRange else {
            return Diagnostic(error.description, at: valueRange)
        }
        let literal = arguments.call.arguments.first { $0.name == "query" }?.value
        if case .string(let text)? = literal?.kind, text == query, valueRange.end - valueRange.start == query.utf8.count + 2 {
            let start = valueRange.start + 1 + min(offset, query.utf8.count)
            let end = start + SQLToken.length(in: Array(query.utf8), at: offset)
            return Diagnostic(error.description, at: SourceRange(start, end))
        }
        let shownOffset = String(decoding: Array(query.utf8).prefix(offset), as: UTF8.self).count + 1
        return Diagnostic(error.description + " (at character \(shownOffset) of the query)", at: valueRange)
    }
}

/// The token a database's error offset points at, to underline it.
enum SQLToken {
    /// Bytes of the word (or the one other character) starting at `offset`.
    static func length(in bytes: [UInt8], at offset: Int) -> Int {
        guard offset < bytes.count else { return 1 }
        func isWord(_ b: UInt8) -> Bool { b == UInt8(ascii: "_") || b >= 0x80 || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        var end = offset
        while end < bytes.count, isWord(bytes[end]) { end += 1 }
        return max(1, end - offset)
    }
}
