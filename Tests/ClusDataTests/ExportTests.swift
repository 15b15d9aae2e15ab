import ClusCore
import Foundation
import Testing
@testable import ClusData

@Suite struct ExportTests {
    static let documents = """
        {"_id": "a", "name": "café ☕ 中文 😀", "meta": {"cat": "x", "n": 1.5, "tags": ["p", "q"], "deep": {"k": -3}}, "v": [0.1, 0.2, 1e-7], "_cluster_": {"v": {"old": "c1"}}}
        {"_id": "b", "name": "b\\"q\\n,", "meta": {"cat": null}, "v": [1, 2, 3], "flag": true, "x.y": 7}
        {"_id": "c", "v": [3.0, 2.5, -1], "w": [1, 2], "_cluster_": {"v": {"old": "c0"}, "w": {"other": "k"}}}
        {"_id": "d", "v": [16777217, 3.4028234e38, -1.17549435e-38], "s": "[1, 2]"}
        """

    /// Everything a dataset holds, in a comparable form.
    static func contents(_ d: Dataset) -> [String] {
        var out: [String] = []
        for f in d.fields {
            out.append("\(f.name) \(f.typeDescription) \(f.values.map { $0?.jsonText ?? "-" }) \(f.arrayDocuments.sorted())")
        }
        for v in d.vectors { out.append("\(v.name) \(v.embeddings.values.map(\.bitPattern)) \(v.present)") }
        for c in d.clusterings { out.append("\(c.vectorField).\(c.alias) \(c.labels.map { $0 < 0 ? "-" : c.clusterNames[$0] })") }
        return out.sorted()
    }

    @Test(arguments: [ExportFormat.jsonl])
    func loadClusterExportLoadGivesTheSameDocumentsAndAliases(format: ExportFormat) throws {
        var d = try load(ExportTests.documents)
        d.store(Clustering(vectorField: "v", alias: "new", clusterIndices: [1, 0, 1, -1], details: nil))
        let path = try temporaryDirectory().appendingPathComponent("out.jsonl").path
        try DatasetWriter.write(d, to: path, options: ExportOptions(format: format))
        let back = try DatasetLoader.load(path: path, options: LoadOptions())
        #expect(back.count == d.count)
        #expect(ExportTests.contents(back) == ExportTests.contents(d))
        #expect(back.clusterings.map(\.alias).sorted() == ["new", "old", "other"])
        // Exporting the reloaded data gives the same bytes: nothing drifts.
        let again = path + ".2.jsonl"
        try DatasetWriter.write(back, to: again)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func labelsFollowRelevanceLayoutAndNestedFieldsAreRebuilt() throws {
        let d = try load(ExportTests.documents)
        let path = try temporaryDirectory().appendingPathComponent("o.jsonl").path
        try DatasetWriter.write(d, to: path, options: ExportOptions(aliases: ["old"], fields: ["_id", "meta"]))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == #"{"_id": "a", "meta": {"cat": "x", "n": 1.5, "tags": ["p", "q"], "deep": {"k": -3}}, "_cluster_": {"v": {"old": "c1"}}}"#)
        #expect(lines.count == 4)
        #expect(lines[3] == #"{"_id": "d"}"#)
    }

    @Test func aFieldAndAFieldUnderItsNameStayApart() throws {
        let d = try load(#"{"a": 1, "a.b": 2, "v": [1, 2]}"#)
        let path = try temporaryDirectory().appendingPathComponent("o.jsonl").path
        try DatasetWriter.write(d, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == #"{"a": 1, "a.b": 2, "v": [1.0, 2.0]}"# + "\n")
    }

    @Test func csvQuotesCellsAndNamesLabelColumns() throws {
        let d = try load(ExportTests.documents)
        let path = try temporaryDirectory().appendingPathComponent("o.csv").path
        try DatasetWriter.write(d, to: path, options: ExportOptions(fields: ["_id", "name", "v"]))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("_id,name,v,_cluster_.v.old,_cluster_.w.other\r\na,café ☕ 中文 😀,\"[0.1, 0.2, 1e-07]\",c1,\r\nb,\"b\"\"q\n,\",\"[1.0, 2.0, 3.0]\",,\r\n"))
    }

    @Test func unknownFieldsAndAliasesAreErrorsAndWriteNothing() throws {
        let d = try load(ExportTests.documents)
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("o.jsonl").path
        #expect(throws: DataError(path: path, message: "no alias 'zz' to export; aliases: old, other")) {
            try DatasetWriter.write(d, to: path, options: ExportOptions(aliases: ["zz"]))
        }
        #expect(throws: DataError(path: path, message: "no field 'nope' to export; fields: v, w, _id, name, meta.cat, meta.n, meta.tags, meta.deep.k, flag, x.y, s")) {
            try DatasetWriter.write(d, to: path, options: ExportOptions(fields: ["nope"]))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func aMissingFolderOrADirectoryIsAnError() throws {
        let d = try load(ExportTests.documents)
        let dir = try temporaryDirectory()
        #expect(throws: DataError(path: dir.path + "/no/o.jsonl", message: "cannot write: No such file or directory (the folder does not exist)")) {
            try DatasetWriter.write(d, to: dir.path + "/no/o.jsonl")
        }
        #expect(throws: DataError(path: dir.path, message: "cannot write: is a directory")) {
            try DatasetWriter.write(d, to: dir.path)
        }
    }

