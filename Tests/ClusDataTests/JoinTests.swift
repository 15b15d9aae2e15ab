import Testing
@testable import ClusData

/// `join PATH on=FIELD`: a file's columns attached by a key compared as labels are.
@Suite struct JoinTests {
    static let documents = """
        {"id": 3, "v": [0]}
        {"id": "5", "v": [1]}
        {"id": 7.0, "v": [2]}
        {"v": [3]}
        """

    @Test func keysMatchByTheLabelRuleAndBothSidesAreCounted() throws {
        let d = try load(JoinTests.documents)
        let path = try writeFile(Array("id,topic,_cluster_.v.llm\n\"3\",a,1.0\n5.0,b,\n9,c,4\n".utf8), name: "t.csv")
        let (joined, report) = try DatasetJoin.join(d, path: path, on: "id", fields: nil, format: nil)
        #expect(joined.field(named: "topic")?.values == [.string("a"), .string("b"), nil, nil])
        let llm = try #require(joined.clustering(alias: "llm", vectorField: "v"))
        // the cluster of the unmatched row (4) is dropped
        #expect(llm.clusterNames == ["1"] && llm.labels == [0, -1, -1, -1])
        #expect(report.matched == 2 && report.unmatchedDocuments == 2 && report.withoutKey == 1 && report.unmatchedKeys == ["7"])
        #expect(report.fileRows == 3 && report.unmatchedRows == 1 && report.unmatchedLines == [4])
        #expect(report.fields == ["topic"] && report.aliases == ["llm"])
        #expect(d.field(named: "topic") == nil)
    }

    @Test func aDuplicateKeyNamesItsLine() throws {
        let d = try load(JoinTests.documents)
        // a quoted cell over two lines and a blank line move the rows' lines
        let csv = try writeFile(Array("id,note\n3,\"two\nlines\"\n\n5,x\n3.0,y\n".utf8), name: "t.csv")
        #expect(throws: DataError(path: csv, line: 6, message: "duplicate id 3 (first at line 2): a key must name one row")) {
            try DatasetJoin.join(d, path: csv, on: "id", fields: nil, format: nil)
        }
        let jsonl = try writeFile(Array("{\"id\": 1}\n\n  \n{\"id\": \"1\"}\n".utf8), name: "t.jsonl")
        #expect(throws: DataError(path: jsonl, line: 4, message: "duplicate id 1 (first at line 1): a key must name one row")) {
            try DatasetJoin.join(d, path: jsonl, on: "id", fields: nil, format: nil)
        }
        let array = try writeFile(Array("[{\"id\": 1, \"s\": \"{\"},\n {\"id\": 2,\n  \"m\": {\"a\": 1}},\n {\"id\": 1.0}]\n".utf8), name: "t.json")
        #expect(throws: DataError(path: array, line: 4, message: "duplicate id 1 (first at line 1): a key must name one row")) {
            try DatasetJoin.join(d, path: array, on: "id", fields: nil, format: nil)
        }
    }

    @Test func aRowWithoutTheKeyNamesItsLine() throws {
        let d = try load(JoinTests.documents)
        let path = try writeFile(Array("{\"id\": 3, \"t\": 1}\n{\"id\": null, \"t\": 2}\n".utf8), name: "t.jsonl")
        #expect(throws: DataError(path: path, line: 2, message: "this row has no 'id' to join on")) {
            try DatasetJoin.join(d, path: path, on: "id", fields: nil, format: nil)
        }
    }

    @Test func aColumnTheDatasetHasIsRefusedNamingTheOthers() throws {
        let d = try load(#"{"id": 3, "t": "x", "v": [0]}"# + "\n")
        let path = try writeFile(Array("id,t,u,v\n3,a,b,c\n".utf8), name: "t.csv")
        #expect(throws: DataError(path: path, message: "t has the fields t, v already; join the others with fields=[u]")) {
            try DatasetJoin.join(d, path: path, on: "id", fields: nil, format: nil)
        }
        let (joined, _) = try DatasetJoin.join(d, path: path, on: "id", fields: ["u", "id"], format: nil)
        #expect(joined.fields.map(\.name) == ["id", "t", "u"])
        #expect(throws: DataError(path: path, message: "fields= names 'w', which the file lacks; it has: id, t, u, v")) {
            try DatasetJoin.join(d, path: path, on: "id", fields: ["w"], format: nil)
        }
    }

    @Test func aMissingKeyFieldIsRefused() throws {
        let d = try load(JoinTests.documents)
        let path = try writeFile(Array("doc,t\n3,a\n".utf8), name: "t.csv")
        #expect(throws: DataError(path: path, message: "no field 'id' in the file to join on; fields: doc, t")) {
            try DatasetJoin.join(d, path: path, on: "id", fields: nil, format: nil)
        }
        #expect(throws: DataError(path: path, message: "t has no field 'doc' to join on; fields: id")) {
            try DatasetJoin.join(d, path: path, on: "doc", fields: nil, format: nil)
        }
    }
}
