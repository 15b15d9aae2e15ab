import CLibPQ
import ClusCore
#if canImport(Glibc)
import Glibc
#endif

/// `load postgres` and `export postgres`, through libpq.
///
/// Rows stream in libpq's single-row mode (chunked where libpq has it), so a
/// million rows never sit in memory as text: each is turned into column
/// values as it arrives. The connection is not Sendable: each call opens its
/// own and closes it before returning.
public enum PostgresDatabase {
    /// The rows of `query` as a dataset. `conninfo` is a `key=value` string or a
    /// `postgresql://` URI; libpq fills what it leaves out from the `PG*`
    /// environment variables. Ctrl-C (`cancellation`) cancels the query on
    /// the server.
    /// - Throws: `DataError` (connection, a value that is no vector),
    ///   `QueryError` (the query, with PostgreSQL's error position), `Cancelled`.
    /// - Complexity: O(rows × columns), plus what the query costs.
    public static func load(conninfo: String, query: String, options: LoadOptions,
                            cancellation: Cancellation? = nil) throws -> Dataset {
        let shown = ConnectionString.redacted(conninfo)
        let connection = try Connection(conninfo, shown: shown, cancellation: cancellation)
        defer { connection.close() }
        // read-only, as load promises: a query that writes is refused by the server
        try connection.run("SET default_transaction_read_only = on")
        // the extended protocol takes one statement only, so the rows are of one result
        guard PQsendQueryParams(connection.handle, query, 0, nil, nil, nil, nil, 0) == 1 else { throw QueryError(source: shown, message: connection.message) }
        _ = clus_pq_set_row_mode(connection.handle, 4096)
        var columns: SQLColumns?
        var kinds: [ValueKind] = []
        var failure: Error?
        while let result = try connection.nextResult(cancellation: cancellation) {
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            guard failure == nil else { continue }   // drain the rest, so the connection ends cleanly
            switch status {
            case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK, ExecStatusType(rawValue: UInt32(bitPattern: clus_pq_tuples_chunk())):
                do {
                    if columns == nil {
                        let n = Int(PQnfields(result))
                        guard n > 0 else { throw QueryError(source: shown, message: "the query returns no columns; load takes a SELECT") }
                        columns = try SQLColumns(names: (0 ..< n).map { String(cString: PQfname(result, Int32($0))) }, source: shown)
                        kinds = (0 ..< n).map { ValueKind(type: PQftype(result, Int32($0))) }
                    }
                    for row in 0 ..< PQntuples(result) {
                        for c in kinds.indices {
                            try columns?.set(value(result, row, Int32(c), kinds[c]), column: c)
                        }
                        columns?.finishRow()
                    }
                } catch {
                    failure = error
                    connection.cancelOnServer()   // the rest of a large result is not wanted
                }
            case PGRES_COMMAND_OK:
                failure = QueryError(source: shown, message: "the query returns no rows; load takes a SELECT")
            default:
                failure = queryError(result, shown: shown)
            }
        }
        if let failure { throw failure }
        try cancellation?.check()
        guard let columns else { throw QueryError(source: shown, message: "the query returned nothing") }
        var dataset = try columns.dataset(name: options.name ?? connection.databaseName, vectorField: options.vectorField, strict: options.strict)
        dataset.notes += DatasetLoader.awkwardCases(dataset)
        return dataset
    }

