import ClusCore
import Foundation
import Testing

@Suite("Silhouette")
struct SilhouetteTests {
    @Test("score is the mean of the samples, and matches sklearn on iris")
    func scoreIsMeanOfSamples() throws {
        let f = try Fixtures.load("iris")
        let score = try silhouetteScore(f.embeddings, labels: f.labels)
        let samples = try silhouetteSamples(f.embeddings, labels: f.labels)
        #expect(abs(score - samples.reduce(0, +) / Double(samples.count)) < 1e-15)
        expectClose(score, try #require(f.expected.silhouette?["euclidean"]), 1e-6, "iris silhouette")
    }

    @Test("1, 2 and 3 threads give bit-identical samples", arguments: [DistanceMetric.euclidean, .cosine])
    func threadCountDoesNotChangeResults(metric: DistanceMetric) throws {
        // digits: 1797 rows, 15 tile blocks, so the rounds really interleave.
        let f = try Fixtures.load("digits")
        let one = try silhouetteSamples(f.embeddings, labels: f.labels, metric: metric, parallelism: .serial)
        let two = try silhouetteSamples(f.embeddings, labels: f.labels, metric: metric, parallelism: Parallelism(threads: 2))
        let three = try silhouetteSamples(f.embeddings, labels: f.labels, metric: metric, parallelism: Parallelism(threads: 3))
        #expect(one == two)
        #expect(one == three)
    }

    @Test("progress counts rounds of tiles up to the total, for all documents and for a sample")
    func progressReachesTheTotal() throws {
        let f = try Fixtures.load("digits")  // 1797 rows: 15 blocks, 16 rounds
        nonisolated(unsafe) var calls: [(Int, Int)] = []
        _ = try silhouetteSamples(f.embeddings, labels: f.labels, parallelism: Parallelism(threads: 2)) { calls.append(($0, $1)) }
        #expect(calls.count == 16)
        #expect(calls.map(\.0) == Array(1 ... 16))
        #expect(calls.allSatisfy { $0.1 == 16 })
        calls = []
        _ = try silhouetteSamples(f.embeddings, labels: f.labels, of: Array(0 ..< 100), parallelism: .serial) { calls.append(($0, $1)) }
        #expect(calls.last.map { $0.0 == $0.1 } ?? false)
        #expect(calls.map(\.0) == Array(1 ... 15))
    }

    @Test("labels are compacted: any Int values, in any order, give the same samples")
    func arbitraryLabelValues() throws {
        let f = try Fixtures.load("wine")
        let renamed = f.labels.map { [0: -1, 1: 7, 2: 3][$0] ?? 99 }
        let a = try silhouetteSamples(f.embeddings, labels: f.labels)
        let b = try silhouetteSamples(f.embeddings, labels: renamed)
        #expect(a == b)
    }

    @Test("one cluster is an error naming the numbers")
    func oneCluster() throws {
        let f = try Fixtures.load("iris")
        let error = #expect(throws: MetricError.self) {
            try silhouetteScore(f.embeddings, labels: [Int](repeating: 4, count: 150))
        }
        #expect(error == .clusterCount(clusters: 1, documents: 150, measure: .silhouette))
    }

