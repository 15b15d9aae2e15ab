import ClusCore
import Foundation
import Testing
@testable import ClusData

/// Documents without a usable vector: the field stays a vector field of the
/// most common length, the others are kept, counted by reason and named by
/// line, and written back by export as they were.
@Suite struct WithoutVectorTests {
    /// Four good 2-d documents and one of each kind of unusable value.
    static let messy = """
        {"id": 0, "v": [1, 2]}
        {"id": 1, "v": [1, 2, 3]}
        {"id": 2}
        {"id": 3, "v": null}
        {"id": 4, "v": "pending"}
        {"id": 5, "v": [NaN, 1]}
        {"id": 6, "v": []}
        {"id": 7, "v": [1, "x"]}
        {"id": 8, "v": [3, 4]}
        {"id": 9, "v": [5, 6]}
        {"id": 10, "v": [7, 8]}
        {"id": 11, "v": [9, 10]}
        {"id": 12, "v": [11, 12]}
        {"id": 13, "v": [13, 14]}
        {"id": 14, "v": [1e39, 1]}
        {"id": 15, "v": [-Infinity, 1]}
        """

    /// `messy` and 30 good documents: a vector field in CSV too, where NaN
    /// and 1e39 make a cell text, which counts against the vector.
    static let padded = messy + (16 ..< 46).map { "\n{\"id\": \($0), \"v\": [\($0), 1]}" }.joined()

    @Test func theFieldStaysAVectorFieldOfTheMostCommonLength() throws {
        let d = try load(WithoutVectorTests.messy)
        let v = try #require(d.vector(named: "v"))
        #expect(v.dimension == 2)
        #expect(d.field(named: "v") == nil)
        #expect(v.present == [true, false, false, false, false, false, false, false, true, true, true, true, true, true, false, false])
        #expect(v.missingCount == 9)
        #expect(Array(v.embeddings[row: 8]) == [3, 4])
        #expect(Array(v.embeddings[row: 1]) == [0, 0])   // rows without a vector are zeros
        #expect(v.usableRows == [0, 8, 9, 10, 11, 12, 13])
    }