    /// Writes one row per document and alias (`_id`, `vector_field`,
    /// `alias`, `label`, all text) into `table`, created if missing, in one
    /// transaction that first deletes the table's rows of the same aliases;
    /// the rows go in by COPY. All rows or none.
    /// - Returns: the rows written.
    /// - Throws: `DataError`, `QueryError`, `Cancelled`; the table is then as it was.
    /// - Complexity: O(documents × aliases).
    @discardableResult
    public static func writeLabels(_ dataset: Dataset, conninfo: String, table: String, aliases: [String]? = nil,
                                   cancellation: Cancellation? = nil) throws -> Int {
        let shown = ConnectionString.redacted(conninfo)
        let labels = try LabelRows(dataset, aliases: aliases, destination: shown)
        let connection = try Connection(conninfo, shown: shown, cancellation: cancellation)
        defer { connection.close() }
        let name = LabelRows.quotedTable(table)
        try connection.run("BEGIN")
        do {
            try connection.run("CREATE TABLE IF NOT EXISTS \(name) (\"_id\" text, \"vector_field\" text NOT NULL, \"alias\" text NOT NULL, \"label\" text)")
            let aliasNames = labels.aliasNames
            let placeholders = aliasNames.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
            try connection.run("DELETE FROM \(name) WHERE \"alias\" IN (\(placeholders))", parameters: aliasNames)
            let written = try connection.copy("COPY \(name) (\"_id\", \"vector_field\", \"alias\", \"label\") FROM STDIN") { send in
                var written = 0
                var line = ""
                for clustering in labels.clusterings {
                    let prefix = "\t" + copyText(clustering.vectorField) + "\t" + copyText(clustering.alias) + "\t"
                    for doc in 0 ..< dataset.count {
                        line.removeAll(keepingCapacity: true)
                        switch labels.ids[doc] {
                        case nil, .null?: line += "\\N"
                        case .string(let s)?: line += copyText(s)
                        case let value?: line += value.description
                        }
                        line += prefix
                        let label = clustering.labels[doc]
                        line += label >= 0 ? copyText(clustering.clusterNames[label]) : "\\N"
                        line += "\n"
                        try send(line)
                        written += 1
                        if written % 4096 == 0 { try cancellation?.check() }
                    }
                }
                try cancellation?.check()
                return written
            }
            try connection.run("COMMIT")
            return written
        } catch {
            _ = try? connection.run("ROLLBACK")
            throw error
        }
    }

    /// How a result column's text is read, from its type's OID (the
    /// built-in OIDs are fixed; pgvector's type has none of its own here and
    /// comes as text).
    private enum ValueKind {
        case integer, float, bool, array, text

        init(type: Oid) {
            switch type {
            case 20, 21, 23, 26: self = .integer              // int8, int2, int4, oid
            case 700, 701, 1700: self = .float                // float4, float8, numeric
            case 16: self = .bool
            case 1005, 1007, 1016, 1021, 1022, 1231: self = .array   // int2[], int4[], int8[], float4[], float8[], numeric[]
            default: self = .text                             // text, varchar, pgvector's vector, …
            }
        }
    }

