import ClusCore
import Foundation
import Testing
@testable import ClusData

/// Parquet files written by pyarrow (Scripts/make_parquet_fixtures.py) against
/// the JSON Lines file of the same documents.
@Suite struct ParquetTests {
    static let data = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden/data/parquet")

    static func path(_ name: String) -> String { data.appendingPathComponent(name).path }

    static func load(_ name: String, _ options: LoadOptions = LoadOptions()) throws -> Dataset {
        try DatasetLoader.load(path: path(name), options: options)
    }

    /// Every codec, both page versions, dictionaries on and off, many small
    /// pages, three row groups and two files give the dataset the JSON Lines
    /// twin gives: the same fields with the same values, the same vectors bit
    /// for bit, the same documents without a usable vector, for the same reasons.
    @Test(arguments: ["none", "snappy", "gzip", "zstd", "plain", "pages"].flatMap { ["kinds_\($0)_v1.parquet", "kinds_\($0)_v2.parquet"] }
          + ["parts/*.parquet"])
    func matchesJSONLines(file: String) throws {
        let expected = try ParquetTests.load("kinds.jsonl")
        let d = try ParquetTests.load(file)
        try expectSameDocuments(d, as: expected)
    }

    /// A null list, an empty one, a short one and one with a null element are
    /// written back by export as JSON text, as they were.
    @Test func unusableListsKeepTheirValues() throws {
        try expectKindsListsKept(try ParquetTests.load("kinds_snappy_v1.parquet"))
    }

