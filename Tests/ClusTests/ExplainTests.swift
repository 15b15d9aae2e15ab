import Foundation
import Testing
@testable import ClusLang
@testable import ClusShell

/// Every number `explain` shows that scikit-learn also computes is
/// scikit-learn's (Scripts/make_explain_fixture.py), and `explain` takes every
/// name a result prints.
@Suite struct ExplainTests {
    /// Scripts/make_explain_fixture.py's values.
    static var reference: [String: Any] {
        let url = ClusProcess.root.appendingPathComponent("Tests/Golden/data/explain_reference.json")
        guard let data = try? Data(contentsOf: url), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }

    /// `explain TOPIC` as json.
    static func json(_ topic: String) throws -> [String: Any] {
        let out = try ClusProcess.run(["--format", "json", "-c", "explain \(topic)"])
        #expect(out.status == 0, "\(out.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
    }

    static func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-6) -> Bool {
        guard let a, let b else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    static let cases: [(topic: String, key: String)] = [
        ("silhouette", "silhouette"), ("ari", "adjusted_rand_index"), ("rand", "rand_index"), ("fmi", "fowlkes_mallows"),
        ("nmi", "normalized_mutual_info"), ("ami", "adjusted_mutual_info"), ("homogeneity", "homogeneity"),
        ("completeness", "completeness"), ("v_measure", "v_measure"), ("ch", "calinski_harabasz"), ("db", "davies_bouldin"),
        ("inertia", "inertia"), ("kmeans", "inertia"),
    ]

    @Test(arguments: ExplainTests.cases)
    func workedExampleMatchesScikitLearn(_ topic: String, _ key: String) throws {
        let result = try ExplainTests.json(topic)
        let value = try #require(result[key] as? Double)
        let expected = try #require(ExplainTests.reference[key] as? Double)
        #expect(ExplainTests.close(value, expected), "\(topic): \(value) vs scikit-learn \(expected)")
        if topic == "silhouette" {
            #expect(ExplainTests.close(result["s"] as? Double, ExplainTests.reference["s_A"] as? Double))
        }
    }

    // MARK: names

    /// The names the issue found refused, though `metrics` prints them.
    static let printedNames: [(name: String, topic: String)] = [
        ("ARI", "ari"), ("davies-bouldin", "db"), ("calinski_harabasz", "ch"), ("Silhouette", "silhouette"),
        ("v-measure", "v_measure"), ("fowlkes_mallows", "fmi"), ("adjusted_rand_index", "ari"), ("\"Rand index\"", "rand"),
        ("Calinski-Harabasz", "ch"), ("NMI", "nmi"), ("ami", "ami"), ("FMI", "fmi"), ("CH", "ch"), ("Db", "db"),
        ("Homogeneity", "homogeneity"), ("Purity", "purity"), ("normalized_mutual_info", "nmi"),
        ("Mini-Batch", "minibatch"), ("ward", "agglomerative"), ("Single", "agglomerative"), ("K-Means", "kmeans"),
        ("HDBSCAN", "hdbscan"), ("outliers", "noise"), ("silhouette_ci_low", "sample"), ("Inertia", "inertia"),
    ]

    @Test func everyPrintedNameExplainsItsTopic() throws {
        let script = ExplainTests.printedNames.map { "explain \($0.name)" }.joined(separator: "\n")
        let out = try ClusProcess.run(["--format", "json"], stdin: script)
        #expect(out.status == 0, "\(out.stderr)")
        let topics = out.stdout.split(separator: "\n").map { line in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["topic"] as? String
        }
        #expect(topics == ExplainTests.printedNames.map(\.topic))
    }

    /// Every name of every index (json key, table label, abbreviations) and of
    /// every topic, in any case, means its topic.
    @Test func everyNameOfEveryTopicResolves() {
        for topic in ExplainTopic.allCases {
            for name in topic.names {
                for spelling in [name, name.uppercased(), name.lowercased()] {
                    #expect(ExplainTopic.named(spelling) == topic, "\(spelling) should mean \(topic.rawValue)")
                }
            }
        }
        for index in ClusteringIndex.allCases {
            let topic = ExplainTopic.allCases.first { $0.index == index }
            #expect(topic != nil, "no topic explains \(index.label)")
            for name in index.names { #expect(ExplainTopic.named(name) == topic, "\(name)") }
        }
    }

    @Test func unknownTopicSuggestsOne() throws {
        for (typed, suggestion) in [("silhuette", "'silhouette'"), ("davies-bouldn", "'davies_bouldin'"), ("hdbscn", "'hdbscan'"),
                                    ("Inerta", "'inertia'"), ("elbo", "'elbow'")] {
            let out = try ClusProcess.run(["-c", "explain \(typed)"])
            #expect(out.status == 1)
            #expect(out.stderr.contains("unknown topic '\(typed)'"), "\(out.stderr)")
            #expect(out.stderr.contains("did you mean \(suggestion)"), "\(typed): \(out.stderr)")
        }
        let out = try ClusProcess.run(["-c", "explain zzzz"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("topics: silhouette, ari"), "\(out.stderr)")
    }

    @Test func tabCompletionOffersTopics() {
        let c = Completion()
        #expect(c.candidates(before: "explain ", word: "dav") == ["davies_bouldin"])
        #expect(c.candidates(before: "explain ", word: "wa") == ["ward"])
        let all = c.candidates(before: "explain ", word: "")
        for topic in ["silhouette", "ari", "elbow", "inertia", "noise", "sample", "agglomerative", "minibatch", "adjusted_rand_index"] {
            #expect(all.contains(topic), "\(topic)")
        }
    }

    /// `--format csv` of every topic is strict CSV, as every command's is.
    @Test func everyTopicPrintsStrictCSV() throws {
        let script = ExplainTopic.allCases.map { "explain \($0.rawValue)" }.joined(separator: "\n")
        let out = try ClusProcess.run(["--format", "csv"], stdin: script)
        #expect(out.status == 0, "\(out.stderr)")
        let blocks = StrictCSV.blocks(try StrictCSV.parse(out.stdout))
        #expect(blocks.count == ExplainTopic.allCases.count)
        for block in blocks { #expect(CSVOutputTests.problems(block).isEmpty, "\(block)") }
    }

    // MARK: the methods' examples

    @Test func elbowIsTheKneeOfScikitLearnsInertia() throws {
        let result = try ExplainTests.json("elbow")
        let ks = try #require(result["k"] as? [Int]), inertia = try #require(result["inertia"] as? [Double])
        let expected = try #require(ExplainTests.reference["inertia_by_k"] as? [String: Double])
        #expect(ks == Array(2 ... 7))
        for (k, value) in zip(ks, inertia) {
            #expect(ExplainTests.close(value, expected[String(k)]), "k=\(k): \(value) vs scikit-learn \(expected[String(k)] ?? .nan)")
        }
        #expect(result["elbow"] as? Int == 3)
    }

    @Test func inertiaIsTheSumOfItsClusters() throws {
        let result = try ExplainTests.json("inertia")
        let sums = try #require(result["cluster_sums"] as? [Double])
        #expect(sums.count == 3)
        #expect(ExplainTests.close(sums.reduce(0, +), result["inertia"] as? Double))
    }

    @Test func miniBatchRunsAndIsNoBetterThanKMeans() throws {
        let result = try ExplainTests.json("minibatch")
        let inertia = try #require(result["inertia"] as? Double), kMeans = try #require(result["kmeans_inertia"] as? Double)
        #expect((result["steps"] as? Int ?? 0) > 0)
        #expect(inertia >= kMeans - 1e-9)
        #expect(ExplainTests.close(kMeans, ExplainTests.reference["inertia"] as? Double))
    }

    /// Each linkage's merges and their distances are scikit-learn's (ties may come in either order), and so are the cuts.
    @Test func linkagesMergeAsScikitLearn() throws {
        let result = try ExplainTests.json("ward")
        #expect(result["topic"] as? String == "agglomerative")
        let merges = try #require(result["merges"] as? [String: [[String: Any]]])
        let expected = try #require(ExplainTests.reference["merges"] as? [String: [[String: Any]]])
        // each merge's distance by the clusters it joins: tied merges may come in either order
        func distances(_ steps: [[String: Any]]) -> [String: Double] {
            Dictionary(steps.map { ((($0["merged"] as? [String]) ?? []).sorted().joined(separator: "+"), $0["distance"] as? Double ?? .nan) },
                       uniquingKeysWith: { a, _ in a })
        }
        for linkage in ["ward", "average", "complete", "single"] {
            let ours = distances(try #require(merges[linkage])), theirs = distances(try #require(expected[linkage]))
            #expect(ours.count == 8 && Set(ours.keys) == Set(theirs.keys), "\(linkage): \(ours.keys.sorted()) vs \(theirs.keys.sorted())")
            for (merged, distance) in theirs { #expect(ExplainTests.close(ours[merged], distance), "\(linkage) \(merged)") }
        }
        let labels = try #require(result["labels"] as? [String: [String: [Int]]])
        let expectedLabels = try #require(ExplainTests.reference["agglomerative_labels"] as? [String: [String: [Int]]])
        for k in ["2", "3"] {
            for linkage in ["ward", "average", "complete", "single"] {
                let ours = try #require(labels[k]?[linkage]), theirs = try #require(expectedLabels[linkage]?[k])
                #expect(ExplainTests.samePartition(ours, theirs), "\(linkage) k=\(k): \(ours) vs \(theirs)")
            }
        }
    }

    static func samePartition(_ a: [Int], _ b: [Int]) -> Bool {
        a.count == b.count && a.indices.allSatisfy { i in a.indices.allSatisfy { j in (a[i] == a[j]) == (b[i] == b[j]) } }
    }

    @Test func hdbscanCoreDistancesAndLabelsAreScikitLearns() throws {
        let result = try ExplainTests.json("hdbscan")
        let runs = try #require(result["runs"] as? [[String: Any]])
        let expected = try #require(ExplainTests.reference["hdbscan"] as? [String: [String: Any]])
        #expect(runs.count == 2)
        for run in runs {
            let minSamples = try #require(run["min_samples"] as? Int)
            let theirs = try #require(expected[String(minSamples)])
            #expect(run["labels"] as? [Int] == theirs["labels"] as? [Int], "min_samples=\(minSamples)")
            let core = try #require(run["core_distances"] as? [Double]), theirCore = try #require(theirs["core_distances"] as? [Double])
            #expect(core.count == theirCore.count && zip(core, theirCore).allSatisfy { ExplainTests.close($0, $1) }, "min_samples=\(minSamples)")
            #expect(run["noise"] as? Int == 1)
        }
    }

    @Test func noiseIsLeftOutAsScikitLearnScoresIt() throws {
        let result = try ExplainTests.json("noise")
        #expect(result["noise"] as? Int == 1)
        #expect(ExplainTests.close(result["silhouette"] as? Double, ExplainTests.reference["silhouette_without_noise"] as? Double))
        #expect(ExplainTests.close(result["silhouette_noise_as_cluster"] as? Double,
                                   ExplainTests.reference["silhouette_noise_as_cluster"] as? Double))
    }

    /// The sampled documents' silhouettes (scikit-learn's, against all forty)
    /// give the estimate and interval `explain sample` shows, by Cochran's
    /// stratified formulas written out here again.
    @Test func sampleIntervalIsTheStratifiedEstimate() throws {
        let result = try ExplainTests.json("sample")
        let sampled = try #require(result["sampled"] as? [Int])
        let exact = try #require(ExplainTests.reference["grid_silhouette_samples"] as? [Double])
        #expect(ExplainTests.close(result["exact_silhouette"] as? Double, ExplainTests.reference["grid_silhouette"] as? Double))
        let labels = GridPoints().labels
        #expect(labels.count == exact.count)
        #expect(result["sample"] as? Int == 20 && sampled.count == 20 && Set(sampled).count == 20)
        var estimate = 0.0, variance = 0.0
        for cluster in Set(labels) {
            let size = Double(labels.filter { $0 == cluster }.count)
            let values = sampled.filter { labels[$0] == cluster }.map { exact[$0] }
            let n = Double(values.count), mean = values.reduce(0, +) / n
            let v = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            #expect(n >= 5)
            estimate += size / 40 * mean
            variance += (size / 40) * (size / 40) * (1 - n / size) * v / n
        }
        let half = 1.959963984540054 * variance.squareRoot()
        #expect(ExplainTests.close(result["silhouette"] as? Double, estimate))
        #expect(ExplainTests.close(result["silhouette_ci_low"] as? Double, estimate - half))
        #expect(ExplainTests.close(result["silhouette_ci_high"] as? Double, estimate + half))
    }
}
