import Foundation
import Testing

/// The "done when" for pandas files: a default `df.to_csv()` loads
/// with no options and `metrics alias=cluster truth=query` equals
/// scikit-learn on its `cluster` column (Tests/Golden/data/pandas.expected.json,
/// from Scripts/make_pandas_fixtures.py). Three of its 40 documents have no
/// vector (left out of the internal indices) and the plain `cluster` column
/// serves as the clustering.
@Suite struct PandasReferenceTests {
    @Test(arguments: ["pandas_default.csv", "pandas_alias.csv"])
    func clusterColumnMatchesScikitLearn(_ file: String) throws {
        let expectedData = try Data(contentsOf: ClusProcess.root.appendingPathComponent("Tests/Golden/data/pandas.expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let out = try ClusProcess.run(["--format", "json", "-c", "load \"Tests/Golden/data/\(file)\"; metrics alias=cluster truth=query"])
        #expect(out.status == 0, "\(out.stderr)")
        let last = try #require(out.stdout.split(separator: "\n").last)
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(metrics["k"] as? Int == expected["k"] as? Int)
        for key in ReferenceValueTests.keys {
            let value = try #require(metrics[key] as? Double, "\(key) missing")
            let reference = try #require(expected[key] as? Double, "\(key) not in fixture")
            let tolerance = key == "calinski_harabasz" ? 1e-6 * abs(reference) : 1e-6
            #expect(abs(value - reference) <= tolerance, "\(file) \(key): \(value) vs scikit-learn \(reference)")
        }
    }
}
