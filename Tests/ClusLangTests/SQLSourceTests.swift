import ClusCore
import ClusData
import Foundation
import Testing
@testable import ClusLang

/// `load sqlite` and `load postgres` against the JSON Lines they were written
/// from (Scripts/make_sql_fixtures.py; the Parquet twin from make_parquet_fixtures.py), `export sqlite|postgres`, and their
/// bad input, run through the interpreter as a user would.
@Suite struct SQLSourceTests {
    static let data = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/")).withLeadingSlash + "/Tests/Golden/data"
    static let database = data + "/iris.db"

    /// The iris columns under the names iris.jsonl gives them.
    static let irisColumns = #"id AS _id, target, species, features, kmeans_3 AS "_cluster_.features.kmeans_3""#

    /// One way to load the iris documents: a name for failures and the `load`
    /// command (its dataset called `iris`). A fourth source is one more entry.
    struct Source: CustomStringConvertible {
        let description: String
        let load: String
    }

    static func sources(postgres conninfo: String?) -> [Source] {
        var sources = [
            Source(description: "JSON Lines", load: "load \"\(data)/iris.jsonl\" as iris"),
            Source(description: "Parquet", load: "load \"\(data)/iris.parquet\" as iris"),
            Source(description: "SQLite BLOB (sqlite-vec)",
                   load: "load sqlite \"\(database)\" query='SELECT \(irisColumns) FROM iris_blob ORDER BY n' as iris"),
            Source(description: "SQLite JSON text",
                   load: "load sqlite \"\(database)\" query='SELECT \(irisColumns) FROM iris_text ORDER BY n' as iris"),
        ]
        if let conninfo {
            for (column, kind) in [("features", "real[]"), ("features64", "double precision[]"), ("features_text", "pgvector text")] {
                let columns = irisColumns.replacingOccurrences(of: "features,", with: "\(column) AS features,")
                sources.append(Source(description: "PostgreSQL \(kind)",
                                      load: "load postgres \"\(conninfo)\" query='SELECT \(columns) FROM iris ORDER BY n' as iris"))
            }
        }
        return sources
    }

    /// What must agree between sources: the documents, then a fixed-seed
    /// clustering and the metrics of the stored and the new labels.
    struct Outcome: Equatable {
        let count: Int
        let vectors: [String: [Float]]
        let present: [String: [Bool]]
        /// Values by field, absent and null alike (SQL's NULL is a missing value, as JSON's null and an absent key are).
        let fields: [String: [FieldValue?]]
        let labels: [String: [String?]]
        let metrics: [JSONValue]
    }

    static func outcome(_ source: Source) throws -> Outcome {
        let session = Session()
        session.settings.threads = 2
        let sink = CollectingSink()
        let interpreter = Interpreter(session: session, output: sink)
        let script = source.load + "\nmetrics alias=kmeans_3 truth=species\ncluster k=3 seed=7 alias=fresh\nmetrics truth=species"
        try #require(interpreter.run(SourceFile(name: source.description, text: script)) == .completed, "\(source): \(sink.errors)")
        let d = try session.currentDataset()
        let metrics = sink.results.filter { $0.output.command == "metrics" }.map { result in
            JSONValue.object(result.output.jsonMembers)
        }
        return Outcome(
            count: d.count,
            vectors: Dictionary(uniqueKeysWithValues: d.vectors.map { ($0.name, $0.embeddings.values.array) }),
            present: Dictionary(uniqueKeysWithValues: d.vectors.map { ($0.name, $0.present) }),
            fields: Dictionary(uniqueKeysWithValues: d.fields.map { f in (f.name, f.values.map { $0 == .null ? nil : $0 }) }),
            labels: Dictionary(uniqueKeysWithValues: d.clusterings.map { c in
                ("\(c.vectorField).\(c.alias)", c.labels.map { $0 < 0 ? nil : c.clusterNames[$0] })
            }),
            metrics: metrics
        )
    }