    private static func value(_ result: OpaquePointer, _ row: Int32, _ c: Int32, _ kind: ValueKind) -> SQLValue {
        if PQgetisnull(result, row, c) == 1 { return .null }
        guard let raw = PQgetvalue(result, row, c) else { return .null }
        let count = Int(PQgetlength(result, row, c))
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: count)
        switch kind {
        case .integer:
            if let i = Int(String(decoding: bytes, as: UTF8.self)) { return .int(i) }
            return .text(bytes)
        case .float:
            let text = String(decoding: bytes, as: UTF8.self)
            if let d = Double(text) { return .double(d) }
            return .text(bytes)
        case .bool: return .bool(count > 0 && bytes[0] == UInt8(ascii: "t"))
        case .array: return .arrayText(bytes)
        case .text: return .text(bytes)
        }
    }

    /// A failed result's message, with the query position PostgreSQL gives (1-based characters).
    private static func queryError(_ result: OpaquePointer, shown: String) -> QueryError {
        let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        let message = primary ?? String(cString: PQresultErrorMessage(result)).trimmingNewlines
        let position = PQresultErrorField(result, Int32(UInt8(ascii: "P"))).flatMap { Int(String(cString: $0)) }
        return QueryError(source: shown, message: message, offset: position.map { -$0 })
    }

    /// Text for COPY's text format: backslash, tab, newline and carriage return escaped.
    private static func copyText(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// One libpq connection, opened in `init`, closed by `close()`.
private struct Connection {
    let handle: OpaquePointer
    let shown: String

    /// Connects without blocking, so Ctrl-C stops a connection that hangs
    /// (a host that never answers) as it stops a query.
    init(_ conninfo: String, shown: String, cancellation: Cancellation?) throws {
        guard let handle = PQconnectStart(conninfo) else {
            throw DataError(path: shown, message: "cannot connect: out of memory")
        }
        var status = PGRES_POLLING_WRITING
        while PQstatus(handle) != CONNECTION_BAD && status != PGRES_POLLING_OK && status != PGRES_POLLING_FAILED {
            var poller = pollfd(fd: PQsocket(handle), events: Int16(status == PGRES_POLLING_READING ? POLLIN : POLLOUT), revents: 0)
            let ready = poll(&poller, 1, 50)
            if cancellation?.isCancelled == true {
                PQfinish(handle)
                throw Cancelled()
            }
            if ready != 0 { status = PQconnectPoll(handle) }
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            // libpq's message may run over several lines (each address tried, a hint): one line here
            let text = String(cString: PQerrorMessage(handle)).split(whereSeparator: \.isNewline)
                .map { $0.drop { $0 == " " || $0 == "\t" } }.filter { !$0.isEmpty }.joined(separator: "; ")
            PQfinish(handle)
            throw DataError(path: shown, message: "cannot connect: " + ConnectionString.redacted(text))
        }
        // the server's notices ("relation … already exists, skipping") are not the user's business
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        self.handle = handle
        self.shown = shown
    }

    func close() { PQfinish(handle) }

    var message: String { String(cString: PQerrorMessage(handle)).trimmingNewlines }

    /// The database's name, the dataset's default name.
    var databaseName: String { PQdb(handle).map { String(cString: $0) } ?? "postgres" }

    /// Runs a statement that returns no rows, with text parameters `$1`, `$2`, ….
    func run(_ sql: String, parameters: [String] = []) throws(QueryError) {
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = PQexec(handle, sql)
        } else {
            var pointers = parameters.map { strdup($0) }
            defer { pointers.forEach { free($0) } }
            result = pointers.withUnsafeMutableBufferPointer { p in
                p.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values in
                    PQexecParams(handle, sql, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
                }
            }
        }
        defer { PQclear(result) }
        guard let result, PQresultStatus(result) == PGRES_COMMAND_OK else {
            throw QueryError(source: shown, message: message)
        }
    }

    /// Runs `COPY … FROM STDIN`; `body` sends the lines and returns what it counted.
    func copy(_ sql: String, _ body: ((String) throws -> Void) throws -> Int) throws -> Int {
        let start = PQexec(handle, sql)
        let status = PQresultStatus(start)
        PQclear(start)
        guard status == PGRES_COPY_IN else { throw QueryError(source: shown, message: message) }
        let count: Int
        do {
            count = try body { line in
                var line = line
                let sent = line.withUTF8 { PQputCopyData(handle, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), Int32($0.count)) }
                guard sent == 1 else { throw QueryError(source: shown, message: message) }
            }
        } catch {
            _ = PQputCopyEnd(handle, "cancelled")
            while let result = PQgetResult(handle) { PQclear(result) }
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw QueryError(source: shown, message: message) }
        var failure: QueryError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK { failure = QueryError(source: shown, message: message) }
            PQclear(result)
        }
        if let failure { throw failure }
        return count
    }

    /// The next result of the query sent, or nil when it is done. Waits on the
    /// socket in short slices so Ctrl-C is seen: then the query is cancelled on
    /// the server, its results drained, and `Cancelled` thrown.
    func nextResult(cancellation: Cancellation?) throws -> OpaquePointer? {
        while PQisBusy(handle) == 1 {
            if cancellation?.isCancelled == true {
                cancelOnServer()
                while let result = PQgetResult(handle) { PQclear(result) }
                throw Cancelled()
            }
            var poller = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, 50)
            guard PQconsumeInput(handle) == 1 else { throw QueryError(source: shown, message: message) }
        }
        return PQgetResult(handle)
    }

    /// Asks the server to stop the running query (a request on a connection of its own).
    func cancelOnServer() {
        guard let cancel = PQgetCancel(handle) else { return }
        defer { PQfreeCancel(cancel) }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
    }
}
