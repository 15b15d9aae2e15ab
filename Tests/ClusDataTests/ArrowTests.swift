import ClusCore
import Foundation
import Testing
@testable import ClusData

/// Arrow IPC files and streams written by pyarrow and pandas
/// (Scripts/make_arrow_fixtures.py) against the JSON Lines file of the same
/// documents (the Parquet fixtures' twin).
@Suite struct ArrowTests {
    static let data = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden/data/arrow")

    static func path(_ name: String) -> String { data.appendingPathComponent(name).path }

    static func load(_ name: String, _ options: LoadOptions = LoadOptions()) throws -> Dataset {
        try DatasetLoader.load(path: path(name), options: options)
    }

    static func twin() throws -> Dataset {
        try DatasetLoader.load(path: ParquetTests.path("kinds.jsonl"), options: LoadOptions())
    }

    /// Feather uncompressed, LZ4 and ZSTD, an IPC stream, other types of the
    /// same values (a dictionary, large strings and lists, string views, int16)
    /// and two files give the dataset the JSON Lines twin gives: the same
    /// fields with the same values, the same vectors bit for bit, the same
    /// documents without a usable vector, for the same reasons.
    @Test(arguments: ["kinds_none.feather", "kinds_lz4.feather", "kinds_zstd.feather", "kinds.arrows", "kinds_types.arrow",
                      "parts/*.arrow"])
    func matchesJSONLines(file: String) throws {
        let expected = try ArrowTests.twin()
        let d = try ArrowTests.load(file)
        try expectSameDocuments(d, as: expected)
    }

    /// A null list, an empty one, a short one and one with a null element
    /// keep their values for export, as in Parquet.
    @Test func unusableListsKeepTheirValues() throws {
        try expectKindsListsKept(try ArrowTests.load("kinds_lz4.feather"))
    }

    /// The first batch's lists are all 3 long, most of the column's 4: the
    /// dimension comes from all the batches' lengths.
    @Test func theDimensionIsTheWholeColumns() throws {
        let d = try ArrowTests.load("short_first.arrows")
        let v = try #require(d.vector(named: "v"))
        #expect(v.dimension == 4)
        #expect(v.missingCount == 10)
        #expect(v.unusable[9]?.problem == .wrongLength(3))
        #expect(v.unusable[9]?.jsonText == "[9.0, 9.0, 9.0]")
        #expect(Array(v.embeddings[row: 10]) == [10, 10, 10, 10])
        #expect(Array(v.embeddings[row: 39]) == [39, 39, 39, 39])
    }

    /// A stream's dictionary replaced between batches: each batch reads its own.
    @Test func replacedDictionariesAreEachBatchs() throws {
        let d = try ArrowTests.load("dictionaries.arrows")
        #expect(d.field(named: "label")?.values == ["a", "b", "a", "c", "c", "d"].map { .string($0) })
        #expect(d.vectors.first?.embeddings.values.array == (0 ..< 12).map { $0 % 2 == 0 ? 1 : 2 })
    }

