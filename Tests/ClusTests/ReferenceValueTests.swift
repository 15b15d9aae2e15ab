import Foundation
import Testing

/// `clus --format json` on documents in Relevance AI's `_cluster_` layout
/// prints scikit-learn's values (fixtures from Scripts/make_fixtures.py).
@Suite struct ReferenceValueTests {
    static let keys = ["silhouette", "calinski_harabasz", "davies_bouldin", "adjusted_rand_index", "rand_index",
                       "normalized_mutual_info", "adjusted_mutual_info", "homogeneity", "completeness", "v_measure",
                       "fowlkes_mallows", "purity"]

    @Test(arguments: [("iris", "kmeans_3"), ("blobs512", "kmeans_6")])
    func metricsMatchScikitLearn(_ name: String, _ alias: String) throws {
        let data = "Tests/Golden/data/\(name).jsonl"
        let expectedData = try Data(contentsOf: ClusProcess.root.appendingPathComponent("Tests/Golden/data/\(name).expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let alias = expected["alias"] as? String ?? alias
        let out = try ClusProcess.run(["--format", "json", "-c", "load \"\(data)\"; metrics alias=\(alias) truth=target"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n")
        let last = try #require(lines.last)
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(metrics["command"] as? String == "metrics")
        #expect(metrics["n"] as? Int == expected["n"] as? Int)
        #expect(metrics["k"] as? Int == expected["k"] as? Int)
        #expect(metrics["missing_truth"] as? Int == (expected["missing_truth"] as? Int ?? 0))
        #expect(metrics["elapsed_s"] is Double)
        for key in ReferenceValueTests.keys {
            let value = try #require(metrics[key] as? Double, "\(key) missing")
            let reference = try #require(expected[key] as? Double, "\(key) not in fixture")
            let tolerance = key == "calinski_harabasz" ? 1e-6 * abs(reference) : 1e-6
            #expect(abs(value - reference) <= tolerance, "\(name) \(key): \(value) vs scikit-learn \(reference)")
        }
    }

    /// `metrics metric=M` through the binary: scikit-learn's
    /// `silhouette_score(metric=M)` on the same documents, json `"metric"` set.
    @Test(arguments: ["iris", "blobs512"], ["euclidean", "cosine", "manhattan", "sqeuclidean"])
    func silhouetteMetricMatchesScikitLearn(_ name: String, _ metric: String) throws {
        let expectedData = try Data(contentsOf: ClusProcess.root.appendingPathComponent("Tests/Golden/data/\(name).expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let byMetric = try #require(expected["silhouette_by_metric"] as? [String: Double])
        let reference = try #require(byMetric[metric])
        let alias = try #require(expected["alias"] as? String)
        let out = try ClusProcess.run(["--format", "json", "-c", "load \"Tests/Golden/data/\(name).jsonl\"; metrics alias=\(alias) metric=\(metric)"])
        #expect(out.status == 0, "\(out.stderr)")
        let last = try #require(out.stdout.split(separator: "\n").last)
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(metrics["metric"] as? String == metric)
        let value = try #require(metrics["silhouette"] as? Double)
        #expect(abs(value - reference) <= 1e-6, "\(name) \(metric): \(value) vs scikit-learn \(reference)")
    }
    /// `metrics average=A beta=0.5 silhouette=off`: scikit-learn's NMI and AMI
    /// with `average_method=A` and `v_measure_score(beta=0.5)`; no silhouette.
    @Test(arguments: ["iris", "blobs512"], MutualInformationAverageName.allCases)
    func averageAndBetaMatchScikitLearn(_ name: String, _ average: MutualInformationAverageName) throws {
        let expectedData = try Data(contentsOf: ClusProcess.root.appendingPathComponent("Tests/Golden/data/\(name).expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let alias = try #require(expected["alias"] as? String)
        let out = try ClusProcess.run(["--format", "json", "-c",
                                       "load \"Tests/Golden/data/\(name).jsonl\"; metrics alias=\(alias) truth=target silhouette=off average=\(average.rawValue) beta=0.5"])
        #expect(out.status == 0, "\(out.stderr)")
        let last = try #require(out.stdout.split(separator: "\n").last)
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(metrics["silhouette"] is NSNull)
        let nmi = try #require((expected["nmi_by_average"] as? [String: Double])?[average.rawValue])
        let ami = try #require((expected["ami_by_average"] as? [String: Double])?[average.rawValue])
        let v = try #require(expected["v_measure_beta_0_5"] as? Double)
        for (key, reference) in [("normalized_mutual_info", nmi), ("adjusted_mutual_info", ami), ("v_measure", v)] {
            let value = try #require(metrics[key] as? Double, "\(key) missing")
            #expect(abs(value - reference) <= 1e-6, "\(name) \(key) \(average): \(value) vs scikit-learn \(reference)")
        }
        // the internal indices are still there
        let ch = try #require(metrics["calinski_harabasz"] as? Double)
        #expect(abs(ch - (expected["calinski_harabasz"] as? Double ?? .nan)) <= 1e-6 * ch)
    }

    /// One cluster, and one per document: the internal indices are left out
    /// with the reason; the external ones are scikit-learn's (fixture from
    /// Scripts/make_degenerate_fixture.py).
    @Test(arguments: [("one_cluster", "cluster k=1 alias=one", "one"),
                      ("one_per_document", "cluster k=150 method=agglomerative alias=each", "each")])
    func externalIndicesForOneOrNClusters(_ key: String, _ cluster: String, _ alias: String) throws {
        let fixture = try Data(contentsOf: ClusProcess.root.appendingPathComponent("Tests/Golden/data/iris_degenerate.expected.json"))
        let expected = try #require((try JSONSerialization.jsonObject(with: fixture) as? [String: Any])?[key] as? [String: Double])
        let out = try ClusProcess.run(["--format", "json", "-c",
                                       "load \"Tests/Golden/data/iris.jsonl\"; \(cluster); metrics alias=\(alias) truth=target"])
        #expect(out.status == 0, "\(out.stderr)")
        let last = try #require(out.stdout.split(separator: "\n").last)
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        for index in ["silhouette", "calinski_harabasz", "davies_bouldin"] { #expect(metrics[index] is NSNull, "\(index)") }
        #expect(expected.count == 8)
        for (index, reference) in expected {
            let value = try #require(metrics[index] as? Double, "\(index) missing")
            #expect(abs(value - reference) <= 1e-6, "\(key) \(index): \(value) vs scikit-learn \(reference)")
        }
        let table = try ClusProcess.run(["-c", "load \"Tests/Golden/data/iris.jsonl\"; \(cluster); metrics alias=\(alias) truth=target"])
        #expect(table.stdout.contains("need 2 to n-1 clusters"), "\(table.stdout)")
        let refused = try ClusProcess.run(["-c", "load \"Tests/Golden/data/iris.jsonl\"; \(cluster); metrics alias=\(alias)"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("with truth=FIELD the external indices are computed"), "\(refused.stderr)")
    }

    /// `compare kmeans_3 B` for B with one cluster and one per document: the
    /// eight indices are scikit-learn's with kmeans_3 as labels_true.
    @Test(arguments: [("compare_one_cluster", "cluster k=1 alias=one", "compare kmeans_3 one"),
                      ("compare_one_per_document", "cluster k=150 method=agglomerative alias=each", "compare kmeans_3 each"),
                      ("compare_one_per_document_geometric", "cluster k=150 method=agglomerative alias=each",
                       "compare kmeans_3 each average=geometric")])
    func compareMatchesScikitLearn(_ key: String, _ cluster: String, _ compare: String) throws {
        let fixture = try Data(contentsOf: ClusProcess.root.appendingPathComponent("Tests/Golden/data/iris_degenerate.expected.json"))
        let expected = try #require((try JSONSerialization.jsonObject(with: fixture) as? [String: Any])?[key] as? [String: Double])
        let out = try ClusProcess.run(["--format", "json", "-c", "load \"Tests/Golden/data/iris.jsonl\"; \(cluster); \(compare)"])
        #expect(out.status == 0, "\(out.stderr)")
        let last = try #require(out.stdout.split(separator: "\n").last)
        let result = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(result["n"] as? Int == 148)
        #expect(expected.count == 8)
        for (index, reference) in expected {
            let value = try #require(result[index] as? Double, "\(index) missing")
            #expect(abs(value - reference) <= 1e-6, "\(key) \(index): \(value) vs scikit-learn \(reference)")
        }
    }

    @Test func silhouetteOffRefusesItsOptions() throws {
        let out = try ClusProcess.run(["-c", "load \"Tests/Golden/data/iris.jsonl\"; metrics silhouette=off sample=50"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("sample= sets up the silhouette, which silhouette=off leaves out"), "\(out.stderr)")
        let beta = try ClusProcess.run(["-c", "load \"Tests/Golden/data/iris.jsonl\"; metrics truth=target beta=0"])
        #expect(beta.status == 1)
        #expect(beta.stderr.contains("beta= must be a positive number"), "\(beta.stderr)")
    }
}

/// NMI's and AMI's normalisers, as scikit-learn spells them.
enum MutualInformationAverageName: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case arithmetic, geometric, min, max
    var testDescription: String { rawValue }
}

extension ReferenceValueTests {
    /// The demo's real embeddings (Scripts/data/debian.jsonl.gz): clus's
    /// silhouette (euclidean, cosine), ARI, NMI and AMI of scikit-learn's
    /// k-means labels against `section` are scikit-learn's
    /// (Scripts/make_debian_data.py).
    @Test func realEmbeddingsMatchScikitLearn() throws {
        let expectedData = try Data(contentsOf: ClusProcess.root.appendingPathComponent("Tests/Golden/data/debian.expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let out = try ClusProcess.run(["--format", "json", "-c", """
            load "Scripts/data/debian.npy.gz" labels="Scripts/data/debian.csv.gz"
            join "Tests/Golden/data/debian_sklearn.csv"
            metrics alias=sklearn_kmeans truth=section
            metrics alias=sklearn_kmeans metric=cosine
            """])
        #expect(out.status == 0, "\(out.stderr)")
        let results = try out.stdout.split(separator: "\n").compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let metrics = results.filter { $0["command"] as? String == "metrics" }
        try #require(metrics.count == 2)
        #expect(metrics[0]["n"] as? Int == expected["n"] as? Int)
        #expect(metrics[0]["k"] as? Int == 20)
        let pairs: [(String, [String: Any], String)] = [
            ("silhouette", metrics[0], "silhouette_euclidean"), ("silhouette", metrics[1], "silhouette_cosine"),
            ("adjusted_rand_index", metrics[0], "adjusted_rand_index"),
            ("normalized_mutual_info", metrics[0], "normalized_mutual_info"),
            ("adjusted_mutual_info", metrics[0], "adjusted_mutual_info"),
        ]
        for (key, result, referenceKey) in pairs {
            let value = try #require(result[key] as? Double, "\(key) missing")
            let reference = try #require(expected[referenceKey] as? Double, "\(referenceKey) not in the fixture")
            #expect(abs(value - reference) <= 1e-6, "\(referenceKey): \(value) vs scikit-learn \(reference)")
        }
    }
}