    @Test func aFullDiskLeavesTheOldFileAndNoTemporaryFile() throws {
        let d = try load(ExportTests.documents)
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("o.jsonl").path
        try Data("old contents\n".utf8).write(to: URL(fileURLWithPath: path))
        var written = 0
        let fails = {
            var file = try AtomicFile(path: path) { _, bytes in
                // The disk fills after 100 bytes.
                guard written < 100 else { errno = ENOSPC; return -1 }
                written += min(bytes.count, 100)
                return min(bytes.count, 100)
            }
            try DatasetWriter.write(d, into: &file, options: ExportOptions(), cancellation: nil)
            try file.commit()
        }
        #expect(throws: DataError(path: path, message: "cannot write: No space left on device; the file was left as it was"), performing: fails)
        #expect(written == 100)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old contents\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["o.jsonl"])
    }

    @Test func anExportReplacesAnExistingFileWhole() throws {
        let d = try load(ExportTests.documents)
        let path = try temporaryDirectory().appendingPathComponent("o.jsonl").path
        try Data(String(repeating: "x", count: 100_000).utf8).write(to: URL(fileURLWithPath: path))
        try DatasetWriter.write(d, to: path)
        #expect(try DatasetLoader.load(path: path, options: LoadOptions()).count == 4)
    }

    @Test func cancellingLeavesNothing() throws {
        let rows = (0 ..< 5000).map { #"{"v": [\#($0), 1]}"# }.joined(separator: "\n")
        let d = try load(rows)
        let dir = try temporaryDirectory()
        let cancellation = Cancellation()
        cancellation.cancel()
        #expect(throws: Cancelled.self) {
            try DatasetWriter.write(d, to: dir.appendingPathComponent("o.jsonl").path, cancellation: cancellation)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}

@Suite struct CSVExportTests {
    /// CSV keeps vectors, labels and text exactly; it cannot keep JSON types
    /// (a string "12" reads back as a number), so the documents here avoid that.
    @Test func csvRoundTripKeepsVectorsLabelsAndText() throws {
        var d = try load("""
            {"_id": "a", "name": "café, \\"quoted\\"\\nline", "n": 3, "v": [0.1, -2.5e-8, 3]}
            {"_id": "b", "name": "中文 😀", "v": [16777216, 1, 2]}
            """)
        d.store(Clustering(vectorField: "v", alias: "k", clusterIndices: [1, 0], details: nil))
        let path = try temporaryDirectory().appendingPathComponent("o.csv").path
        try DatasetWriter.write(d, to: path)
        let back = try DatasetLoader.load(path: path, options: LoadOptions())
        #expect(ExportTests.contents(back) == ExportTests.contents(d))
    }
}