    /// `df.to_feather`: a categorical, NaN floats and None strings are missing values, as in the JSON twin.
    @Test func pandasFeatherMatchesItsTwin() throws {
        let d = try ArrowTests.load("pandas.feather")
        let twin = try ArrowTests.load("pandas.jsonl")
        #expect(d.fields.map(\.name) == ["doc", "topic", "score", "note"])
        for field in twin.fields { #expect(d.field(named: field.name)?.values == field.values, "\(field.name)") }
        #expect(d.vectors.map(\.name) == ["embedding"])
        #expect(d.vectors[0].embeddings.values.array == twin.vectors[0].embeddings.values.array)
        #expect(d.notes.isEmpty)
    }

    /// polars' `write_ipc` (LZ4, ZSTD) and `write_ipc_stream`: string views,
    /// a Categorical as uint32 indices into string views, its file's
    /// dictionary batch written after the record batch (read by the footer),
    /// an Array(Float32, 3) and a List(Float64): as the JSON twin.
    @Test(arguments: ["polars.arrow", "polars_zstd.arrow", "polars.arrows"])
    func polarsMatchesItsTwin(file: String) throws {
        let d = try ArrowTests.load(file)
        let twin = try ArrowTests.load("polars.jsonl")
        #expect(d.fields.map(\.name) == ["id", "cat", "n"])
        for field in twin.fields { #expect(d.field(named: field.name)?.values == field.values, "\(field.name)") }
        #expect(d.vectors.map(\.name) == ["emb", "lst"])
        for v in twin.vectors {
            let got = try #require(d.vector(named: v.name))
            #expect(got.embeddings.values.array.map(\.bitPattern) == v.embeddings.values.array.map(\.bitPattern), "\(v.name)")
            #expect(got.present == v.present)
        }
    }

    /// Columns clus does not read are left out, each named in a note; `vector=` naming one says why.
    @Test func unreadColumnsAreNamed() throws {
        let d = try ArrowTests.load("left_out.feather")
        let file = ArrowTests.path("left_out.feather")
        #expect(d.vectors.map(\.name) == ["v"])
        #expect(d.fields.map(\.name) == ["nothing", "day"])
        #expect(d.field(named: "nothing")?.missingCount == 3)
        #expect(d.field(named: "day")?.values == [.int(1), .int(2), .int(3)])
        #expect(d.notes == [
            "\(file): column 'm' left out: maps are not read",
            "\(file): column 'ints' left out: a list of int64 is not a vector (lists of halffloat, float or double are)",
            "\(file): column 'price' left out: decimals are not read",
            "\(file): column 'nested' left out: lists of lists are not read",
            "\(file): column 'blob' left out: binary values are not read",
        ])
        #expect(try loadError("left_out.feather", LoadOptions(vectorField: "ints"))
            == "left_out.feather: 'ints' is not a vector field: a list of int64 is not a vector (lists of halffloat, float or double are)")
    }

    @Test func vectorOptionPicksAndChecks() throws {
        let d = try ArrowTests.load("kinds_zstd.feather", LoadOptions(vectorField: "fixed"))
        #expect(d.vectors.map(\.name) == ["fixed", "vec", "vec64"])
        #expect(try loadError("kinds_zstd.feather", LoadOptions(vectorField: "name"))
            == "kinds_zstd.feather: 'name' is not a vector field: it holds string values; a vector is a list of halffloat, float or double")
        #expect(try loadError("kinds_zstd.feather", LoadOptions(vectorField: "nope"))
            == "kinds_zstd.feather: no vector field 'nope'; vector fields: vec, vec64, fixed")
        #expect(try loadError("kinds_zstd.feather", LoadOptions(strict: true))
            == "kinds_zstd.feather: 'vec': row 4 is null; strict=on wants a usable vector in every row (4 lack one)")
    }

    /// A file that cannot be mapped (here gzip) is read whole, with the same result.
    @Test func gzipArrowIsReadWhole() throws {
        try expectGzipLoadsAlike(ArrowTests.path("kinds_lz4.feather"), named: "kinds.feather", datasetName: "kinds")
    }

    /// The error loading fixture `name`, its folder stripped.
    func loadError(_ name: String, _ options: LoadOptions = LoadOptions()) throws -> String? {
        try fixtureLoadError(ArrowTests.data, name, options)
    }

    @Test func otherFilesAreNamed() throws {
        #expect(try loadError("v1.feather")
            == "v1.feather: a Feather version 1 file (pyarrow before 0.17, or feather-format); clus reads version 2: write it again with pyarrow.feather.write_feather")
        #expect(try loadError("none*.arrow") == "none*.arrow: no file matches the pattern")
    }

    @Test func corruptFilesGiveOneLine() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ArrowTests.path("kinds_none.feather"))))
        let stream = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ArrowTests.path("kinds.arrows"))))
        let cases: [([UInt8], String)] = [
            ([], "t.arrow: empty file; not an Arrow file"),
            (Array("{\"a\": 1}\n".utf8), "t.arrow: not an Arrow file (no ARROW1 magic, and no stream message at its start)"),
            (Array(bytes.prefix(12)), "t.arrow: truncated Arrow file (no ARROW1 at its end)"),
            (Array(bytes.prefix(bytes.count - 1)), "t.arrow: truncated Arrow file (no ARROW1 at its end)"),
            (Array(stream.prefix(4)), "t.arrow: truncated: a message cut short at offset 0"),
            (Array(stream.prefix(200)), "t.arrow: truncated: a message of \(stream[4...7].reversed().reduce(0) { $0 << 8 | Int($1) }) bytes at offset 0 runs past the end"),
        ]
        for (input, message) in cases {
            let got = try ClusDataTests.loadError(input, name: "t.arrow")
            #expect(got == message)
        }
    }

    /// A compressed buffer's claimed length is checked against what the codec
    /// can give before anything is allocated, and against what it gives.
    @Test func compressedBuffersMustKeepTheirWord() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ArrowTests.path("kinds_lz4.feather"))))
        // the first LZ4 frame's magic (04 22 4D 18) follows its buffer's 8-byte length
        let frame = try #require((8 ..< bytes.count - 4).first { bytes[$0 ..< $0 + 4] == [0x04, 0x22, 0x4D, 0x18] })
        let claimed = (0 ..< 8).reduce(0) { $0 | Int(bytes[frame - 8 + $1]) << (8 * $1) }
        var huge = bytes
        for i in 0 ..< 8 { huge[frame - 8 + i] = UInt8(truncatingIfNeeded: (1 << 40) >> (8 * i)) }
        let hugeError = try #require(try ClusDataTests.loadError(huge, name: "t.feather"))
        #expect(hugeError.hasPrefix("t.feather: record batch 1: column '"))
        #expect(hugeError.contains("claims 1099511627776 bytes decompressed: the file is damaged"))
        for i in 0 ..< 8 { bytes[frame - 8 + i] = UInt8(truncatingIfNeeded: (claimed + 1) >> (8 * i)) }
        let wrong = try #require(try ClusDataTests.loadError(bytes, name: "t.feather"))
        #expect(wrong.hasSuffix("a LZ4 buffer that does not decompress to the \(claimed + 1) bytes it claims: the file is damaged"))
    }

    /// Bytes changed anywhere (the footer, the schema, the batches' metadata,
    /// the buffers, compressed or not): a DataError naming the file, or a dataset; never a crash.
    @Test(arguments: ["kinds_none.feather", "kinds_lz4.feather", "kinds.arrows", "kinds_types.arrow"])
    func mutatedFilesNeverCrash(file: String) throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ArrowTests.path(file))))
        var failures = 0
        for bytes in damagedCopies(of: original, rounds: 400, seed: 23) {
            do {
                _ = try bytes.withUnsafeBytes { raw in
                    try ArrowReader.read([("m.arrow", raw)], name: "m", shownPath: "m.arrow", options: LoadOptions(),
                                         limits: ArrowLimits(bufferBytes: 1 << 24, batchRows: 1 << 20, vectorCells: 1 << 22))
                }
            } catch let error as DataError {
                #expect(error.path == "m.arrow")
                failures += 1
            }
        }
        #expect(failures > 50)
    }

    /// `join` takes an Arrow file's rows by key, as it takes Parquet's.
    @Test func joinReadsArrow() throws {
        let d = try ArrowTests.load("kinds_zstd.feather")
        var ids = Dataset(name: "ids", path: "ids", count: d.count)
        ids.fields = [try #require(d.field(named: "id"))]
        let (joined, report) = try DatasetJoin.join(ids, path: ArrowTests.path("kinds.arrows"), on: "id", fields: ["name"], format: nil)
        #expect(report.matched == 40)
        #expect(joined.field(named: "name")?.values == d.field(named: "name")?.values)
        // rows no document matches are counted by row (the result says "rows 1, 2, 3", not "lines")
        let (_, other) = try DatasetJoin.join(ids, path: ArrowTests.path("polars.arrow"), on: "id", fields: nil, format: nil)
        #expect(other.unmatchedRows == 8 && other.unmatchedLines == [1, 2, 3] && other.fileHasRows)
    }
}
