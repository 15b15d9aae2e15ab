import CSQLite
import ClusCore
#if canImport(Glibc)
import Glibc
#endif

/// `load sqlite` and `export sqlite`, through the system's libsqlite3.
///
/// A connection handle is not Sendable: each call opens its own and closes
/// it before returning, so no handle outlives the thread that made it.
public enum SQLiteDatabase {
    /// The rows of `query` on the database file at `path`, opened read-only,
    /// as a dataset (see `SQLColumns` for how columns are typed).
    /// - Throws: `DataError` (the file, a value that is no vector),
    ///   `QueryError` (the query), `Cancelled`; nothing is returned then.
    /// - Complexity: O(rows × columns), plus what the query costs.
    public static func load(path: String, query: String, options: LoadOptions, blobType: BlobVectorType = .float32,
                            cancellation: Cancellation? = nil) throws -> Dataset {
        _ = try FileBytes.checkReadable(path)
        let db = try open(path, flags: SQLITE_OPEN_READONLY)
        defer { sqlite3_close_v2(db) }
        let context = cancellation.map { Unmanaged.passUnretained($0).toOpaque() }
        if context != nil {
            // a long query (a sort, a scan) is stopped inside sqlite3_step, not only between rows
            sqlite3_progress_handler(db, 10_000, { context in
                guard let context else { return 0 }
                return Unmanaged<Cancellation>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
            }, context)
        }
        let statement = try prepare(db, query, path: path)
        defer { sqlite3_finalize(statement) }
        let columnCount = Int(sqlite3_column_count(statement))
        guard columnCount > 0 else {
            throw QueryError(source: path, message: "the query returns no columns; load takes a SELECT")
        }
        let names = (0 ..< columnCount).map { String(cString: sqlite3_column_name(statement, Int32($0))) }
        var columns = try SQLColumns(names: names, source: path, blobType: blobType)
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else {
                if status == SQLITE_INTERRUPT, cancellation?.isCancelled == true { throw Cancelled() }
                throw QueryError(source: path, message: message(db))
            }
            for c in 0 ..< columnCount {
                try columns.set(value(statement, Int32(c)), column: c)
            }
            columns.finishRow()
            if columns.rows % 4096 == 0 { try cancellation?.check() }
        }
        try cancellation?.check()
        var dataset = try columns.dataset(name: options.name ?? DatasetLoader.baseName(path), vectorField: options.vectorField, strict: options.strict)
        dataset.notes += DatasetLoader.awkwardCases(dataset)
        return dataset
    }

    /// Writes one row per document and alias of `dataset` (`_id`,
    /// `vector_field`, `alias`, `label`) into `table` of the database at
    /// `path` (created if missing), in one transaction that first deletes
    /// the table's rows of the same aliases: all rows or none.
    /// - Returns: the rows written.
    /// - Throws: `DataError` (no `_id`, unknown alias, cannot open),
    ///   `QueryError` (the database refused a statement), `Cancelled`; the
    ///   table is then as it was.
    /// - Complexity: O(documents × aliases).
    @discardableResult
    public static func writeLabels(_ dataset: Dataset, path: String, table: String, aliases: [String]? = nil,
                                   cancellation: Cancellation? = nil) throws -> Int {
        let labels = try LabelRows(dataset, aliases: aliases, destination: path)
        let db = try open(path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        defer { sqlite3_close_v2(db) }
        sqlite3_busy_timeout(db, 5_000)
        let name = LabelRows.quotedTable(table)
        try execute(db, "BEGIN IMMEDIATE", path: path)
        do {
            try execute(db, "CREATE TABLE IF NOT EXISTS \(name) (\"_id\", \"vector_field\" TEXT NOT NULL, \"alias\" TEXT NOT NULL, \"label\" TEXT)", path: path)
            let aliasNames = labels.aliasNames
            let delete = try prepare(db, "DELETE FROM \(name) WHERE \"alias\" IN (\(aliasNames.map { _ in "?" }.joined(separator: ", ")))", path: path)
            defer { sqlite3_finalize(delete) }
            for (i, alias) in aliasNames.enumerated() { bindText(delete, Int32(i + 1), alias) }
            guard sqlite3_step(delete) == SQLITE_DONE else { throw QueryError(source: path, message: message(db)) }
            let insert = try prepare(db, "INSERT INTO \(name) (\"_id\", \"vector_field\", \"alias\", \"label\") VALUES (?, ?, ?, ?)", path: path)
            defer { sqlite3_finalize(insert) }
            var written = 0
            for clustering in labels.clusterings {
                for doc in 0 ..< dataset.count {
                    switch labels.ids[doc] {
                    case .int(let i)?: sqlite3_bind_int64(insert, 1, Int64(i))
                    case .double(let d)?: sqlite3_bind_double(insert, 1, d)
                    case .bool(let b)?: sqlite3_bind_int64(insert, 1, b ? 1 : 0)
                    case .string(let s)?: bindText(insert, 1, s)
                    case nil, .null?: sqlite3_bind_null(insert, 1)
                    }
                    bindText(insert, 2, clustering.vectorField)
                    bindText(insert, 3, clustering.alias)
                    let label = clustering.labels[doc]
                    if label >= 0 { bindText(insert, 4, clustering.clusterNames[label]) } else { sqlite3_bind_null(insert, 4) }
                    guard sqlite3_step(insert) == SQLITE_DONE else { throw QueryError(source: path, message: message(db)) }
                    sqlite3_reset(insert)
                    written += 1
                    if written % 4096 == 0 { try cancellation?.check() }
                }
            }
            try cancellation?.check()
            try execute(db, "COMMIT", path: path)
            return written
        } catch {
            sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    private static func open(_ path: String, flags: Int32) throws -> OpaquePointer {
        var db: OpaquePointer?
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let text = db.map(message) ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(db)
            throw DataError(path: path, message: "cannot open the database: \(text)")
        }
        sqlite3_extended_result_codes(db, 1)
        return db
    }

    /// One statement, compiled; text after it (other than `;` and blanks) is an error.
    private static func prepare(_ db: OpaquePointer, _ sql: String, path: String) throws(QueryError) -> OpaquePointer {
        var statement: OpaquePointer?
        var tailOffset = 0
        let status = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v2(db, text, -1, &statement, &tail)
            if let tail { tailOffset = tail - text }
            return status
        }
        guard status == SQLITE_OK, let statement else {
            let offset = sqlite3_error_offset(db)
            throw QueryError(source: path, message: status == SQLITE_OK ? "the query is empty" : message(db),
                             offset: offset >= 0 ? Int(offset) : nil)
        }
        let rest = Array(sql.utf8)[tailOffset...]
        if rest.contains(where: { $0 != UInt8(ascii: ";") && $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) {
            sqlite3_finalize(statement)
            throw QueryError(source: path, message: "one statement only: the query goes on after its first statement", offset: tailOffset)
        }
        return statement
    }

    private static func execute(_ db: OpaquePointer, _ sql: String, path: String) throws(QueryError) {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw QueryError(source: path, message: message(db)) }
    }

    private static func message(_ db: OpaquePointer) -> String { String(cString: sqlite3_errmsg(db)) }

    private static func bindText(_ statement: OpaquePointer?, _ index: Int32, _ text: String) {
        // SQLITE_TRANSIENT: SQLite copies the bytes before this call returns
        sqlite3_bind_text(statement, index, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    /// Column `c` of the current row; the bytes are SQLite's until the next step.
    private static func value(_ statement: OpaquePointer, _ c: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, c) {
        case SQLITE_INTEGER: return .int(Int(sqlite3_column_int64(statement, c)))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(statement, c))
        case SQLITE_TEXT:
            let text = sqlite3_column_text(statement, c)
            let count = Int(sqlite3_column_bytes(statement, c))
            return .text(UnsafeBufferPointer(start: text, count: text == nil ? 0 : count))
        case SQLITE_BLOB:
            let bytes = sqlite3_column_blob(statement, c)
            let count = Int(sqlite3_column_bytes(statement, c))
            return .blob(UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : count))
        default: return .null
        }
    }
}