    @Test("n clusters for n documents is an error")
    func allSingletons() throws {
        let f = try Fixtures.load("iris")
        let error = #expect(throws: MetricError.self) {
            try silhouetteSamples(f.embeddings, labels: Array(0 ..< 150))
        }
        #expect(error == .clusterCount(clusters: 150, documents: 150, measure: .silhouette))
        #expect(throws: MetricError.self) { try calinskiHarabasz(f.embeddings, labels: Array(0 ..< 150)) }
        #expect(throws: MetricError.self) { try daviesBouldin(f.embeddings, labels: [Int](repeating: 0, count: 150)) }
    }

    @Test("labels must match the vectors one to one; empty input is an error")
    func shapeErrors() throws {
        let x = Embeddings(rows: [[0, 0], [1, 1], [5, 5]])
        let mismatch = #expect(throws: MetricError.self) { try silhouetteScore(x, labels: [0, 1]) }
        #expect(mismatch == .lengthMismatch(labels: 2, vectors: 3))
        #expect(throws: MetricError.self) { try calinskiHarabasz(x, labels: [0, 1, 1, 0]) }
        #expect(throws: MetricError.self) { try daviesBouldin(x, labels: []) }
        let empty = Embeddings(count: 0, dimension: 2, values: [])
        let error = #expect(throws: MetricError.self) { try silhouetteSamples(empty, labels: []) }
        #expect(error == .emptyInput(measure: .silhouette))
    }

    @Test("a pre-cancelled flag stops silhouetteSamples with Cancelled")
    func cancellation() throws {
        let f = try Fixtures.load("iris")
        let flag = Cancellation()
        flag.cancel()
        #expect(throws: Cancelled.self) {
            try silhouetteSamples(f.embeddings, labels: f.labels, cancellation: flag)
        }
        flag.reset()
        #expect(try silhouetteSamples(f.embeddings, labels: f.labels, cancellation: flag).count == 150)
    }

    @Test("a zero vector is at cosine distance 1 from everything, as sklearn")
    func cosineZeroRows() throws {
        // Two zero rows in different clusters: each at 1 from the other, 0 from itself.
        let x = Embeddings(rows: [[0, 0], [1, 0], [2, 0.1], [0, 0], [0, 3], [0.2, 4], [1, 1]])
        let labels = [0, 0, 0, 1, 1, 1, 1]
        let got = try silhouetteSamples(x, labels: labels, metric: .cosine)
        let want = referenceSilhouette(x, labels, .cosine)
        for (g, w) in zip(got, want) { #expect(abs(g - w) < 1e-6, "\(got) vs \(want)") }
    }

    /// Enabled with CLUS_LARGE=1 (best in release: `swift test -c release --filter silhouetteLargeFinishes`).
    /// With CLUS_LARGE_DATA=prefix it reads prefix.f32 / prefix.labels / prefix.json
    /// written by Scripts/bench/silhouette_core.py and checks sklearn's value;
    /// CLUS_THREADS=N sets the thread count (default: all cores).
    @Test("20,000 × 512 silhouette finishes", .enabled(if: ProcessInfo.processInfo.environment["CLUS_LARGE"] == "1"))
    func silhouetteLargeFinishes() throws {
        let env = ProcessInfo.processInfo.environment
        let n = 20_000, d = 512
        var x: Embeddings
        var labels: [Int]
        var expected: Double?
        if let prefix = env["CLUS_LARGE_DATA"] {
            let raw = try Data(contentsOf: URL(fileURLWithPath: prefix + ".f32"))
            let values = raw.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            x = Embeddings(count: n, dimension: d, values: values)
            let rawLabels = try Data(contentsOf: URL(fileURLWithPath: prefix + ".labels"))
            labels = rawLabels.withUnsafeBytes { $0.bindMemory(to: Int64.self).map { Int($0) } }
            let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: prefix + ".json")))
            expected = (meta as? [String: Any])?["silhouette"] as? Double
        } else {
            var rng = SeededGenerator(seed: 7)
            let centres = (0 ..< 10).map { _ in (0 ..< d).map { _ in Float(rng.nextUnit() * 20 - 10) } }
            labels = (0 ..< n).map { $0 % 10 }
            x = Embeddings(count: n, dimension: d, values: labels.flatMap { c in centres[c].map { $0 + Float(rng.nextUnit() * 2 - 1) } })
        }
        let clock = ContinuousClock()
        var score = 0.0
        let threads = env["CLUS_THREADS"].flatMap(Int.init).map(Parallelism.init(threads:)) ?? .allCores
        let elapsed = try clock.measure { score = try silhouetteScore(x, labels: labels, parallelism: threads) }
        print("silhouette 20000x512 k=10 euclidean, \(threads.threads) threads: \(score) in \(elapsed)")
        #expect(score > -1 && score <= 1)
        if let expected { expectClose(score, expected, 1e-6, "large silhouette vs sklearn") }
    }
}

/// Silhouette straight from the definition, in Double, O(n²·d): the oracle for small tests.
func referenceSilhouette(_ x: Embeddings, _ labels: [Int], _ metric: DistanceMetric) -> [Double] {
    let n = x.count
    var sizes: [Int: Int] = [:]
    for l in labels { sizes[l, default: 0] += 1 }
    return (0 ..< n).map { i in
        var sums: [Int: Double] = [:]
        for j in 0 ..< n where j != i { sums[labels[j], default: 0] += metric.distance(x[row: i], x[row: j]) }
        let own = labels[i]
        guard let size = sizes[own], size > 1 else { return 0 }
        let a = (sums[own] ?? 0) / Double(size - 1)
        let b = sums.filter { $0.key != own }.map { $0.value / Double(sizes[$0.key] ?? 1) }.min() ?? .infinity
        let m = max(a, b)
        return m > 0 ? (b - a) / m : 0
    }
}
