import Foundation
import Testing

/// `describe text=text --format json` on Tests/Golden/data/topics.jsonl gives
/// what Scripts/make_describe_fixture.py computed with NumPy and
/// scikit-learn: the documents nearest each centroid, the lowest silhouettes
/// and the c-TF-IDF terms (topics.describe.json).
@Suite struct DescribeReferenceTests {
    static func run(_ command: String) throws -> [String: Any] {
        let out = try ClusProcess.run(["--format", "json", "-c", "load \"Tests/Golden/data/topics.jsonl\"; \(command)"])
        #expect(out.status == 0, "\(out.stderr)")
        let last = try #require(out.stdout.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    @Test func describeMatchesNumPy() throws {
        let fixture = try Data(contentsOf: ClusProcess.root.appendingPathComponent("Tests/Golden/data/topics.describe.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: fixture) as? [String: Any])
        let expectedClusters = try #require(expected["clusters"] as? [[String: Any]])
        let result = try DescribeReferenceTests.run("describe text=text terms=5")
        #expect(result["silhouette"] as? String == "exact")
        let clusters = try #require(result["clusters"] as? [[String: Any]])
        #expect(clusters.count == expectedClusters.count)
        for (cluster, reference) in zip(clusters, expectedClusters) {
            let name = try #require(reference["cluster"] as? String)
            #expect(cluster["cluster"] as? String == name)
            #expect(cluster["size"] as? Int == reference["size"] as? Int)
            let typical = try #require(cluster["typical"] as? [[String: Any]])
            #expect(typical.map { $0["_id"] as? String } == (reference["typical"] as? [String] ?? []), "\(name) typical")
            for (document, distance) in zip(typical, reference["distances"] as? [Double] ?? []) {
                let value = try #require(document["distance"] as? Double)
                #expect(abs(value - distance) <= 1e-9, "\(name) distance \(value) vs NumPy \(distance)")
                #expect(document["text"] is String)
            }
            let doubtful = try #require(cluster["doubtful"] as? [[String: Any]])
            #expect(doubtful.map { $0["_id"] as? String } == (reference["doubtful"] as? [String] ?? []), "\(name) doubtful")
            for (document, silhouette) in zip(doubtful, reference["silhouettes"] as? [Double] ?? []) {
                let value = try #require(document["silhouette"] as? Double)
                #expect(abs(value - silhouette) <= 1e-6, "\(name) silhouette \(value) vs scikit-learn \(silhouette)")
            }
            let terms = try #require(cluster["terms"] as? [[String: Any]])
            let referenceTerms = try #require(reference["terms"] as? [[Any]])
            #expect(terms.count == referenceTerms.count)
            for (term, pair) in zip(terms, referenceTerms) {
                #expect(term["term"] as? String == pair[0] as? String, "\(name) terms")
                let score = try #require(term["score"] as? Double), referenceScore = try #require(pair[1] as? Double)
                #expect(abs(score - referenceScore) <= 1e-12, "\(name) \(term["term"] ?? "") \(score) vs NumPy \(referenceScore)")
            }
        }
    }

    /// `cluster=` picks one cluster; `n=` bounds both lists; fields= adds fields.
    @Test func oneClusterWithFields() throws {
        let result = try DescribeReferenceTests.run("describe cluster=cluster_1 n=2 fields=[topic, views]")
        let clusters = try #require(result["clusters"] as? [[String: Any]])
        #expect(clusters.count == 1)
        #expect(clusters.first?["cluster"] as? String == "cluster_1")
        let typical = try #require(clusters.first?["typical"] as? [[String: Any]])
        #expect(typical.count == 2)
        #expect(typical.first?["topic"] is String && typical.first?["views"] is Int)
        #expect(clusters.first?["terms"] is NSNull)
    }
}
