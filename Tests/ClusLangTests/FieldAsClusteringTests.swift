import Foundation
import Testing
import ClusData
@testable import ClusLang

/// A scalar field serves as a clustering where an alias is named, by the
/// label rule of truth values.
@Suite struct FieldAsClusteringTests {
    @Test func clusterNamesSortAsLabelsDo() {
        let names = ["10", "cluster_10", "-1", "cluster_2", "2", "0", "b"]
        #expect(naturalOrder(names).map { names[$0] } == ["-1", "0", "2", "10", "b", "cluster_2", "cluster_10"])
    }

    @Test func aFieldScoresAsItsLabelsAndTheResultSaysSo() throws {
        let (session, sink) = try ClusterAliasTests.irisSession()
        // iris's target (0, 1, 2; 3 documents lack it) is species by another name
        try ClusterAliasTests.run("metrics alias=target truth=species silhouette=off", session, sink)
        let result = try #require(sink.results.last?.output as? MetricsResult)
        #expect(result.scores[.adjustedRandIndex] == 1)
        #expect(result.json["field_as_clustering"] == .bool(true))
        #expect(result.json["vector_field"] == .string("features"))
        let text = Renderer(format: .table, color: false).render(try #require(sink.results.last))
        #expect(text.contains("target (a field's values as clusters) on features: 3 clusters, 147 documents"), "\(text)")
        // made for the command, not stored
        #expect(try session.currentDataset().clusterings.map(\.alias) == ["kmeans_3"])
    }

    @Test func anAliasWinsOverAFieldOfTheSameName() throws {
        let text = #"{"kmeans_3": "x", "v": [0], "_cluster_": {"v": {"kmeans_3": 1}}}"# + "\n"
            + #"{"kmeans_3": "y", "v": [1], "_cluster_": {"v": {"kmeans_3": 2}}}"# + "\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alias-\(UUID().uuidString).jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let session = Session()
        let sink = CollectingSink()
        try ClusterAliasTests.run("load \"\(path)\"; distribution alias=kmeans_3", session, sink)
        let result = try #require(sink.results.last?.output as? DistributionResult)
        #expect(!result.name.isField)
        #expect(result.clusters.map(\.name) == ["1", "2"])
    }

    @Test func unknownNamesSuggestFieldsAndEmptyFieldsAreRefused() throws {
        let (session, sink) = try ClusterAliasTests.irisSession()
        let interpreter = Interpreter(session: session, output: sink)
        #expect(interpreter.run(SourceFile(name: "t", text: "distribution alias=speces")) == .failed)
        #expect(sink.errors.last?.contains("unknown alias or field 'speces'") == true)
        #expect(sink.errors.last?.contains("did you mean 'species'?") == true)
    }
}
