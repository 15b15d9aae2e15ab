import ClusCore
import Testing
@testable import ClusData

@Suite struct DatasetTests {
    @Test func readsClusterAliasesPerVectorField() throws {
        let ds = try load("""
            {"_id": "a", "v": [0, 1], "_cluster_": {"v": {"km": "cluster_10", "hdb": -1}, "w": {"km": "cluster_0"}}}
            {"_id": "b", "v": [1, 0], "_cluster_": {"v": {"km": "cluster_2", "hdb": 3}}}
            {"_id": "c", "v": [1, 1], "_cluster_": {"v": {"km": "cluster_10", "hdb": null}}}
            {"_id": "d", "v": [2, 2]}
            """)
        #expect(ds.fields.map(\.name) == ["_id"])
        #expect(ds.clusterings.map { "\($0.vectorField).\($0.alias)" } == ["v.km", "v.hdb", "w.km"])
        let km = try #require(ds.clustering(alias: "km", vectorField: "v"))
        #expect(km.clusterNames == ["cluster_2", "cluster_10"])
        #expect(km.labels == [1, 0, 1, -1])
        #expect(km.k == 2 && km.details == nil)
        let hdb = try #require(ds.clustering(alias: "hdb", vectorField: nil))
        #expect(hdb.clusterNames == ["-1", "3"])
        #expect(hdb.labels == [0, 1, -1, -1])
        #expect(ds.clustering(alias: "km", vectorField: "w")?.labels == [0, -1, -1, -1])
        #expect(ds.clustering(alias: "km", vectorField: "x") == nil)
    }

    @Test func naturalOrderComparesDigitRunsAsNumbers() {
        let names = ["cluster_10", "cluster_2", "b", "cluster_02", "a10", "a9", "cluster_1"]
        #expect(names.sorted(by: naturalLess) == ["a9", "a10", "b", "cluster_1", "cluster_2", "cluster_02", "cluster_10"])
    }

    @Test func mixedTypesAreReportedAndKept() throws {
        let ds = try load("""
            {"x": 1, "y": 1, "z": true}
            {"x": "1", "y": 2.5, "z": "yes"}
            """)
        #expect(ds.field(named: "x")?.values == [.int(1), .string("1")])
        #expect(ds.field(named: "x")?.typeDescription == "int|string (mixed)")
        #expect(ds.field(named: "y")?.typeDescription == "float")
        #expect(ds.field(named: "z")?.typeDescription == "bool|string (mixed)")
    }

    @Test func missingCountsCountAbsentAndNull() throws {
        let ds = try load("""
            {"a": 1, "v": [1, 2]}
            {"a": null, "b": "x"}
            {"v": null}
            {"a": 3, "v": [3, 4]}
            """)
        #expect(ds.field(named: "a")?.missingCount == 2)
        #expect(ds.field(named: "b")?.missingCount == 3)
        let v = try #require(ds.vector(named: "v"))
        #expect(v.missingCount == 2)
        #expect(v.present == [true, false, false, true])
        #expect(v.embeddings.values == [1, 2, 0, 0, 0, 0, 3, 4])
        #expect(v.dimension == 2)
    }

    @Test func internedLabelsOrderNumbersThenStringsThenBools() {
        let column = FieldColumn(name: "t", values: [
            .string("b"), .int(10), .int(2), .string("a"), .double(2.0), .bool(true), nil, .null, .double(1.5), .bool(false), .string("b"),
        ])
        let labels = column.interned()
        #expect(labels.names == ["1.5", "2", "10", "a", "b", "false", "true"])
        #expect(labels.codes == [4, 2, 1, 3, 1, 6, -1, -1, 0, 5, 4])
    }

    @Test func vectorOptionChoosesTheDefaultVectorField() throws {
        let text = """
            {"a": [1, 2], "b": {"c": [1, 2, 3]}, "s": "x"}
            """
        #expect(try load(text).vectors.map(\.name) == ["a", "b.c"])
        #expect(try load(text, options: LoadOptions(vectorField: "b.c")).vectors.map(\.name) == ["b.c", "a"])
        #expect(try loadError(text, options: LoadOptions(vectorField: "s")) == "t.jsonl: no vector field 's'; vector fields: a, b.c")
        #expect(try loadError("{\"s\": 1}", options: LoadOptions(vectorField: "v")) == "t.jsonl: no vector field 'v'; the dataset has none")
    }

    @Test func nameDefaultsToTheFileBaseName() throws {
        #expect(try load("{\"a\": 1}", name: "products.v2.jsonl").name == "products.v2")
        #expect(try load("{\"a\": 1}", options: LoadOptions(name: "p")).name == "p")
        #expect(DatasetLoader.baseName("data/x.jsonl") == "x")
        #expect(DatasetLoader.baseName(".hidden") == ".hidden")
    }

    @Test func storeReplacesTheSameAliasAndAppendsOthers() throws {
        var ds = try load("{\"v\": [0]}\n{\"v\": [1]}\n{\"v\": [2]}")
        ds.store(Clustering(vectorField: "v", alias: "km", clusterIndices: [0, 1, 1], details: ClusteringDetails(method: "kmeans")))
        ds.store(Clustering(vectorField: "w", alias: "km", clusterIndices: [0, 0, 0], details: nil))
        ds.store(Clustering(vectorField: "v", alias: "km", clusterIndices: [2, 1, 0], details: nil))
        #expect(ds.clusterings.count == 2)
        let km = try #require(ds.clustering(alias: "km", vectorField: "v"))
        #expect(km.labels == [2, 1, 0] && km.clusterNames == ["cluster_0", "cluster_1", "cluster_2"])
        #expect(km.details == nil)
    }

    @Test func documentShowsFieldsVectorsAndLabels() throws {
        let ds = try load("""
            {"_id": "a", "n": 1, "v": [0.5, 1, 2, 3], "_cluster_": {"v": {"km": "cluster_1"}}}
            {"_id": "b", "w": [1]}
            """)
        let first = try #require(ds.document(at: 0))
        #expect(first.map(\.key) == ["_id", "n", "v", "_cluster_.v.km"])
        #expect(first.map(\.value) == ["a", "1", "[0.5, 1.0, 2.0, … 4 values]", "cluster_1"])
        #expect(try #require(ds.document(at: 1)).map(\.value) == ["b", "[1.0]"])
        #expect(ds.document(at: 2) == nil)
    }

    @Test func theDemoDataLoads() throws {
        let ds = try DatasetLoader.load(path: demoPath, options: LoadOptions(vectorField: "pixels"))
        #expect(ds.name == "digits")
        #expect(ds.count == 1797)
        #expect(ds.vectors.map(\.name) == ["pixels"])
        #expect(ds.vectors[0].dimension == 64 && ds.vectors[0].missingCount == 0)
        #expect(ds.fields.map(\.name) == ["_id", "digit"])
        let digit = try #require(ds.field(named: "digit")).interned()
        #expect(digit.names == (0...9).map(String.init))
        #expect(digit.codes.prefix(10) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(ds.vectors[0].embeddings[row: 0].prefix(4) == [0, 0, 5, 13])
        #expect(ds.notes.isEmpty && ds.clusterings.isEmpty)
    }
}
