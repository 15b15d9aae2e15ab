import Testing
@testable import ClusData

/// Inputs the fuzz targets (Fuzz/, Scripts/fuzz) crashed on, and the deep
/// nesting they must survive: each must load or give an error, never crash.
@Suite struct FuzzFindingTests {
    /// FuzzCSV: a row ending in ',' at the end of the file read past the
    /// buffer (Swift's bounds check stopped it) looking for the next cell.
    @Test func csvTrailingCommaAtTheEndOfTheFile() throws {
        #expect(try loadError("a,", name: "t.csv") == "t.csv:1:3: column 2 has no name in the header")
        let d = try load("a,b\n1,", name: "t.csv")
        #expect(d.count == 1)
        #expect(d.field(named: "a")?.values == [.int(1)])
        #expect(d.field(named: "b")?.values == [nil])
        #expect(try load("a,b\n\"x\",", name: "t.csv").field(named: "a")?.values == [.string("x")])
    }


    /// FuzzArrow: a dictionary batch whose node claimed 104,373,289,986
    /// values (the batch says 2 rows) had that many reserved before any
    /// buffer was checked; AddressSanitizer refused the allocation.
    @Test func arrowDictionaryLengthBeyondItsBatch() throws {
        let file = ArrowTests.path("fuzz_dictionary_length.arrows")
        do {
            _ = try DatasetLoader.load(path: file, options: LoadOptions())
            Issue.record("loaded")
        } catch let error as DataError {
            #expect(error.description == "\(file): dictionary 0 (at offset 272): 104373289986 values in a batch of 2 rows")
        }
    }

    /// A shape whose byte count fits in Int but not once the header's length
    /// is added trapped on the overflow; one whose byte count overflows Int
    /// said it needed a wrapped-around number of bytes.
    @Test(arguments: [
        ("(1, 1152921504606846975)", "<f8", "t.npy: truncated: shape (1, 1152921504606846975) of <f8 needs 9223372036854775800 bytes of data, the file has 16"),
        ("(1, 2305843009213693951)", "<f4", "t.npy: truncated: shape (1, 2305843009213693951) of <f4 needs 9223372036854775804 bytes of data, the file has 16"),
        ("(4611686018427387904, 4)", "<f4", "t.npy: shape (4611686018427387904, 4) of <f4 is too large"),
        ("(3037000500, 3037000500)", ">f8", "t.npy: shape (3037000500, 3037000500) of >f8 is too large"),
    ])
    func npyShapeNearIntMaxIsAnError(_ shape: String, _ descr: String, _ message: String) throws {
        #expect(try loadError(npy(header(descr, shape: shape), data: f32([1, 2, 3, 4])), name: "t.npy") == message)
    }


    /// 100,000 levels of objects or arrays is an error at the 512th, not a stack overflow.
    @Test(arguments: [
        ("t.jsonl", String(repeating: "{\"a\":", count: 100_000), "nesting deeper than 512 levels"),
        ("t.jsonl", "{\"a\":" + String(repeating: "[", count: 100_000), "nesting deeper than 512 levels"),
        ("t.jsonl", "{\"a\":" + String(repeating: "[1,", count: 100_000), "nesting deeper than 512 levels"),
        ("t.json", "[" + String(repeating: "{\"a\":", count: 100_000), "nesting deeper than 512 levels"),
        ("t.json", String(repeating: "[", count: 100_000), "expected a JSON object ('{') for each document, found '['"),
        ("t.csv", "v\n\"" + String(repeating: "[", count: 100_000) + "\"\n", nil),
    ])
    func deepNestingIsAnErrorNotACrash(_ name: String, _ text: String, _ message: String?) throws {
        if let message {
            #expect(try loadError(text, name: name)?.hasSuffix(message) == true)
        } else {
            #expect(try load(text, name: name).field(named: "v")?.values.count == 1)
        }
    }
}