    /// The same documents from JSON Lines, Parquet, SQLite (BLOB and JSON text)
    /// and PostgreSQL (real[], double precision[], pgvector's text form) give
    /// the same vectors, fields, labels and metrics: the four sources agree.
    @Test func everySourceGivesTheSameDatasetAndMetrics() throws {
        let server = PostgresServer.start()
        defer { server?.stop() }
        try server?.psql(file: SQLSourceTests.data + "/iris.postgres.sql")
        let sources = SQLSourceTests.sources(postgres: server?.conninfo)
        let reference = try SQLSourceTests.outcome(sources[0])
        #expect(reference.count == 150 && reference.metrics.count == 2)
        #expect(reference.fields.keys.sorted() == ["_id", "species", "target"])
        for source in sources.dropFirst() {
            let outcome = try SQLSourceTests.outcome(source)
            #expect(outcome == reference, "\(source) differs from \(sources[0])")
        }
    }

    /// A session and interpreter with the iris documents loaded from JSON Lines.
    static func session() throws -> (Session, Interpreter, CollectingSink) {
        let session = Session()
        session.settings.threads = 2
        let sink = CollectingSink()
        let interpreter = Interpreter(session: session, output: sink)
        try #require(interpreter.run(SourceFile(name: "setup", text: "load \"\(data)/iris.jsonl\"")) == .completed)
        return (session, interpreter, sink)
    }

    /// Runs `text`, which must fail, and returns its one rendered error; the
    /// session keeps its datasets, current dataset and aliases.
    static func failure(_ text: String, _ session: Session, _ interpreter: Interpreter, _ sink: CollectingSink) -> String {
        let before = (session.datasets.map(\.name), session.currentDatasetName, session.datasets.map { $0.clusterings.map(\.alias) })
        sink.errors.removeAll()
        #expect(interpreter.run(SourceFile(name: "t", text: text)) == .failed)
        #expect(session.datasets.map(\.name) == before.0 && session.currentDatasetName == before.1)
        #expect(session.datasets.map { $0.clusterings.map(\.alias) } == before.2)
        #expect(sink.errors.count == 1)
        return sink.errors.first ?? ""
    }

