import Testing
import ClusCore
import ClusData
@testable import ClusLang

/// Which documents a condition keeps, on five messy documents.
@Suite struct FilterEvaluationTests {
    /// price: 3, 3.0, absent, 10.5, null · cat: a, b, a, absent, c · meta.lang: en, null, fr, absent, absent
    /// code: "3", 3, absent, true, "x" · v: vectors in 0, 2, 3 · km: cluster_0, cluster_1, none, cluster_1, cluster_0
    /// hd: -1, 0, 0, -1, 0 (names "-1", "0")
    static let dataset: Dataset = {
        let fields = [
            FieldColumn(name: "price", values: [.int(3), .double(3.0), nil, .double(10.5), .null]),
            FieldColumn(name: "cat", values: [.string("a"), .string("b"), .string("a"), nil, .string("c")]),
            FieldColumn(name: "meta.lang", values: [.string("en"), .null, .string("fr"), nil, nil]),
            FieldColumn(name: "code", values: [.string("3"), .int(3), nil, .bool(true), .string("x")]),
            FieldColumn(name: "ok", values: [.bool(true), .bool(false), .bool(true), nil, .bool(false)]),
        ]
        let v = VectorColumn(name: "v", embeddings: Embeddings(rows: (0 ..< 5).map { [Float($0), 1] }),
                             present: [true, false, true, true, false])
        let km = Clustering(vectorField: "v", alias: "km", labels: [0, 1, -1, 1, 0], clusterNames: ["cluster_0", "cluster_1"], details: nil)
        let hd = Clustering(vectorField: "v", alias: "hd", labels: [0, 1, 1, 0, 1], clusterNames: ["-1", "0"], details: nil)
        return Dataset(name: "docs", path: "docs.jsonl", count: 5, fields: fields, vectors: [v], clusterings: [km, hd])
    }()

    func kept(_ condition: String, in dataset: Dataset = FilterEvaluationTests.dataset) throws -> [Int] {
        let statements = try Parser.parse(SourceFile(name: "t", text: "filter " + condition))
        guard case .command(let call) = statements.first, let e = call.arguments.first?.expression else {
            Issue.record("no condition"); return []
        }
        let session = Session()
        session.variables["three"] = .integer(3)
        session.variables["cats"] = .list([.text("a"), .text("c")])
        let interpreter = Interpreter(session: session, output: CollectingSink())
        let flags = try FilterEvaluator(dataset: dataset, resolve: interpreter.resolve).matches(e)
        return flags.indices.filter { flags[$0] }
    }

    func error(_ condition: String) -> Diagnostic? {
        do { _ = try kept(condition); return nil } catch { return error as? Diagnostic }
    }

    @Test(arguments: [
        // numbers as numbers: 3 == 3.0, ints exactly
        ("price == 3", [0, 1]), ("price == 3.0", [0, 1]), ("price > 3", [3]), ("price >= 3", [0, 1, 3]),
        ("price < 100", [0, 1, 3]), ("price == $three", [0, 1]),
        // missing (absent or null) matches no comparison, != neither; not negates
        ("price != 3", [3]), ("not price == 3", [2, 3, 4]), ("meta.lang != \"en\"", [2]),
        // strings as strings
        ("cat == a", [0, 2]), ("cat == \"a\"", [0, 2]), ("cat < \"b\"", [0, 2]), ("cat >= b", [1, 4]),
        // a value of another kind never matches: "3" is not 3
        ("code == 3", [1]), ("code == \"3\"", [0]), ("code == true", [3]), ("code != \"3\"", [4]),
        ("ok == true", [0, 2]), ("ok != true", [1, 4]), ("ok == false", [1, 4]),
        // in-lists, mixed kinds, variables
        ("cat in [a, c]", [0, 2, 4]), ("cat not in [a, c]", [1]), ("cat in $cats", [0, 2, 4]),
        ("code in [3, \"x\"]", [1, 4]), ("price in [10.5, 3]", [0, 1, 3]), ("ok in [true]", [0, 2]),
        // has(): present and not null; a vector; a label; any nested field
        ("has(price)", [0, 1, 3]), ("has(meta.lang)", [0, 2]), ("has(meta)", [0, 2]), ("has(v)", [0, 2, 3]),
        ("not has(v)", [1, 4]), ("has(km)", [0, 1, 3, 4]),
        // clustering labels: names, or numbers when the name is one
        ("km == \"cluster_1\"", [1, 3]), ("km == cluster_0", [0, 4]), ("km != cluster_0", [1, 3]),
        ("_cluster_.v.km == cluster_1", [1, 3]), ("hd == -1", [0, 3]), ("hd == \"-1\"", [0, 3]), ("hd >= 0", [1, 2, 4]),
        // precedence
        ("cat == a or cat == b and price > 3", [0, 2]), ("(cat == a or cat == b) and price == 3", [0, 1]),
        ("not cat == a and has(v)", [3]),
    ])
    func keeps(_ condition: String, _ expected: [Int]) throws {
        #expect(try kept(condition) == expected, "\(condition)")
    }

    @Test(arguments: [
        ("price == \"3\"", 9, "'price' holds numbers; compare it with one"),
        ("cat > 2", 6, "'cat' holds strings; compare it with one"),
        ("cat in [1, 2]", 7, "'cat' holds strings"),
        ("ok < true", 3, "true and false compare only with == or !="),
        ("km == 3", 6, "'km' holds strings; compare it with one, as in km == \"cluster_0\""),
        ("v == 1", 0, "'v' is a vector field; a condition on it can only be has(v)"),
        ("prize < 3", 0, "unknown field 'prize' for docs"),
        ("has(nothing)", 4, "unknown field 'nothing'"),
        ("cat in \"a\"", 7, "'in' needs a list"),
        ("cat == [a]", 7, "expected a number or a string here"),
        ("cat == $nope", 7, "unknown variable '$nope'"),
    ])
    func errorsPointAtTheSpot(_ condition: String, _ offset: Int, _ message: String) {
        let d = error(condition)
        #expect(d?.range?.start == 7 + offset, "\(condition): \(d?.message ?? "no error")")
        #expect(d?.message.hasPrefix(message) == true, "\(condition): \(d?.message ?? "no error")")
    }

    @Test func unknownFieldSuggestsTheClosest() {
        #expect(error("prize < 3")?.hint == "did you mean 'price'?")
        #expect(error("has(kmm)")?.hint == "did you mean 'km'?")
    }

    @Test func anAliasOfTwoVectorFieldsMustBeNamedInFull() throws {
        var d = FilterEvaluationTests.dataset
        d.store(Clustering(vectorField: "w", alias: "km", labels: [0, 0, 0, 0, 0], clusterNames: ["cluster_9"], details: nil))
        #expect(throws: Diagnostic.self) { try kept("km == cluster_0", in: d) }
        #expect(try kept("_cluster_.w.km == cluster_9", in: d) == [0, 1, 2, 3, 4])
        #expect(try kept("_cluster_.v.km == cluster_0", in: d) == [0, 4])
    }
}