    /// The twin of Tests/Golden/data/iris.jsonl: the same documents, labels as aliases.
    @Test func irisTwin() throws {
        let golden = ParquetTests.data.deletingLastPathComponent()
        let jsonl = try DatasetLoader.load(path: golden.appendingPathComponent("iris.jsonl").path, options: LoadOptions())
        let parquet = try DatasetLoader.load(path: golden.appendingPathComponent("iris.parquet").path, options: LoadOptions())
        #expect(parquet.vectors[0].embeddings.values.array.map(\.bitPattern) == jsonl.vectors[0].embeddings.values.array.map(\.bitPattern))
        let a = try #require(parquet.clustering(alias: "kmeans_3", vectorField: "features"))
        let b = try #require(jsonl.clustering(alias: "kmeans_3", vectorField: "features"))
        #expect(a.labels == b.labels && a.clusterNames == b.clusterNames)
        #expect(parquet.fields.map(\.name) == ["_id", "target", "species"])
        for f in jsonl.fields { #expect(parquet.field(named: f.name)?.values == f.values) }
    }

    /// The first row group's lists are all 3 long, most of the column's 4:
    /// the matrix laid out for 3 is decoded again for 4.
    @Test func aMisleadingFirstRowGroupIsReadAgain() throws {
        let d = try ParquetTests.load("short_first.parquet")
        let v = try #require(d.vector(named: "v"))
        #expect(v.dimension == 4)
        #expect(v.missingCount == 10)
        #expect(v.unusable[9]?.problem == .wrongLength(3))
        #expect(v.unusable[9]?.jsonText == "[9.0, 9.0, 9.0]")
        #expect(Array(v.embeddings[row: 10]) == [10, 10, 10, 10])
        #expect(Array(v.embeddings[row: 39]) == [39, 39, 39, 39])
    }

    /// A file that cannot be mapped (here gzip) is read whole, with the same result.
    @Test func gzipParquetIsReadWhole() throws {
        try expectGzipLoadsAlike(ParquetTests.path("kinds_zstd_v1.parquet"), named: "kinds.parquet", datasetName: "kinds")
    }

    /// Columns clus does not read are left out, each named in a note; `vector=` naming one says why.
    @Test func unreadColumnsAreNamed() throws {
        let d = try ParquetTests.load("left_out.parquet")
        let file = ParquetTests.path("left_out.parquet")
        #expect(d.vectors.map(\.name) == ["v"])
        #expect(d.fields.map(\.name) == ["nothing", "day"])
        #expect(d.field(named: "nothing")?.missingCount == 3)
        #expect(d.field(named: "day")?.values == [.int(1), .int(2), .int(3)])
        #expect(d.notes == [
            "\(file): column 'm' left out: maps are not read",
            "\(file): column 'ints' left out: a list of INT64 is not a vector (lists of FLOAT or DOUBLE are)",
            "\(file): column 'price' left out: decimals are not read",
            "\(file): column 'nested' left out: lists of lists are not read",
        ])
        #expect(try loadError("left_out.parquet", LoadOptions(vectorField: "ints"))
            == "left_out.parquet: 'ints' is not a vector field: a list of INT64 is not a vector (lists of FLOAT or DOUBLE are)")
    }

    @Test func vectorOptionPicksAndChecks() throws {
        let d = try ParquetTests.load("kinds_zstd_v2.parquet", LoadOptions(vectorField: "fixed"))
        #expect(d.vectors.map(\.name) == ["fixed", "vec", "vec64"])
        #expect(try loadError("kinds_zstd_v2.parquet", LoadOptions(vectorField: "name"))
            == "kinds_zstd_v2.parquet: 'name' is not a vector field: it holds string values; a vector is a list of FLOAT or DOUBLE")
        #expect(try loadError("kinds_zstd_v2.parquet", LoadOptions(vectorField: "nope"))
            == "kinds_zstd_v2.parquet: no vector field 'nope'; vector fields: vec, vec64, fixed")
        #expect(try loadError("kinds_zstd_v2.parquet", LoadOptions(strict: true))
            == "kinds_zstd_v2.parquet: 'vec': row 4 is null; strict=on wants a usable vector in every row (4 lack one)")
    }

    /// The error loading fixture `name`, its folder stripped.
    func loadError(_ name: String, _ options: LoadOptions = LoadOptions()) throws -> String? {
        try fixtureLoadError(ParquetTests.data, name, options)
    }

    @Test func unsupportedCodecAndEncodingAreNamed() throws {
        #expect(try loadError("bad_brotli.parquet")
            == "bad_brotli.parquet: column 'id', row group 1: unsupported codec BROTLI (clus reads UNCOMPRESSED, SNAPPY, GZIP and ZSTD)")
        #expect(try loadError("bad_delta.parquet")
            == "bad_delta.parquet: column 'id', row group 1: unsupported encoding DELTA_BINARY_PACKED (clus reads PLAIN and RLE_DICTIONARY)")
        #expect(try loadError("none*.parquet") == "none*.parquet: no file matches the pattern")
    }

    @Test func corruptFilesGiveOneLine() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ParquetTests.path("kinds_snappy_v1.parquet"))))
        let footer = bytes.suffix(8).prefix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
        let cases: [([UInt8], String)] = [
            ([], "t.parquet: empty file; not a Parquet file"),
            (Array("{\"a\": 1}\n".utf8), "t.parquet: not a Parquet file (no PAR1 at its start)"),
            (Array(bytes.prefix(9)), "t.parquet: truncated Parquet file (9 bytes)"),
            (Array(bytes.prefix(bytes.count - 1)), "t.parquet: truncated or corrupt Parquet file (no PAR1 at its end)"),
            (Array(bytes.prefix(4)) + Array(bytes.suffix(8)), "t.parquet: truncated or corrupt Parquet file (footer of \(footer) bytes)"),
        ]
        for (input, message) in cases {
            let got = try ClusDataTests.loadError(input, name: "t.parquet")
            #expect(got == message)
        }
    }

    /// Bytes changed anywhere (the footer, page headers, levels, values): a
    /// DataError naming the file, or a dataset; never a crash.
    @Test func mutatedFilesNeverCrash() throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ParquetTests.path("kinds_zstd_v2.parquet"))))
        var failures = 0
        for bytes in damagedCopies(of: original, rounds: 600, seed: 17) {
            do {
                _ = try bytes.withUnsafeBytes { raw in
                    try ParquetReader.read([("m.parquet", raw)], name: "m", shownPath: "m.parquet", options: LoadOptions(),
                                           limits: ParquetLimits(pageBytes: 1 << 20, pageValues: 1 << 20, vectorCells: 1 << 22))
                }
            } catch let error as DataError {
                #expect(error.path == "m.parquet")
                failures += 1
            }
        }
        #expect(failures > 100)
    }
}

/// `export "x.parquet"`: read back with clus's own reader (pyarrow reads the same files: checked by hand).
@Suite struct ParquetExportTests {
    static func dataset(_ n: Int) -> Dataset {
        let ids = FieldColumn(name: "_id", values: (0 ..< n).map { .int($0 * 7) })
        let flag = FieldColumn(name: "flag", values: (0 ..< n).map { $0 % 5 == 0 ? nil : .bool($0 % 2 == 0) })
        let score = FieldColumn(name: "score", values: (0 ..< n).map { $0 % 3 == 0 ? .int($0) : .double(Double($0) / 8) })
        let mixed = FieldColumn(name: "mixed", values: (0 ..< n).map { $0 % 2 == 0 ? .int($0) : .string("é\($0)") })
        let vectors = VectorColumn(name: "v", embeddings: Embeddings(count: n, dimension: 1, values: (0 ..< n).map(Float.init)))
        return Dataset(name: "t", path: "t.jsonl", count: n, fields: [ids, flag, score, mixed], vectors: [vectors], clusterings: [
            Clustering(vectorField: "v", alias: "km", labels: (0 ..< n).map { $0 % 4 == 3 ? -1 : $0 % 3 }, clusterNames: ["a", "b", "c"], details: nil),
            Clustering(vectorField: "w", alias: "km", labels: (0 ..< n).map { $0 % 2 }, clusterNames: ["x", "y"], details: nil),
            Clustering(vectorField: "v", alias: "hdb", labels: [Int](repeating: 0, count: n), clusterNames: ["cluster_0"], details: nil),
        ])
    }

