import ClusCore
import Foundation
import Testing
@testable import ClusData

@Suite struct LoadErrorTests {
    /// Bad JSON Lines input and the one-line error it must give.
    static let badLines: [(input: String, error: String)] = [
        ("{\"a\": 0}\n{\"a\": 1", "t.jsonl:2:8: expected ',' or '}' after a field, found end of line"),
        ("{\"a\": 1,}", "t.jsonl:1:8: trailing comma before '}'"),
        ("{\"a\": [1, 2,]}", "t.jsonl:1:12: trailing comma before ']'"),
        (#"{"a": "x\q"}"#, #"t.jsonl:1:10: invalid escape '\q'"#),
        (#"{"a": "\u12"}"#, #"t.jsonl:1:8: \u escape needs four hex digits"#),
        (#"{"a": "\ud800"}"#, #"t.jsonl:1:8: unpaired high surrogate in \u escape"#),
        (#"{"a": "\ud800\u0041"}"#, #"t.jsonl:1:8: unpaired high surrogate in \u escape"#),
        (#"{"a": "\udc00"}"#, #"t.jsonl:1:8: unpaired low surrogate in \u escape"#),
        ("{\"a\": \"x\ty\"}", "t.jsonl:1:9: control character byte 0x09 in a string must be escaped"),
        ("{\"a\": 1}\n[1, 2]", "t.jsonl:2:1: expected a JSON object ('{') for each document, found '['"),
        ("\"just text\"", "t.jsonl:1:1: expected a JSON object ('{') for each document, found '\"'"),
        ("{\"a\": 01}", "t.jsonl:1:7: numbers cannot have leading zeros"),
        ("{\"a\": 1.}", "t.jsonl:1:9: expected a digit after '.', found '}'"),
        ("{\"a\": -}", "t.jsonl:1:8: expected a digit, found '}'"),
        ("{\"a\": 1e}", "t.jsonl:1:9: expected a digit in the exponent, found '}'"),
        ("{\"a\": NaN}", "t.jsonl:1:7: expected a value, found 'N'"),
        ("{\"a\": tru}", "t.jsonl:1:7: invalid literal; expected 'true'"),
        ("{\"a\": 1} x", "t.jsonl:1:10: expected the end of the line after the document, found 'x'"),
        ("{\"a\" 1}", "t.jsonl:1:6: expected ':' after the field name, found '1'"),
        ("{a: 1}", "t.jsonl:1:2: expected a field name in double quotes, found 'a'"),
        ("{\"a\": \"abc", "t.jsonl:1:7: unterminated string"),
        ("{\"é\": 1, \"a\": 2, \"a\": 3}", "t.jsonl:1:18: duplicate field 'a'"),
        ("{\"m\": {\"a\": 1}, \"m.a\": 2}", "t.jsonl:1:17: duplicate field 'm.a'"),
        ("{\"v\": [1, Nan]}", "t.jsonl:1:11: expected a value, found 'N'"),
        ("{\"_cluster_\": [1]}", "t.jsonl:1:15: _cluster_ must be an object of vector fields, each an object of aliases to labels"),
        ("{\"_cluster_\": {\"v\": {\"k\": [1]}}}", "t.jsonl:1:27: a cluster label must be a string or a number"),
        ("{\"_cluster_\": {\"v\": {\"k\": 1, \"k\": 2}}}", "t.jsonl:1:30: duplicate alias 'k' in _cluster_.v"),
        ("\n\n  \n", "t.jsonl: no documents in the file"),
        ("", "t.jsonl: no documents in the file"),
    ]

    @Test(arguments: badLines)
    func badLineGivesItsErrorAtTheOffendingByte(input: String, error: String) throws {
        #expect(try loadError(input) == error)
    }

    @Test func invalidUTF8IsAnErrorAtTheBadByte() throws {
        let prefix = Array("{\"é\": \"".utf8)   // column counts characters, not bytes
        #expect(try loadError(prefix + [0xFF] + Array("\"}".utf8)) == "t.jsonl:1:8: invalid UTF-8 (byte 0xFF)")
        #expect(try loadError(prefix + [0xC3, 0x28] + Array("\"}".utf8)) == "t.jsonl:1:9: invalid UTF-8 (byte 0x28)")
        // An encoded surrogate and an overlong slash are not UTF-8 either.
        #expect(try loadError(prefix + [0xED, 0xA0, 0x80] + Array("\"}".utf8)) == "t.jsonl:1:9: invalid UTF-8 (byte 0xA0)")
        #expect(try loadError(prefix + [0xC0, 0xAF] + Array("\"}".utf8)) == "t.jsonl:1:8: invalid UTF-8 (byte 0xC0)")
        #expect(try loadError([0xFF] + Array("{}".utf8)) == "t.jsonl:1:1: expected a JSON object ('{') for each document, found byte 0xFF")
    }

    @Test func raggedVectorsAreNotAVectorField() throws {
        let text = "{\"v\": [1, 2, 3]}\n{\"v\": [1, 2]}\n"
        #expect(try loadError(text, options: LoadOptions(vectorField: "v"))
            == "t.jsonl:2:7: 'v' is not a vector field: 2 numbers here, 3 in the first document that has it")
        let ds = try load(text)
        #expect(ds.vectors.isEmpty)
        #expect(ds.field(named: "v")?.values == [.string("[1, 2, 3]"), .string("[1, 2]")])
        #expect(ds.notes.count == 1)
        #expect(ds.notes.first?.hasSuffix(":2:7: 'v' is not a vector field: 2 numbers here, 3 in the first document that has it; kept as JSON text") == true)
    }

    @Test func arraysMixedWithOtherValuesAreNotAVectorField() throws {
        let text = "{\"v\": [1, 2]}\n{\"v\": null}\n{\"v\": \"n/a\"}\n"
        #expect(try loadError(text, options: LoadOptions(vectorField: "v"))
            == "t.jsonl:3:2: 'v' is not a vector field: here it is not an array of numbers")
        let field = try #require(try load(text).field(named: "v"))
        #expect(field.typeDescription == "string|array (mixed)")
        #expect(field.values == [.string("[1, 2]"), .null, .string("n/a")])
    }

    @Test func errorsInAJSONArrayFileNameTheirLine() throws {
        #expect(try loadError("[{\"a\": 1}, 2]", name: "t.json") == "t.json:1:12: expected a JSON object ('{') for each document, found '2'")
        #expect(try loadError("[\n  {\"a\": 1},\n  {\"a\": 2,}\n]", name: "t.json") == "t.json:3:10: trailing comma before '}'")
        #expect(try loadError("[{\"a\": 1}] x", name: "t.json") == "t.json:1:12: expected the end of the file after the array of documents, found 'x'")
        #expect(try loadError("[{\"a\": 1}", name: "t.json") == "t.json:1:10: expected ',' or ']' after a document, found end of file")
        #expect(try loadError("[]", name: "t.json") == "t.json: no documents in the file")
    }

    @Test func unreadableFilesSayWhy() throws {
        let dir = try temporaryDirectory()
        let missing = dir.appendingPathComponent("nope.jsonl").path
        #expect(throws: DataError(path: missing, message: "cannot read: No such file or directory")) {
            try DatasetLoader.load(path: missing, options: LoadOptions())
        }
        let directory = dir.appendingPathComponent("d.jsonl")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect(throws: DataError(path: directory.path, message: "cannot read: is a directory")) {
            try DatasetLoader.load(path: directory.path, options: LoadOptions())
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = "{\"a\": " + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"
        #expect(try loadError(deep)?.hasSuffix("nesting deeper than 512 levels") == true)
    }

    @Test func cancellationStopsTheLoad() throws {
        let text = String(repeating: "{\"a\": 1}\n", count: 10_000)
        let path = try writeFile(Array(text.utf8), name: "t.jsonl")
        let cancellation = Cancellation()
        cancellation.cancel()
        #expect(throws: Cancelled.self) {
            try DatasetLoader.load(path: path, options: LoadOptions(), cancellation: cancellation)
        }
        var reports: [Int] = []
        let ds = try DatasetLoader.load(path: path, options: LoadOptions()) { done, total in
            #expect(total == text.utf8.count)
            reports.append(done)
        }
        #expect(ds.count == 10_000)
        #expect(reports.count >= 2 && reports.last == text.utf8.count)
    }
}
