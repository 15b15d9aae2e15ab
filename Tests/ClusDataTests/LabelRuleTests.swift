import Testing
@testable import ClusData

/// One rule interns cluster labels, truth values and join keys (`LabelValue`):
/// a label is a value, not its spelling.
@Suite struct LabelRuleTests {
    @Test(arguments: [
        ("3", LabelValue.int(3)), ("3.0", .int(3)), ("3e0", .int(3)), ("1e2", .int(100)), ("100", .int(100)),
        ("-1", .int(-1)), ("-1.0", .int(-1)), ("-0", .int(0)), ("0.5", .double(0.5)), ("-2.50", .double(-2.5)),
        ("true", .bool(true)), ("false", .bool(false)),
        // not JSON numbers or literals: kept as written
        ("007", .string("007")), ("+3", .string("+3")), ("3.", .string("3.")), (".5", .string(".5")),
        ("NaN", .string("NaN")), ("inf", .string("inf")), ("0x10", .string("0x10")), (" 3", .string(" 3")),
        ("True", .string("True")), ("null", .string("null")), ("", .string("")), ("cluster_3", .string("cluster_3")),
        ("1e999", .string("1e999")),
    ])
    func textReadsAsTheValueItSpells(text: String, expected: LabelValue) {
        #expect(LabelValue(text: text) == expected)
    }

    @Test func namesAreTheShortestText() {
        #expect(LabelValue(text: "3.0").description == "3")
        #expect(LabelValue(.double(42.0))?.description == "42")
        #expect(LabelValue(text: "1e2").description == "100")
        #expect(LabelValue(text: "0.50").description == "0.5")
        #expect(LabelValue(.double(1e20))?.description == "1e+20")
        #expect(LabelValue(.double(.nan)) == nil)
        #expect(LabelValue(.double(.infinity)) == nil)
        #expect(LabelValue(.null) == nil)
    }

    /// Every spelling of one value in a truth field: one code, named the shortest way.
    @Test func mixedSpellingsOfATruthFieldAreOneValue() {
        let column = FieldColumn(name: "t", values: [
            .int(3), .double(3.0), .string("3"), .string("3.0"),
            .int(-1), .string("-1"), .double(-1.0),
            .double(1e2), .int(100), .string("1e2"),
            .bool(true), .string("true"), .string("True"),
            .string("cluster_3"), .string("007"), .int(7), .int(10), .double(0.5), nil, .null, .double(.nan),
        ])
        let labels = column.interned()
        #expect(labels.names == ["-1", "0.5", "3", "7", "10", "100", "007", "True", "cluster_3", "true"])
        #expect(labels.codes == [2, 2, 2, 2, 0, 0, 0, 5, 5, 5, 9, 9, 7, 8, 6, 3, 4, 1, -1, -1, -1])
    }

    /// `_cluster_` labels as JSON numbers and strings: `42` and `42.0` are one
    /// cluster (they were two), `42` and `"42"` too, sorted as numbers.
    @Test func clusterLabelsFollowTheRuleOfTruthValues() throws {
        let values = [#"42"#, #"42.0"#, #""42""#, #"3"#, #"3.0"#, #""3""#, #"-1"#, #""-1""#, #"-1.0"#, #"1e2"#, #"100"#,
                      #"10"#, #"2"#, #""cluster_3""#, #""true""#]
        let text = values.map { #"{"t": \#($0), "v": [1], "_cluster_": {"v": {"k": \#($0)}}}"# }.joined(separator: "\n")
        let d = try load(text)
        let k = try #require(d.clustering(alias: "k", vectorField: "v"))
        #expect(k.clusterNames == ["-1", "2", "3", "10", "42", "100", "cluster_3", "true"])
        #expect(k.labels == [4, 4, 4, 2, 2, 2, 0, 0, 0, 5, 5, 3, 1, 6, 7])
        let truth = try #require(d.field(named: "t")).interned()
        #expect(truth.names == k.clusterNames)
        #expect(truth.codes == k.labels)
    }

    /// pandas writes integer labels with gaps as `3.0`: in a CSV `_cluster_`
    /// column they join `3` and sort as numbers, not as text.
    @Test func csvClusterColumnsSortAsNumbers() throws {
        let d = try load("id,v,_cluster_.v.k\n0,\"[1]\",0.0\n1,\"[1]\",10.0\n2,\"[1]\",2\n3,\"[1]\",\n4,\"[1]\",\"2\"\n5,\"[1]\",1.0\n",
                         name: "t.csv")
        let k = try #require(d.clustering(alias: "k", vectorField: "v"))
        #expect(k.clusterNames == ["0", "1", "2", "10"])
        #expect(k.labels == [0, 3, 2, -1, 2, 1])
    }

    @Test func aFieldBecomesAClusteringByTheSameRule() {
        let field = FieldColumn(name: "cluster", values: [.double(3.0), .int(1), nil, .string("3"), .double(10)])
        let c = Clustering(field: field, vectorField: "v")
        #expect(c.isField && c.alias == "cluster" && c.vectorField == "v")
        #expect(c.clusterNames == ["1", "3", "10"])
        #expect(c.labels == [1, 0, -1, 1, 2])
        #expect(c.details == nil)
    }
}
