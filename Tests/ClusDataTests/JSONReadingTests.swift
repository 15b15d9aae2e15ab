import Testing
@testable import ClusData

@Suite struct JSONReadingTests {
    @Test func readsEveryKindOfValue() throws {
        let ds = try load(#"{"s": "text", "i": 42, "n": -7, "f": 2.5, "t": true, "b": false, "z": null, "e": 1e2}"# + "\n")
        #expect(ds.count == 1)
        #expect(ds.fields.map(\.name) == ["s", "i", "n", "f", "t", "b", "z", "e"])
        #expect(ds.fields.map { $0.values[0] } == [
            .string("text"), .int(42), .int(-7), .double(2.5), .bool(true), .bool(false), .null, .double(100),
        ])
        #expect(ds.fields.map(\.typeDescription) == ["string", "int", "int", "float", "bool", "bool", "null", "float"])
    }

    @Test func decodesEscapes() throws {
        let ds = try load(#"{"a": "q\" b\\ s\/ \b\f\n\r\t \u00e9 \u4e2d \ud83d\ude00 end"}"#)
        #expect(ds.field(named: "a")?.values[0] == .string("q\" b\\ s/ \u{8}\u{c}\n\r\t é 中 😀 end"))
    }

    @Test func keepsRawUnicode() throws {
        let ds = try load(#"{"ключ": "café 中文 😀"}"#)
        #expect(ds.field(named: "ключ")?.values[0] == .string("café 中文 😀"))
    }

    @Test func flattensNestedObjectsToDottedNames() throws {
        let ds = try load("""
            {"meta": {"category": "shoe", "size": {"eu": 42}}, "emb": {"clip": [1, 2]}, "empty": {}}
            {"meta": {"category": "hat"}, "emb": {"clip": [3, 4]}}
            """)
        #expect(ds.fields.map(\.name) == ["meta.category", "meta.size.eu"])
        #expect(ds.field(named: "meta.category")?.values == [.string("shoe"), .string("hat")])
        #expect(ds.field(named: "meta.size.eu")?.values == [.int(42), nil])
        #expect(ds.vectors.map(\.name) == ["emb.clip"])
        #expect(ds.vector(named: "emb.clip")?.embeddings.values == [1, 2, 3, 4])
    }

    @Test func numbersAreIntsOnlyWithoutFractionOrExponent() throws {
        let ds = try load(#"{"a": 0, "b": -0, "c": 9223372036854775807, "d": 9223372036854775808, "e": -9223372036854775808, "f": 1.0, "g": 1E-3, "h": -2.5e+3}"#)
        #expect(ds.fields.map { $0.values[0] } == [
            .int(0), .int(0), .int(Int.max), .double(9223372036854775808), .int(Int.min), .double(1), .double(0.001), .double(-2500),
        ])
    }

    @Test func vectorComponentsRoundOnceLikeFloatOfString() throws {
        var texts = ["0.1", "-0.0", "3.4028235e38", "1.17549435e-38", "1e-45", "0.30000001192092896",
                     "16777217", "-16777217", "1.00000005960464477539062500001", "123456789", "7"]
        var rng = SplitMix(seed: 7)
        for _ in 0..<500 {
            let mantissa = rng.next() % 100_000_000_000_000_000
            let exponent = Int(rng.next() % 60) - 40
            texts.append("\(rng.next() % 2 == 0 ? "-" : "")\(mantissa)e\(exponent)")
            texts.append("0.\(String(rng.next() % 1_000_000_000_000))")
        }
        let ds = try load(#"{"v": ["# + texts.joined(separator: ", ") + "]}")
        let parsed = try #require(ds.vector(named: "v")).embeddings.values
        #expect(parsed.count == texts.count)
        let wrong = zip(texts, parsed).filter { Float($0.0)!.bitPattern != $0.1.bitPattern }.map(\.0)
        #expect(wrong.isEmpty)
    }

    @Test func nonNumberArraysAreKeptAsJSONText() throws {
        let ds = try load("""
            {"tags": ["a", "b"], "mixed": [1, "x", null], "nested": [[1, 2]]}
            {"tags": []}
            """)
        #expect(ds.vectors.isEmpty)
        #expect(ds.field(named: "tags")?.values == [.string(#"["a", "b"]"#), .string("[]")])
        #expect(ds.field(named: "tags")?.typeDescription == "array")
        #expect(ds.field(named: "mixed")?.values == [.string(#"[1, "x", null]"#), nil])
        #expect(ds.field(named: "nested")?.typeDescription == "array")
    }

    @Test func skipsBlankLinesAndAcceptsCRLFAndByteOrderMark() throws {
        let ds = try load("\u{FEFF}{\"a\": 1}\r\n\r\n   \n{\"a\": 2}\r\n")
        #expect(ds.count == 2)
        #expect(ds.field(named: "a")?.values == [.int(1), .int(2)])
    }

    @Test func readsAJSONArrayOfDocuments() throws {
        let ds = try load("""
            [
              {"id": 1, "v": [0.5, 1]},
              {"id": 2, "v": [1.5, 2]}
            ]
            """, name: "t.json")
        #expect(ds.count == 2)
        #expect(ds.vector(named: "v")?.embeddings.values == [0.5, 1, 1.5, 2])
    }

    @Test func readsJSONLinesSavedAsDotJSON() throws {
        let ds = try load("{\"a\": 1}\n{\"a\": 2}\n", name: "t.json")
        #expect(ds.count == 2)
        #expect(try loadError("{\"a\": 1}\n{\"a\": 2}\n", name: "t.json", options: LoadOptions(format: .json))
            == "t.json:1:1: expected '[' opening an array of documents, found '{'")
    }

    @Test func formatComesFromTheExtensionOrTheOption() throws {
        #expect(DataFormat(path: "data/x.JSONL") == .jsonl)
        #expect(DataFormat(path: "x.ndjson") == .jsonl)
        #expect(DataFormat(path: "x.json") == .json)
        #expect(DataFormat(path: "x.csv") == .csv)
        #expect(DataFormat(path: "x.npy") == .npy)
        #expect(DataFormat(path: "x.jsonl.gz") == .jsonl)
        #expect(DataFormat(path: "x.txt") == nil)
        #expect(try loadError("{\"a\": 1}", name: "t.txt") == "t.txt: cannot tell the format from the extension; give format= (jsonl, json, csv, tsv, npy, npz, parquet, arrow)")
        #expect(try load("{\"a\": 1}", name: "t.txt", options: LoadOptions(format: .jsonl)).count == 1)
    }

    /// pgvector's text form, or a pandas column of strings: `"[0.1, 0.2]"`.
    @Test func arraysWrittenAsStringsAreVectors() throws {
        let text = "{\"e\": \"[0.5, 1.25e-3, -2]\", \"t\": \"a\"}\n{\"e\": \"[1, 2]\", \"t\": \"b\"}\n"
            + "{\"e\": \"[3, 4, 5]\"}\n{\"e\": [6, 7, 8]}\n"
        let d = try load(text)
        let v = try #require(d.vector(named: "e"))
        #expect(v.embeddings.values == [0.5, 1.25e-3, -2, 0, 0, 0, 3, 4, 5, 6, 7, 8])
        #expect(v.present == [true, false, true, true])
        #expect(v.unusable[1]?.value == .string("[1, 2]") && v.unusable[1]?.isArray == false)
        #expect(d.notes.first == "'e' holds arrays written as JSON strings (\"[0.1, …]\") in 3 documents: read as vectors; export writes them as arrays")
        // export writes arrays, and the short one back as the string it was
        let path = try temporaryDirectory().appendingPathComponent("o.jsonl").path
        try DatasetWriter.write(d, to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines[0] == "{\"t\": \"a\", \"e\": [0.5, 0.00125, -2.0]}")
        #expect(lines[1] == "{\"t\": \"b\", \"e\": \"[1, 2]\"}")
        // written only as strings, they stay strings unless vector= names the field
        let strings = "{\"e\": \"[0.5, 1]\"}\n{\"e\": \"[2, 3]\"}\n{\"e\": \"[4, 5]\"}\n"
        let kept = try load(strings)
        #expect(kept.vectors.isEmpty)
        #expect(kept.field(named: "e")?.values == [.string("[0.5, 1]"), .string("[2, 3]"), .string("[4, 5]")])
        #expect(kept.field(named: "e")?.typeDescription == "string")
        #expect(kept.notes == ["'e' holds arrays of 2 numbers written as JSON strings (\"[0.1, …]\"): give vector=e to read them as vectors"])
        let named = try load(strings, options: LoadOptions(vectorField: "e"))
        #expect(named.vector(named: "e")?.embeddings.values == [0.5, 1, 2, 3, 4, 5])
        #expect(named.fields.isEmpty)
        // strings that only look like arrays, among words, stay strings, with no note
        let words = try load("{\"tags\": \"[1, 2]\"}\n{\"tags\": \"hello\"}\n{\"tags\": \"[x]\"}\n{\"tags\": \"[1, 2\\n]\"}\n")
        #expect(words.vectors.isEmpty)
        #expect(words.field(named: "tags")?.values == [.string("[1, 2]"), .string("hello"), .string("[x]"), .string("[1, 2\n]")])
        #expect(words.field(named: "tags")?.typeDescription == "string")
        #expect(words.notes.isEmpty)
    }
}

/// A small seeded generator for test inputs.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

}