    /// `_id` and one column per alias (the vector field joins the name when two share an alias), over two pages.
    @Test func labelsAndIdComeBack() throws {
        let n = ParquetWriter.pageRows + 1000
        let d = ParquetExportTests.dataset(n)
        let path = try temporaryDirectory().appendingPathComponent("labels.parquet").path
        try DatasetWriter.write(d, to: path)
        let back = try DatasetLoader.load(path: path, options: LoadOptions())
        #expect(back.count == n)
        #expect(back.fields.map(\.name) == ["_id", "v.km", "w.km", "hdb"])
        #expect(back.field(named: "_id")?.values == d.fields[0].values)
        let first: [FieldValue?] = (0 ..< n).map { $0 % 4 == 3 ? nil : FieldValue.string(["a", "b", "c"][$0 % 3]) }
        let second: [FieldValue?] = (0 ..< n).map { FieldValue.string(["x", "y"][$0 % 2]) }
        #expect(back.field(named: "v.km")?.values == first)
        #expect(back.field(named: "w.km")?.values == second)
        #expect(back.field(named: "hdb")?.typeDescription == "string")
    }

    @Test func fieldsPickScalarColumnsOfTheirType() throws {
        let d = ParquetExportTests.dataset(20)
        let path = try temporaryDirectory().appendingPathComponent("f.parquet").path
        try DatasetWriter.write(d, to: path, options: ExportOptions(aliases: ["hdb"], fields: ["flag", "score", "mixed"]))
        let back = try DatasetLoader.load(path: path, options: LoadOptions())
        #expect(back.fields.map(\.name) == ["flag", "score", "mixed", "hdb"])
        #expect(back.field(named: "flag")?.values == d.fields[1].values)
        // a column has one type: ints among floats become floats, among strings their text
        let scores: [FieldValue?] = d.fields[2].values.map { v -> FieldValue? in
            if case .int(let i)? = v { return .double(Double(i)) }
            return v
        }
        let texts: [FieldValue?] = d.fields[3].values.map { v -> FieldValue? in v.map { FieldValue.string($0.description) } }
        #expect(back.field(named: "score")?.values == scores)
        #expect(back.field(named: "mixed")?.values == texts)
    }

    /// Labels exported to Parquet join another session's dataset by `_id`; a key twice is an error naming its row.
    @Test func exportedLabelsJoin() throws {
        try ParquetExportTests.expectExportedLabelsJoin(file: "labels.parquet")
    }

    /// Exports labels to `file` (its extension the format), joins them to the dataset without its aliases
    /// by `_id`, then a key twice: an error naming its row.
    static func expectExportedLabelsJoin(file: String) throws {
        let d = ParquetExportTests.dataset(30)
        let path = try temporaryDirectory().appendingPathComponent(file).path
        try DatasetWriter.write(d, to: path, options: ExportOptions(aliases: ["hdb"]))
        var bare = d
        bare.clusterings = []
        let (joined, report) = try DatasetJoin.join(bare, path: path, on: "_id", fields: nil, format: nil)
        #expect(report.matched == 30)
        #expect(joined.field(named: "hdb")?.values == [FieldValue?](repeating: .string("cluster_0"), count: 30))
        var twice = d
        twice.fields[0].values[4] = .int(0)
        try DatasetWriter.write(twice, to: path, options: ExportOptions(aliases: ["hdb"]))
        #expect(throws: DataError(path: path, line: 5, message: "duplicate _id 0 (first at row 1): a key must name one row")) {
            try DatasetJoin.join(bare, path: path, on: "_id", fields: nil, format: nil)
        }
    }

    /// A vector field cannot be written, and a failed export leaves the old file as it was.
    @Test func vectorsAreRefusedAndTheOldFileStays() throws {
        let path = try temporaryDirectory().appendingPathComponent("x.parquet").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: DataError(path: path, message: "'v' is a vector field; a Parquet export writes labels and scalar fields")) {
            try DatasetWriter.write(ParquetExportTests.dataset(3), to: path, options: ExportOptions(fields: ["v"]))
        }
        let bare = Dataset(name: "t", path: "t", count: 2, fields: [FieldColumn(name: "q", values: [.int(1), .int(2)])])
        #expect(throws: DataError(path: path, message: "nothing to write: the dataset has no _id and no alias; give fields= or cluster first")) {
            try DatasetWriter.write(bare, to: path)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
    }
}
