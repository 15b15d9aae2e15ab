import ClusCore
import Foundation
import Testing
@testable import ClusData

/// `export "x.npz"`: read back with clus's own reader (NumPy's np.load and
/// Python's zipfile read the same files, zip64 ones too: checked by hand).
@Suite struct NPZExportTests {
    /// `_id` and one array per alias (the vector field joins the key when two share an alias), and the
    /// vector field `fields=` names: loaded back, the same values; a label missing is "" and reads as missing.
    @Test(arguments: [false, true])
    func labelsIdAndVectorsComeBack(zip64: Bool) throws {
        let n = 70_000   // more than a piece of scalars (65,536 values); vectors in pieces of 1,000 rows
        var d = ParquetExportTests.dataset(n)
        // a document without a usable vector is a NaN row, read back as one without a vector
        for row in [5, 7, 999, 1000, 69_999] { d.vectors[0].present[row] = false }
        d.vectors[0].missingCount = 5
        let path = try temporaryDirectory().appendingPathComponent("labels.npz").path
        var file = try AtomicFile(path: path)
        let selection = try DatasetWriter.Selection(d, options: ExportOptions(fields: ["_id", "v"]), path: path)
        try NPZWriter.write(d, fields: selection.fields, vectors: selection.vectors, clusterings: selection.clusterings,
                            explicitFields: true, into: &file, cancellation: nil, forceZip64: zip64, vectorPieceBytes: 4000)
        try file.commit()
        let back = try DatasetLoader.load(path: path, options: LoadOptions())
        #expect(back.count == n)
        #expect(back.fields.map(\.name) == ["_id", "v.km", "w.km", "hdb"])
        #expect(back.field(named: "_id")?.values == d.fields[0].values)
        let first: [FieldValue?] = (0 ..< n).map { $0 % 4 == 3 ? nil : FieldValue.string(["a", "b", "c"][$0 % 3]) }
        #expect(back.field(named: "v.km")?.values == first)
        #expect(back.field(named: "w.km")?.values == (0 ..< n).map { FieldValue.string(["x", "y"][$0 % 2]) })
        let v = try #require(back.vector(named: "v"))
        #expect(v.present == d.vectors[0].present)
        #expect(v.embeddings.values.array.enumerated().allSatisfy { i, x in !v.present[i] || x == Float(i) })
    }

    /// Each scalar field as the narrowest array that holds it: bool, int64, float64 (NaN where missing, a
    /// bool with a gap too), else its values' text in `<U` (UTF-32, any script).
    @Test func scalarFieldsTakeTheirNarrowestType() throws {
        var d = ParquetExportTests.dataset(20)
        d.fields.append(FieldColumn(name: "name", values: (0 ..< 20).map { $0 == 3 ? nil : .string($0 % 2 == 0 ? "café ☕ 中文 😀" : "b\"q\n,") }))
        d.fields.append(FieldColumn(name: "ok", values: (0 ..< 20).map { .bool($0 % 3 == 0) }))
        let path = try temporaryDirectory().appendingPathComponent("f.npz").path
        try DatasetWriter.write(d, to: path, options: ExportOptions(aliases: ["hdb"], fields: ["v", "flag", "score", "mixed", "name", "ok"]))
        let back = try DatasetLoader.load(path: path, options: LoadOptions())
        #expect(back.fields.map(\.name) == ["flag", "score", "mixed", "name", "ok", "hdb"])
        let flags: [FieldValue?] = d.fields[1].values.map { v -> FieldValue? in
            if case .bool(let b)? = v { return .double(b ? 1 : 0) }
            return nil
        }
        #expect(back.field(named: "flag")?.values == flags)
        let scores: [FieldValue?] = d.fields[2].values.map { v -> FieldValue? in
            if case .int(let i)? = v { return .double(Double(i)) }
            return v
        }
        #expect(back.field(named: "score")?.values == scores)
        #expect(back.field(named: "mixed")?.values == d.fields[3].values.map { v -> FieldValue? in v.map { .string($0.description) } })
        #expect(back.field(named: "name")?.values == d.fields[4].values)
        #expect(back.field(named: "ok")?.values == d.fields[5].values)
        // the bytes as NumPy writes them: a 64-byte .npy header, then the values
        let archive = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(archive.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        let expected = "{'descr': '<f8', 'fortran_order': False, 'shape': (20,), }"
        let start = 30 + "flag.npy".utf8.count
        #expect(Array(archive[(start + 6) ..< (start + 10)]) == [1, 0, 118, 0])   // version 1.0, a 118-byte header: 128 in all, as NumPy aligns it
        #expect(String(decoding: archive[(start + 10)...].prefix(expected.utf8.count), as: UTF8.self) == expected)
    }

    /// Labels exported to .npz join another session's dataset by `_id`, as Parquet's do; a key twice is an
    /// error naming its row.
    @Test func exportedLabelsJoin() throws {
        try ParquetExportTests.expectExportedLabelsJoin(file: "labels.npz")
    }

    /// A key beyond ASCII is flagged UTF-8 (general purpose bit 11), as Python's zipfile writes and reads it.
    @Test func namesBeyondASCIIAreFlaggedUTF8() throws {
        var d = ParquetExportTests.dataset(3)
        d.fields.append(FieldColumn(name: "catégorie", values: [.string("a"), .string("b"), nil]))
        let dir = try temporaryDirectory()
        for (field, flags) in [("catégorie", [UInt8(0), 8]), ("mixed", [0, 0])] {
            let path = dir.appendingPathComponent("\(field).npz").path
            try DatasetWriter.write(d, to: path, options: ExportOptions(aliases: [], fields: [field]))
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))[6 ..< 8]) == flags, "\(field)")
            #expect(try DatasetLoader.load(path: path, options: LoadOptions()).fields.map(\.name) == [field])
        }
    }

    @Test func nothingToWriteIsAnErrorAndLeavesNoFile() throws {
        var d = ParquetExportTests.dataset(5)
        d.fields.removeFirst()
        d.clusterings = []
        let path = try temporaryDirectory().appendingPathComponent("none.npz").path
        #expect(throws: DataError(path: path, message: "nothing to write: the dataset has no _id and no alias; give fields= or cluster first")) {
            try DatasetWriter.write(d, to: path)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
