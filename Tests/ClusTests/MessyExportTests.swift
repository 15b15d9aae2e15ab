import Foundation
import Testing

/// A vector-database export in which 7 of 300 documents have no usable vector
/// (absent, null, short, a string, "NaN" as a string, a bare NaN): clus keeps
/// them, leaves them out of clustering and the internal indices, counts them,
/// and scores the rest as scikit-learn does (fixture from
/// Scripts/make_messy_fixtures.py).
@Suite struct MessyExportTests {
    static let data = "Tests/Golden/data/messy.jsonl"

    static func expected() throws -> [String: Any] {
        let bytes = try Data(contentsOf: ClusProcess.root.appendingPathComponent("Tests/Golden/data/messy.expected.json"))
        return try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    }

    /// Each json result printed by `script`, in order.
    static func results(_ script: String) throws -> [[String: Any]] {
        let out = try ClusProcess.run(["--format", "json", "-c", script])
        #expect(out.status == 0, "\(out.stderr)")
        return try out.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// Every index of a metrics result equals scikit-learn's within 1e-6
    /// (Calinski-Harabasz relatively), on the same documents.
    static func expectScikitLearn(_ metrics: [String: Any], _ reference: [String: Any]) throws {
        #expect(metrics["n"] as? Int == reference["n"] as? Int)
        #expect(metrics["k"] as? Int == reference["k"] as? Int)
        #expect(metrics["missing_truth"] as? Int == reference["missing_truth"] as? Int)
        for key in ReferenceValueTests.keys {
            let value = try #require(metrics[key] as? Double, "\(key) missing")
            let expected = try #require(reference[key] as? Double, "\(key) not in the fixture")
            let tolerance = key == "calinski_harabasz" ? 1e-6 * abs(expected) : 1e-6
            #expect(abs(value - expected) <= tolerance, "\(key): \(value) vs scikit-learn \(expected)")
        }
    }

    @Test func labelsMadeElsewhereScoreAsScikitLearnOnTheDocumentsWithVectors() throws {
        let results = try MessyExportTests.results("load \"\(MessyExportTests.data)\"; metrics alias=fixed truth=query")
        let metrics = try #require(results.last)
        try MessyExportTests.expectScikitLearn(metrics, try #require(try MessyExportTests.expected()["fixed"] as? [String: Any]))
        #expect(metrics["without_vector"] as? Int == 7)
        #expect(metrics["unlabelled"] as? Int == 7)
        let notes = try #require(metrics["notes"] as? [String])
        #expect(notes == ["7 documents without a usable vector (2 absent, 1 null, 1 wrong length, 1 non-numbers, 1 not an array, 1 NaN/infinity) are left out of the internal indices; they have no label for fixed"])
    }

    /// The "done when": load; cluster; distribution; metrics runs end
    /// to end, and the values are scikit-learn's on the documents with vectors.
    @Test func clusterThenMetricsEqualScikitLearnOnTheDocumentsWithVectors() throws {
        let results = try MessyExportTests.results(
            "load \"\(MessyExportTests.data)\"; cluster k=6; distribution truth=query; metrics truth=query")
        try #require(results.map { $0["command"] as? String } == ["load", "cluster", "distribution", "metrics"])
        let cluster = results[1]
        #expect(cluster["without_vector"] as? Int == 7)
        #expect((cluster["notes"] as? [String])?.first?.hasSuffix("were left out and have no label for kmeans_6") == true)
        let distribution = results[2]
        #expect(distribution["unlabelled"] as? Int == 7)
        let metrics = results[3]
        #expect(metrics["alias"] as? String == "kmeans_6")
        #expect(metrics["unlabelled"] as? Int == 7)
        try MessyExportTests.expectScikitLearn(metrics, try #require(try MessyExportTests.expected()["kmeans_6"] as? [String: Any]))
    }

    @Test func theLoadCountsTheDocumentsWithoutAVectorAndSaysWhy() throws {
        let load = try #require(try MessyExportTests.results("load \"\(MessyExportTests.data)\"").first)
        #expect(load["documents"] as? Int == 300)
        #expect(load["without_vector"] as? Int == 7)
        let fields = try #require(load["vector_fields"] as? [[String: Any]])
        #expect(fields.first?["dimension"] as? Int == 16)
        #expect(fields.first?["without_vector"] as? Int == 7)
        #expect(load["notes"] as? [String] == [
            "7 documents have no usable 'vector' (2 absent, 1 null, 1 wrong length, 1 non-numbers, 1 not an array, 1 NaN/infinity): "
                + "line 6 is null, line 18 lacks it, line 89 lacks it, line 124 has 15 numbers (16 expected), line 201 holds a string, …; "
                + "left out of clustering and the internal indices",
        ])
    }

    /// Sweep, silhouette and the scores leave the same documents out.
    @Test func sweepAndSilhouetteLeaveThemOutToo() throws {
        let results = try MessyExportTests.results(
            "load \"\(MessyExportTests.data)\"; sweep k=[6] truth=query; silhouette alias=kmeans_6")
        try #require(results.count == 3)
        let sweep = results[1], silhouette = results[2]
        #expect(sweep["without_vector"] as? Int == 7)
        let row = try #require((sweep["rows"] as? [[String: Any]])?.first)
        let reference = try #require(try MessyExportTests.expected()["kmeans_6"] as? [String: Any])
        for key in ["silhouette", "davies_bouldin", "adjusted_rand_index", "normalized_mutual_info"] {
            let value = try #require(row[key] as? Double), expected = try #require(reference[key] as? Double)
            #expect(abs(value - expected) <= 1e-6, "sweep \(key): \(value) vs scikit-learn \(expected)")
        }
        #expect(silhouette["without_vector"] as? Int == 7)
        #expect(silhouette["n"] as? Int == 293)
        let mean = try #require(silhouette["silhouette"] as? Double)
        #expect(abs(mean - (reference["silhouette"] as? Double ?? .nan)) <= 1e-6)
    }

    /// Export writes every document back, those without a usable vector
    /// exactly as they were in the file.
    @Test func exportWritesTheBrokenValuesBackAsTheyWere() throws {
        let out = ClusProcess.root.appendingPathComponent(".build/messy-roundtrip.jsonl")
        try? FileManager.default.removeItem(at: out)
        _ = try MessyExportTests.results("load \"\(MessyExportTests.data)\"; export \"\(out.path)\"")
        let written = try String(contentsOf: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let original = try String(contentsOf: ClusProcess.root.appendingPathComponent(MessyExportTests.data), encoding: .utf8)
            .split(separator: "\n")
        #expect(written.count == 300)
        for line in [5, 17, 88, 123, 200, 231, 260] {
            #expect(written[line] == original[line])
        }
    }
}