    @Test func theReasonsAreCountedAndTheFirstLinesNamed() throws {
        let d = try load(WithoutVectorTests.messy)
        let v = try #require(d.vector(named: "v"))
        #expect(v.missingByReason.map { "\($0.count) \($0.reason)" }
            == ["1 absent", "1 null", "1 empty", "1 wrong length", "1 non-numbers", "1 not an array", "3 NaN/infinity"])
        #expect(v.unusable[1]?.problem == .wrongLength(3))
        #expect(v.unusable[3]?.problem == .null)
        #expect(v.unusable[4]?.problem == .notArray("a string"))
        #expect(v.unusable[5]?.problem == .nonFinite)
        #expect(v.unusable[6]?.problem == .empty)
        #expect(v.unusable[7]?.problem == .notNumbers)
        #expect(v.unusable[14]?.problem == .nonFinite)   // beyond Float32
        #expect(v.unusable[2] == nil)                      // absent: nothing to keep
        #expect(d.notes == [
            "9 documents have no usable 'v' (1 absent, 1 null, 1 empty, 1 wrong length, 1 non-numbers, 1 not an array, 3 NaN/infinity): "
                + "line 2 has 3 numbers (2 expected), line 3 lacks it, line 4 is null, line 5 holds a string, line 6 holds NaN or an infinity, …; "
                + "left out of clustering and the internal indices",
        ])
    }

    @Test func aFewNamedWithoutAnEllipsis() throws {
        let d = try load("{\"v\": [1, 2]}\n\n{\"v\": [3, 4]}\n{\"v\": [5, 6]}\n{\"w\": 1}\n")
        #expect(d.notes == ["1 document has no usable 'v' (1 absent): line 5 lacks it; left out of clustering and the internal indices"])
        // a document with no field at all is named by its place
        let e = try load("{\"v\": [1, 2]}\n{}\n{\"v\": [3, 4]}\n{\"v\": [5, 6]}\n")
        #expect(e.notes == ["1 document has no usable 'v' (1 absent): document 2 lacks it; left out of clustering and the internal indices"])
    }

    @Test func aTieBetweenLengthsGoesToTheFirstSeen() throws {
        // 3 of 4 documents with a value have 2 numbers: a vector field
        let d = try load("{\"v\": [1]}\n{\"v\": [1, 2]}\n{\"v\": [3, 4]}\n{\"v\": [5, 6]}\n")
        #expect(d.vector(named: "v")?.dimension == 2)
        #expect(d.vector(named: "v")?.unusable[0]?.problem == .wrongLength(1))
    }

    @Test func fewerThanThreeQuartersIsNoVectorField() throws {
        // 2 of 3: a field kept as JSON text, with the note as before
        let d = try load("{\"v\": [1, 2]}\n{\"v\": [3, 4]}\n{\"v\": \"x\"}\n")
        #expect(d.vectors.isEmpty)
        #expect(d.field(named: "v")?.values == [.string("[1, 2]"), .string("[3, 4]"), .string("x")])
        // ids of varied lengths are not a vector
        let ids = try load("{\"ids\": [1]}\n{\"ids\": [1, 2]}\n{\"ids\": [3, 4, 5]}\n{\"ids\": [6]}\n")
        #expect(ids.vectors.isEmpty)
        #expect(ids.notes.first?.contains("'ids' is not a vector field") == true)
        // a field of mostly strings stays a string field
        let strings = try load("{\"s\": \"a\"}\n{\"s\": \"b\"}\n{\"s\": \"c\"}\n{\"s\": [1, 2]}\n")
        #expect(strings.vectors.isEmpty)
        #expect(strings.field(named: "s")?.values.count == 4)
    }

    @Test func nullsAndEmptyArraysDoNotCountAgainstTheVector() throws {
        // 2 vectors, 3 nulls, 2 empty arrays: still a vector field
        let d = try load("{\"v\": [1, 2]}\n{\"v\": null}\n{\"v\": null}\n{\"v\": []}\n{\"v\": []}\n{\"v\": null}\n{\"v\": [3, 4]}\n")
        let v = try #require(d.vector(named: "v"))
        #expect(v.missingCount == 5)
        #expect(v.missingByReason.map(\.reason) == ["null", "empty"])
    }

    @Test func strictMakesTheFirstOneAnErrorAtItsLine() throws {
        #expect(try loadError(WithoutVectorTests.messy, options: LoadOptions(strict: true))
            == "t.jsonl:2:16: 'v' has 3 numbers (2 expected) here; strict=on wants a usable vector in every document (9 lack one)")
        #expect(try loadError("{\"v\": [1, 2]}\n{\"v\": [3, 4]}\n", options: LoadOptions(strict: true)) == nil)
    }

    @Test func exportWritesTheUnusableValuesBackAsTheyWere() throws {
        let d = try load(WithoutVectorTests.messy)
        let path = try temporaryDirectory().appendingPathComponent("o.jsonl").path
        try DatasetWriter.write(d, to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let original = WithoutVectorTests.messy.split(separator: "\n")
        for i in [1, 2, 3, 4, 5, 6, 7, 14, 15] {
            #expect(lines[i] == original[i])
        }
        #expect(lines[8] == "{\"id\": 8, \"v\": [3.0, 4.0]}")
        // and it reads back to the same dataset
        let back = try load(String(contentsOfFile: path, encoding: .utf8))
        #expect(back.vector(named: "v")?.present == d.vector(named: "v")?.present)
        #expect(back.notes == d.notes)
    }

    @Test func csvExportKeepsThemAsCells() throws {
        let d = try load(WithoutVectorTests.padded)
        let path = try temporaryDirectory().appendingPathComponent("o.csv").path
        try DatasetWriter.write(d, to: path)
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\r\n")
        #expect(rows[2] == "1,\"[1, 2, 3]\"")
        #expect(rows[3] == "2,")           // absent
        #expect(rows[4] == "3,")           // null: CSV has none
        #expect(rows[5] == "4,pending")
        #expect(rows[7] == "6,[]")
        let back = try load(String(contentsOfFile: path, encoding: .utf8), name: "o.csv")
        #expect(back.vector(named: "v")?.present == d.vector(named: "v")?.present)
    }

    /// A JSON-array CSV cell that is empty or not an array of numbers is a
    /// document without a usable vector, as in JSON Lines.
    @Test func csvCellsFollowTheSameRule() throws {
        let text = "id,v\n0,\"[1, 2]\"\n1,\n2,\"[1, 2, 3]\"\n3,oops\n4,\"[3, 4]\"\n5,\"[5, 6]\"\n6,\"[7, 8]\"\n7,\"[1, \"\"x\"\"]\"\n8,\"[9, 1]\"\n9,\"[1, 1]\"\n10,\"[2, 1]\"\n11,\"[3, 1]\"\n12,\"[4, 1]\"\n13,\"[5, 1]\"\n"
        let d = try load(text, name: "t.csv")
        let v = try #require(d.vector(named: "v"))
        #expect(v.present == [true, false, false, false, true, true, true, false, true, true, true, true, true, true])
        #expect(v.missingByReason.map { "\($0.count) \($0.reason)" } == ["1 absent", "1 wrong length", "1 non-numbers", "1 not an array"])
        #expect(d.notes.last?.hasPrefix("4 documents have no usable 'v' (1 absent, 1 wrong length, 1 non-numbers, 1 not an array): line 3 lacks it, line 4 has 3 numbers") == true)
    }

    @Test func npyRowsWithNaNHaveNoUsableVector() throws {
        let path = try writeFile(npy(header(shape: "(3, 2)"), data: f32([1, 2, .nan, 4, 5, .infinity])), name: "t.npy")
        let d = try DatasetLoader.load(path: path, options: LoadOptions())
        let v = try #require(d.vectors.first)
        #expect(v.present == [true, false, false])
        #expect(v.unusable[1]?.jsonText == "[NaN, 4.0]")
        #expect(v.unusable[2]?.jsonText == "[5.0, Infinity]")
        #expect(d.notes.first?.hasSuffix("hold NaN or an infinity (rows 2, 3): no usable vector; left out of clustering and the internal indices") == true)
        // with a labels file the note stays, after the labels' own
        let labels = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("l.csv").path
        try Data("t\na\nb\na\n".utf8).write(to: URL(fileURLWithPath: labels))
        let labelled = try DatasetLoader.load(path: path, options: LoadOptions(labelsPath: labels))
        #expect(labelled.field(named: "t")?.values == [.string("a"), .string("b"), .string("a")])
        #expect(labelled.notes == d.notes)
    }
}
