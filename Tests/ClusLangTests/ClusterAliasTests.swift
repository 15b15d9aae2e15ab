import Testing
import ClusCore
@testable import ClusLang

/// A clustering never silently replaces another.
@Suite struct ClusterAliasTests {
    @Test func defaultAliasesSayWhatTellsClusteringsApart() {
        #expect(ClusteringMethod.kmeans.defaultAlias(k: 25, metric: "euclidean") == "kmeans_25")
        #expect(ClusteringMethod.kmeans.defaultAlias(k: 25, metric: "cosine") == "kmeans_cosine_25")
        #expect(ClusteringMethod.minibatch.defaultAlias(k: 25, metric: "cosine") == "minibatch_cosine_25")
        #expect(ClusteringMethod.agglomerative.defaultAlias(k: 20, metric: "euclidean") == "agglomerative_ward_20")
        #expect(ClusteringMethod.agglomerative.defaultAlias(k: 20, metric: "cosine", linkage: .average) == "agglomerative_average_cosine_20")
        #expect(ClusteringMethod.hdbscan.defaultAlias(k: 8, metric: "euclidean", minClusterSize: 10) == "hdbscan_mcs10")
        #expect(ClusteringMethod.hdbscan.defaultAlias(k: 8, metric: "cosine") == "hdbscan_cosine_mcs5")
    }

    @Test func euclideanAndCosineRunsKeepBoth() throws {
        let (session, sink) = try ClusterAliasTests.irisSession()
        try ClusterAliasTests.run("cluster k=4 seed=1; cluster k=4 metric=cosine; cluster k=4 method=agglomerative; cluster k=4 method=agglomerative linkage=average metric=cosine", session, sink)
        let aliases = try session.currentDataset().clusterings.map(\.alias)
        for alias in ["kmeans_4", "kmeans_cosine_4", "agglomerative_ward_4", "agglomerative_average_cosine_4"] {
            #expect(aliases.contains(alias), "\(aliases)")
        }
        #expect(!sink.results.contains { ($0.output as? ClusterResult)?.replaced != nil })
    }

    @Test func namingAnExistingAliasReplacesItWithANote() throws {
        let (session, sink) = try ClusterAliasTests.irisSession()
        try ClusterAliasTests.run("cluster k=3 alias=mine; cluster k=4 metric=cosine alias=mine", session, sink)
        let second = try #require(sink.results.last?.output as? ClusterResult)
        #expect(second.replaced?.method == "kmeans" && second.replaced?.k == 3 && second.replaced?.metric == "euclidean")
        let text = Renderer(format: .table, color: false).render(try #require(sink.results.last))
        #expect(text.contains("note: replaced the earlier mine (kmeans, k=3, euclidean)"), "\(text)")
        #expect(second.json["replaced"] == .bool(true))
    }

    static func irisSession() throws -> (Session, CollectingSink) {
        let session = Session()
        session.settings.threads = 2
        let sink = CollectingSink()
        let root = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))
        try run("load \"/\(root)/Tests/Golden/data/iris.jsonl\"", session, sink)
        return (session, sink)
    }

    static func run(_ text: String, _ session: Session, _ sink: CollectingSink) throws {
        let outcome = Interpreter(session: session, output: sink).run(SourceFile(name: "test", text: text))
        try #require(outcome == .completed, "\(sink.errors)")
    }
}
