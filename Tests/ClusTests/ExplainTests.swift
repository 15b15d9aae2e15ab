import Foundation
import Testing

/// Every number `explain` shows is scikit-learn's (Scripts/make_explain_fixture.py).
@Suite struct ExplainTests {
    static let cases: [(topic: String, key: String)] = [
        ("silhouette", "silhouette"), ("ari", "adjusted_rand_index"), ("rand", "rand_index"), ("fmi", "fowlkes_mallows"),
        ("nmi", "normalized_mutual_info"), ("ami", "adjusted_mutual_info"), ("homogeneity", "homogeneity"),
        ("completeness", "completeness"), ("v_measure", "v_measure"), ("ch", "calinski_harabasz"), ("db", "davies_bouldin"),
    ]

    @Test(arguments: ExplainTests.cases)
    func workedExampleMatchesScikitLearn(_ topic: String, _ key: String) throws {
        let data = try Data(contentsOf: ClusProcess.root.appendingPathComponent("Tests/Golden/data/explain_reference.json"))
        let reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Double])
        let out = try ClusProcess.run(["--format", "json", "-c", "explain \(topic)"])
        #expect(out.status == 0, "\(out.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let value = try #require(result[key] as? Double)
        let expected = try #require(reference[key])
        #expect(abs(value - expected) <= 1e-6 * max(1, abs(expected)), "\(topic): \(value) vs scikit-learn \(expected)")
        if topic == "silhouette" {
            #expect(abs((result["s"] as? Double ?? .nan) - (reference["s_A"] ?? 0)) < 1e-6)
        }
    }

    @Test func unknownTopicSuggestsOne() throws {
        let out = try ClusProcess.run(["-c", "explain silhuette"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("did you mean 'silhouette'?"))
    }
}
