import Foundation
import Testing
@testable import ClusData

/// Tab-separated files: TensorBoard's projector pair (vectors.tsv, no header;
/// metadata.tsv, a header) and pandas' `to_csv(sep="\t")`.
@Suite struct TSVTests {
    /// TensorBoard writes each vector as `"\t".join(map(str, v))`: Python's
    /// shortest float text, no header.
    static let vectors = "0.1257302165031433\t-0.13210485875606537\t0.6404226422309875\n"
        + "0.10490011423826218\t-0.5356693863868713\t0.3615950644016266\n"
        + "1.304000020027160645\t0.9470809698104858\t-0.7037352323532104\n"
    static let metadata = "label\ttitle\ncat\tA cat, sitting\ndog\t\"a \"\"quoted\"\" dog\"\ncat\tanother cat\n"

    @Test func theProjectorsVectorsWithTheirMetadata() throws {
        let dir = try temporaryDirectory()
        let vectors = dir.appendingPathComponent("vectors.tsv").path, metadata = dir.appendingPathComponent("metadata.tsv").path
        try Data(TSVTests.vectors.utf8).write(to: URL(fileURLWithPath: vectors))
        try Data(TSVTests.metadata.utf8).write(to: URL(fileURLWithPath: metadata))
        let d = try DatasetLoader.load(path: vectors, options: LoadOptions(labelsPath: metadata))
        #expect(d.count == 3)
        let expected = TSVTests.vectors.split(whereSeparator: { $0 == "\t" || $0 == "\n" }).map { Float(String($0))! }
        #expect(d.vector(named: "vector").map { Array($0.embeddings.values) } == expected)
        #expect(d.fields.map(\.name) == ["label", "title"])
        #expect(d.field(named: "title")?.values == [.string("A cat, sitting"), .string("a \"quoted\" dog"), .string("another cat")])
        #expect(d.notes.contains("no header row (the first row holds only numbers: it is the first document); vector 'vector' from the 3 columns"))
        // the counts must agree, and a file with fields of its own takes no labels
        try Data((TSVTests.metadata + "bird\tone more\n").utf8).write(to: URL(fileURLWithPath: metadata))
        #expect(throws: DataError.self) { try DatasetLoader.load(path: vectors, options: LoadOptions(labelsPath: metadata)) }
        let withFields = dir.appendingPathComponent("f.tsv").path
        try Data("id\tv\n1\t[1, 2]\n".utf8).write(to: URL(fileURLWithPath: withFields))
        do {
            _ = try DatasetLoader.load(path: withFields, options: LoadOptions(labelsPath: metadata))
            Issue.record("a file with fields took labels=")
        } catch let error as DataError {
            #expect(error.description == "\(withFields): labels= goes with a file of vectors only; this one has fields of its own (id)")
        }
    }

    /// TensorBoard writes a one-column metadata.tsv without a header.
    @Test func aOneColumnMetadataFileHasNoHeader() throws {
        let dir = try temporaryDirectory()
        let vectors = dir.appendingPathComponent("vectors.tsv").path, metadata = dir.appendingPathComponent("metadata.tsv").path
        try Data(TSVTests.vectors.utf8).write(to: URL(fileURLWithPath: vectors))
        try Data("cat\ndog\ncat\n".utf8).write(to: URL(fileURLWithPath: metadata))
        let d = try DatasetLoader.load(path: vectors, options: LoadOptions(labelsPath: metadata))
        #expect(d.field(named: "label")?.values == [.string("cat"), .string("dog"), .string("cat")])
        #expect(d.notes.first == "\(metadata) has one column and one row fewer than \(vectors): it has no header row, and its column is named 'label'")
        // with a header and as many rows, the header names the column
        try Data("animal\ncat\ndog\ncat\n".utf8).write(to: URL(fileURLWithPath: metadata))
        #expect(try DatasetLoader.load(path: vectors, options: LoadOptions(labelsPath: metadata)).fields.map(\.name) == ["animal"])
        // two rows short is an error, as before, and so is one row short in a CSV
        try Data("cat\ndog\n".utf8).write(to: URL(fileURLWithPath: metadata))
        #expect(throws: DataError.self) { try DatasetLoader.load(path: vectors, options: LoadOptions(labelsPath: metadata)) }
        let csv = dir.appendingPathComponent("labels.csv").path
        try Data("cat\ndog\ncat\n".utf8).write(to: URL(fileURLWithPath: csv))
        #expect(throws: DataError.self) { try DatasetLoader.load(path: vectors, options: LoadOptions(labelsPath: csv)) }
    }

    @Test func pandasTabSeparated() throws {
        // df.to_csv(sep="\t"): the index, a column of JSON arrays, a quoted cell with a tab
        let d = try load("\tid\temb\tnote\n0\ta\t[1.5, 2.0]\t\"x\ty\"\n1\tb\t[3.0, 4.5]\tplain, with a comma\n", name: "t.tsv")
        #expect(d.count == 2)
        #expect(d.vector(named: "emb")?.embeddings.values == [1.5, 2, 3, 4.5])
        #expect(d.field(named: "note")?.values == [.string("x\ty"), .string("plain, with a comma")])
        #expect(d.fields.map(\.name) == ["id", "note"])
        // a comma is no separator in a TSV, nor a tab in a CSV
        #expect(try load("a,b\tc\n1,2\t3\n", name: "t.tsv").fields.map(\.name) == ["a,b", "c"])
        #expect(try loadError("a\tb\n\"1\"x\t2\n", name: "t.tsv") == "t.tsv:2:4: expected a tab or the end of the line after a quoted cell")
        #expect(try load("x\ty\n1\t2\n", name: "t.txt", options: LoadOptions(format: .tsv)).count == 1)
    }

    @Test func joinATabSeparatedFile() throws {
        let d = try load("{\"id\": 1, \"v\": [1, 2]}\n{\"id\": 2, \"v\": [3, 4]}\n")
        let path = try temporaryDirectory().appendingPathComponent("t.tsv").path
        try Data("id\ttopic\n2\tb\n1\ta\n".utf8).write(to: URL(fileURLWithPath: path))
        let (joined, report) = try DatasetJoin.join(d, path: path, on: "id", fields: nil, format: nil)
        #expect(joined.field(named: "topic")?.values == [.string("a"), .string("b")])
        #expect(report.fileRows == 2)
    }
}