    @Test func sqliteSyntaxErrorPointsIntoTheQuery() throws {
        let (session, interpreter, sink) = try SQLSourceTests.session()
        let error = SQLSourceTests.failure(#"load sqlite "\#(SQLSourceTests.database)" query="SELECT id FRM iris_blob" as x"#, session, interpreter, sink)
        let lines = error.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count == 3, "\(error)")
        #expect(lines[0].hasSuffix(#"error: \#(SQLSourceTests.database): near "iris_blob": syntax error"#))
        // the caret under the word SQLite names, in the script's own line
        let caret = try #require(lines[2].firstIndex(of: "^"))
        let column = lines[2].distance(from: lines[2].startIndex, to: caret)
        #expect(Array(lines[1])[column ..< column + 9].map(String.init).joined() == "iris_blob")
        #expect(lines[2].hasSuffix("^~~~~~~~~"))
        // a query with an escape cannot be mapped onto the script: the whole query, and where in it
        let escaped = SQLSourceTests.failure(#"load sqlite "\#(SQLSourceTests.database)" query="SELECT \"id\" FRM iris_blob" as x"#, session, interpreter, sink)
        #expect(escaped.contains(#"near "iris_blob": syntax error (at character 17 of the query)"#), "\(escaped)")
    }

    /// Each bad input: one clear message, the session unchanged.
    @Test(arguments: [
        ("SELECT id AS _id, v FROM bad_blob", "row 3, column 'v': a BLOB of 13 bytes is not a float32 vector: its length is not a multiple of 4"),
        ("SELECT id AS _id, v FROM ragged", "row 3, column 'v': a vector of 2 numbers, 3 in the rows before; every row's vector must have one length"),
        ("SELECT id AS _id, v FROM mixed_text", "row 3, column 'v': 'abc' is not a bracketed array of numbers, as the column's earlier rows are (expected '[')"),
        ("SELECT id AS _id, v, id AS v FROM ragged", "the query gives two columns named 'v'; name them apart with AS"),
        ("SELECT id AS _id FROM ragged WHERE id > 10", "the query returned no rows"),
        ("SELECT nope FROM ragged", "no such column: nope"),
    ])
    func sqliteBadInput(query: String, message: String) throws {
        let (session, interpreter, sink) = try SQLSourceTests.session()
        let error = SQLSourceTests.failure("load sqlite \"\(SQLSourceTests.database)\" query=\"\(query)\" as x", session, interpreter, sink)
        #expect(error.contains("error: \(SQLSourceTests.database): \(message)"), "\(error)")
    }

    @Test func sqliteOptionsAndFilesAreChecked() throws {
        let (session, interpreter, sink) = try SQLSourceTests.session()
        let db = SQLSourceTests.database
        func fails(_ text: String, _ message: String) {
            let error = SQLSourceTests.failure(text, session, interpreter, sink)
            #expect(error.contains(message), "\(error)")
        }
        fails(#"load sqlite "\#(db)" query="SELECT * FROM iris_blob" vector=species as x"#,
              "column 'species' is not a vector: its values are not BLOBs or arrays of numbers")
        fails(#"load sqlite "\#(db)" query="SELECT id AS _id, CASE id WHEN 2 THEN NULL ELSE v END AS v FROM bad_blob WHERE id < 3" strict=on"#,
              "row 2, column 'v' is null; strict=on wants a usable vector in every row (1 lacks one)")
        fails(#"load sqlite "\#(db)" as x"#, #"load sqlite needs query="SELECT …""#)
        fails(#"load sqlite query="SELECT 1""#, "load sqlite needs the database file")
        fails(#"load "\#(SQLSourceTests.data)/iris.jsonl" query="SELECT 1""#, #"query= goes with load sqlite "FILE" or load postgres "CONNINFO""#)
        fails(#"load sqlite "\#(db)" query="SELECT 1" format=csv"#, "format= goes with a file")
        fails(#"load sqlite "/nonexistent/x.db" query="SELECT 1""#, "/nonexistent/x.db: cannot read: No such file or directory")
        fails(#"load sqlite "\#(SQLSourceTests.data)/iris.jsonl" query="SELECT * FROM iris" as x"#, "file is not a database")
        fails(#"load sqlite as x query="SELECT 1""#, "load sqlite needs the database file")
        fails(#"load sqlite "\#(db)" query="DELETE FROM ragged""#, "the query returns no columns; load takes a SELECT")
        fails(#"load sqlite "\#(db)" query="SELECT 1; DELETE FROM ragged""#, "one statement only")
        // opened read-only: a statement that writes is refused by SQLite
        fails(#"load sqlite "\#(db)" query="INSERT INTO ragged VALUES (9, NULL) RETURNING id""#, "attempt to write a readonly database")
    }

    /// Ctrl-C inside one long step of SQLite (an aggregate over a billion
    /// rows) stops it through the progress handler, and the session is as it was.
    @Test func sqliteQueryIsCancelledMidStep() throws {
        let (session, interpreter, _) = try SQLSourceTests.session()
        let cancellation = session.cancellation
        let started = Date()
        let cancelling = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            cancellation.cancel()
        }
        cancelling.start()
        let query = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT max(x) AS m FROM c"
        let outcome = interpreter.run(SourceFile(name: "t", text: "load sqlite \"\(SQLSourceTests.database)\" query=\"\(query)\" as slow"))
        #expect(outcome == .interrupted)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(session.datasets.map(\.name) == ["iris"])
    }

    /// Ctrl-C while connecting to a server that never answers (a socket that
    /// listens and says nothing) stops the load.
    @Test func postgresConnectionThatHangsIsCancelled() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        try #require(bound)
        let port = UInt16(bigEndian: address.sin_port)
        let (session, interpreter, sink) = try SQLSourceTests.session()
        let cancellation = session.cancellation
        let started = Date()
        let cancelling = Thread {
            Thread.sleep(forTimeInterval: 0.5)
            cancellation.cancel()
        }
        cancelling.start()
        let text = "load postgres \"host=127.0.0.1 port=\(port) user=x dbname=y\" query=\"SELECT 1\" as never"
        #expect(interpreter.run(SourceFile(name: "t", text: text)) == .interrupted, "\(sink.errors)")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(session.datasets.map(\.name) == ["iris"])
    }

    /// A password in a quoted script line is `***`, the caret still under its word.
    @Test func quotedLinesHideThePasswordAndKeepTheCaret() {
        let line = #"load postgres "postgresql://me:s3cret@h/d" query="SELEC 1""#
        let source = SourceFile(name: "t", text: line)
        let start = line.utf8.count - 8   // SELEC
        let rendered = LocatedDiagnostic(Diagnostic("syntax error", at: SourceRange(start, start + 5)), in: source).rendered()
        #expect(rendered == """
            t:1:\(line.count - 7): error: syntax error
              load postgres "postgresql://me:***@h/d" query="SELEC 1"
                                                             ^~~~~
            """)
    }

    /// Without an _id column the load works, as a JSON Lines file without
    /// _id does; an export to a table, keyed by _id, says what is missing.
    @Test func noIDLoadsAndCannotBeExportedToATable() throws {
        let (session, interpreter, sink) = try SQLSourceTests.session()
        let db = try temporaryCopy(SQLSourceTests.database)
        try #require(interpreter.run(SourceFile(name: "t", text: "load sqlite \"\(db)\" query=\"SELECT * FROM no_id\" as plain\ncluster k=2")) == .completed, "\(sink.errors)")
        let d = try session.currentDataset()
        #expect(d.fields.map(\.name) == ["size"] && d.vectors.map(\.name) == ["v"] && d.count == 4)
        let error = SQLSourceTests.failure("export sqlite \"\(db)\" table=labels", session, interpreter, sink)
        #expect(error.contains("the dataset has no _id field, and the table's rows are keyed by _id"), "\(error)")
    }

    @Test func float64BlobsWithVectorType() throws {
        let (session, interpreter, sink) = try SQLSourceTests.session()
        let text = "load sqlite \"\(SQLSourceTests.database)\" query=\"SELECT id AS _id, features FROM iris_f64 ORDER BY n\" vector_type=float64 as f64"
        try #require(interpreter.run(SourceFile(name: "t", text: text)) == .completed, "\(sink.errors)")
        let jsonl = try #require(session.datasets.first?.vector(named: "features"))
        let f64 = try #require(try session.currentDataset().vector(named: "features"))
        #expect(f64.embeddings.values.array == jsonl.embeddings.values.array)
        // the same BLOBs as float32 are twice as long and nonsense, but a multiple of 4: the type is the user's to say
        let wrong = text.replacingOccurrences(of: "vector_type=float64 as f64", with: "as f32")
        try #require(interpreter.run(SourceFile(name: "t", text: wrong)) == .completed)
        #expect(try session.currentDataset().vector(named: "features")?.dimension == 8)
    }

    /// export sqlite writes one row per document and alias in one
    /// transaction, replacing the rows of the same aliases; loading them
    /// back beside the documents gives the same labels.
    @Test func sqliteExportReplacesItsAliasesAndRoundTrips() throws {
        let (session, interpreter, sink) = try SQLSourceTests.session()
        let db = try temporaryCopy(SQLSourceTests.database)
        let script = """
            cluster k=3 seed=1 alias=k3
            export sqlite "\(db)" table=clus_labels
            cluster k=4 seed=1 alias=k3
            export sqlite "\(db)" table=clus_labels aliases=[k3]
            load sqlite "\(db)" query="SELECT _id, label AS \\"_cluster_.features.k3\\" FROM clus_labels WHERE alias = 'k3' ORDER BY CAST(substr(_id, 6) AS INTEGER)" as back
            """
        try #require(interpreter.run(SourceFile(name: "t", text: script)) == .completed, "\(sink.errors)")
        let exports = sink.results.filter { $0.output.command == "export" }.map { JSONValue.object($0.output.jsonMembers) }
        #expect(exports.count == 2)
        let original = try #require(session.datasets.first)
        let back = try session.currentDataset()
        #expect(back.count == 150)   // the k3 rows of the first export were replaced, not added to
        let k3 = try #require(original.clustering(alias: "k3", vectorField: "features"))
        let loaded = try #require(back.clustering(alias: "k3", vectorField: "features"))
        #expect(k3.labels.map { k3.clusterNames[$0] } == loaded.labels.map { loaded.clusterNames[$0] })
        #expect(back.field(named: "_id")?.values == original.field(named: "_id")?.values)
        // both aliases of the first export: kmeans_3 (2 documents unlabelled: NULL) and k3
        try #require(interpreter.run(SourceFile(name: "t", text: #"load sqlite "\#(db)" query="SELECT alias, count(*) AS n, count(label) AS labelled FROM clus_labels GROUP BY alias ORDER BY alias" as counts"#)) == .completed)
        let counts = try session.currentDataset()
        #expect(counts.field(named: "alias")?.values == [.string("k3"), .string("kmeans_3")])
        #expect(counts.field(named: "n")?.values == [.int(150), .int(150)])
        #expect(counts.field(named: "labelled")?.values == [.int(150), .int(148)])
    }

    /// A failing insert rolls the whole export back: the table keeps its rows.
    @Test func sqliteExportIsAllOrNothing() throws {
        let (session, interpreter, sink) = try SQLSourceTests.session()
        let db = try temporaryCopy(SQLSourceTests.database)
        // a table whose label may not be NULL: an unlabelled document fails the export midway
        try sqlite(db, "CREATE TABLE strict2 (_id, vector_field TEXT, alias TEXT, label TEXT NOT NULL); INSERT INTO strict2 VALUES ('keep', 'features', 'kmeans_3', 'old')")
        let unknown = SQLSourceTests.failure("export sqlite \"\(db)\" table=strict2 aliases=[nope]", session, interpreter, sink)
        #expect(unknown.contains("no alias 'nope' to export; aliases: kmeans_3"), "\(unknown)")
        let error = SQLSourceTests.failure("export sqlite \"\(db)\" table=strict2", session, interpreter, sink)
        #expect(error.contains("NOT NULL constraint failed: strict2.label"), "\(error)")
        try #require(interpreter.run(SourceFile(name: "t", text: "load sqlite \"\(db)\" query=\"SELECT * FROM strict2\" as kept")) == .completed)
        #expect(try session.currentDataset().field(named: "_id")?.values == [.string("keep")])
    }

    /// PostgreSQL: load, export (replacing its aliases), errors with the
    /// server's position, a refused connection, passwords never shown, and
    /// Ctrl-C cancelling the query on the server.
    @Test func postgresLoadExportErrorsAndCancel() throws {
        guard let server = PostgresServer.start() else { return }
        defer { server.stop() }
        try server.psql(file: SQLSourceTests.data + "/iris.postgres.sql")
        let (session, interpreter, sink) = try SQLSourceTests.session()
        let conninfo = server.conninfo
        let script = """
            cluster k=3 seed=1 alias=k3
            export postgres "\(conninfo)" table=clus_labels
            cluster k=2 seed=1 alias=k3
            export postgres "\(conninfo) password=hunter2" table=clus_labels aliases=[k3]
            """
        try #require(interpreter.run(SourceFile(name: "t", text: script)) == .completed, "\(sink.errors)")
        #expect(try server.query("SELECT alias, count(*), count(label), count(DISTINCT label) FROM clus_labels GROUP BY alias ORDER BY alias")
                == "k3|150|150|2\nkmeans_3|150|148|3")
        let exported = try #require(sink.results.last?.output)
        #expect(JSONValue.object(exported.jsonMembers) == .object([
            JSONMember("dataset", .string("iris")), JSONMember("path", .string("\(conninfo) password=***")),
            JSONMember("format", .string("postgres")), JSONMember("table", .string("clus_labels")),
            JSONMember("documents", .int(150)), JSONMember("rows", .int(150)), JSONMember("aliases", .array([.string("k3")])),
        ]))

        // the server's error position, as a caret in the script's line
        let syntax = SQLSourceTests.failure("load postgres \"\(conninfo)\" query=\"SELECT id FROM iris ORDER BY nope\" as x", session, interpreter, sink)
        let lines = syntax.split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "\(syntax)")
        #expect(lines[0].hasSuffix("error: \(conninfo): column \"nope\" does not exist"))
        let caret = try #require(lines[2].firstIndex(of: "^"))
        let column = lines[2].distance(from: lines[2].startIndex, to: caret)
        #expect(String(Array(lines[1])[column ..< column + 4]) == "nope" && lines[2].hasSuffix("^~~~"))

        // a refused connection names the connection without its password, in the message and the quoted line
        let refused = SQLSourceTests.failure(#"load postgres "postgresql://clus:hunter2@127.0.0.1:1/postgres" query="SELECT 1" as x"#, session, interpreter, sink)
        #expect(refused.contains("error: postgresql://clus:***@127.0.0.1:1/postgres: cannot connect: "), "\(refused)")
        #expect(refused.contains("Connection refused"), "\(refused)")
        #expect(!refused.contains("hunter2"), "\(refused)")

        // not a vector: an int column named by vector=, and arrays of different lengths
        let notVector = SQLSourceTests.failure("load postgres \"\(conninfo)\" query=\"SELECT id AS _id, target, features FROM iris\" vector=target as x", session, interpreter, sink)
        #expect(notVector.contains("column 'target' is not a vector"), "\(notVector)")
        let ragged = SQLSourceTests.failure("load postgres \"\(conninfo)\" query=\"SELECT n AS _id, CASE WHEN n = 5 THEN '{1,2}'::real[] ELSE features END AS v FROM iris ORDER BY n\" as x", session, interpreter, sink)
        #expect(ragged.contains("row 6, column 'v': a vector of 2 numbers, 4 in the rows before"), "\(ragged)")
        // load runs read-only
        let writes = SQLSourceTests.failure("load postgres \"\(conninfo)\" query=\"INSERT INTO iris (n) VALUES (999) RETURNING n\" as x", session, interpreter, sink)
        #expect(writes.contains("cannot execute INSERT in a read-only transaction"), "\(writes)")

        // PG* variables fill what the connection string leaves out
        setenv("PGHOST", server.directory.path, 1)
        setenv("PGUSER", "clus", 1)
        setenv("PGDATABASE", "postgres", 1)
        defer { unsetenv("PGHOST"); unsetenv("PGUSER"); unsetenv("PGDATABASE") }
        try #require(interpreter.run(SourceFile(name: "t", text: "load postgres as from_env query=\"SELECT n AS _id, features FROM iris\"\nload postgres query=\"SELECT 1 AS one\"")) == .completed, "\(sink.errors)")
        #expect(session.datasets.first { $0.name == "from_env" }?.count == 150)
        #expect(try session.currentDataset().name == "postgres")   // the database's name, by default

        // Ctrl-C during a long query: cancelled on the server, the session as it was
        let started = Date()
        let cancellation = session.cancellation   // Sendable, unlike the session
        let cancelling = Thread {
            Thread.sleep(forTimeInterval: 0.5)
            cancellation.cancel()
        }
        cancelling.start()
        let datasets = session.datasets.map(\.name)
        let outcome = interpreter.run(SourceFile(name: "t", text: "load postgres \"\(conninfo)\" query=\"SELECT n AS _id, features, pg_sleep(30) FROM iris\" as slow"))
        #expect(outcome == .interrupted)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(session.datasets.map(\.name) == datasets)
        session.cancellation.reset()
        #expect(try server.query("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND state = 'active' AND pid <> pg_backend_pid()") == "0")
    }
}

/// A copy of `path` in a fresh folder, for a test that writes to it.
func temporaryCopy(_ path: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clus-sql-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let copy = dir.appendingPathComponent((path as NSString).lastPathComponent).path
    try FileManager.default.copyItem(atPath: path, toPath: copy)
    return copy
}

/// Runs SQL on a SQLite file through Python's sqlite3 (the test's own hands, not clus's).
func sqlite(_ path: String, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", path, sql]
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0)
}

extension String {
    var withLeadingSlash: String { hasPrefix("/") ? self : "/" + self }
}
