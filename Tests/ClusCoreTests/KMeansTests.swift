import Foundation
import Testing
@testable import ClusCore

/// A fixture written by Scripts/make_kmeans_fixtures.py.
struct KMeansFixture {
    let name: String
    let k: Int
    let x: Embeddings
    let sklearnInertia: Double

    init(_ name: String) throws {
        let url = try #require(Bundle.module.url(forResource: "kmeans_\(name)", withExtension: "json",
                                                 subdirectory: "Fixtures"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        let json = try #require(object as? [String: Any])
        let rows = try #require(json["x"] as? [[Double]])
        self.name = name
        k = try #require(json["k"] as? Int)
        sklearnInertia = try #require(json["sklearn_inertia"] as? Double)
        // The decimals hold float32 values exactly; Double -> Float is exact.
        x = Embeddings(rows: rows.map { $0.map { Float($0) } })
    }
}

/// Squared distance in Double.
func distance2(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
    zip(a, b).reduce(0) { sum, pair in
        let e = Double(pair.0) - Double(pair.1)
        return sum + e * e
    }
}

/// Labels in 0..<k, each document at its nearest centroid (up to Float32
/// rounding of the assignment), and the inertia matching labels and centroids.
func expectConsistent(_ x: Embeddings, _ result: KMeansResult, k: Int,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.labels.count == x.count, sourceLocation: sourceLocation)
    #expect(result.centroids.count == k && result.centroids.dimension == x.dimension,
            sourceLocation: sourceLocation)
    var inertia = 0.0
    var misassigned = 0
    for (i, label) in result.labels.enumerated() {
        guard (0 ..< k).contains(label) else {
            Issue.record("label \(label) of document \(i) outside 0..<\(k)", sourceLocation: sourceLocation)
            return
        }
        let distances = (0 ..< k).map { distance2(x[row: i], result.centroids[row: $0]) }
        let nearest = distances.min() ?? 0
        let scale = distance2(x[row: i], ArraySlice(repeating: 0, count: x.dimension))
            + distance2(result.centroids[row: label], ArraySlice(repeating: 0, count: x.dimension))
        if distances[label] > nearest + 1e-5 * scale { misassigned += 1 }
        inertia += distances[label]
    }
    #expect(misassigned == 0, "documents not at their nearest centroid", sourceLocation: sourceLocation)
    #expect(abs(inertia - result.inertia) <= 1e-9 * max(1, inertia), sourceLocation: sourceLocation)
}

/// Rows drawn around `centres` with a seeded generator.
func blobs(centres: [[Float]], perCentre: Int, spread: Float, seed: UInt64) -> Embeddings {
    var generator = SeededGenerator(seed: seed)
    var rows: [[Float]] = []
    for i in 0 ..< centres.count * perCentre {
        let centre = centres[i % centres.count]
        rows.append(centre.map { $0 + spread * Float(generator.nextUnit() * 2 - 1) })
    }
    return Embeddings(rows: rows)
}

@Suite("k-means")
struct KMeansTests {
    @Test("inertia no worse than scikit-learn's (n_init=10)", arguments: ["iris", "wine", "blobs512"])
    func matchesScikitLearn(name: String) throws {
        let fixture = try KMeansFixture(name)
        let result = try kMeans(fixture.x, options: KMeansOptions(clusterCount: fixture.k, runs: 10, seed: 0))
        print("kmeans \(name): inertia \(result.inertia) vs scikit-learn \(fixture.sklearnInertia), \(result.iterations) iterations")
        #expect(result.inertia <= fixture.sklearnInertia * 1.001)
        expectConsistent(fixture.x, result, k: fixture.k)
    }

    @Test("the same seed gives bit-identical results on 1, 2 and 8 threads")
    func deterministicAcrossThreads() throws {
        // Three chunks, the last ending in a 1-row tile; d = 21 exercises the partial SIMD loads.
        let centres = (0 ..< 7).map { c in (0 ..< 21).map { Float(($0 * 7 + c * 13) % 11) } }
        let x = blobs(centres: centres, perCentre: 300, spread: 6, seed: 3)
        let options = KMeansOptions(clusterCount: 7, runs: 2, seed: 42)
        let one = try kMeans(x, options: options, parallelism: Parallelism(threads: 1))
        for threads in [2, 8] {
            let many = try kMeans(x, options: options, parallelism: Parallelism(threads: threads))
            #expect(many.labels == one.labels)
            #expect(many.inertia == one.inertia)
            #expect(many.centroids == one.centroids)
            #expect(many.iterations == one.iterations)
        }
        expectConsistent(x, one, k: 7)
        #expect(ChunkPlan(count: x.count, clusterCount: 7, dimension: 21).chunks == 3)
    }

    @Test("k-means++ finds every well-separated blob")
    func seedsEveryBlob() throws {
        let centres: [[Float]] = (0 ..< 6).map { c in [Float(c) * 100, Float(c % 2) * 100, 0] }
        let x = blobs(centres: centres, perCentre: 50, spread: 1, seed: 9)
        for seed: UInt64 in 0 ..< 5 {
            let result = try kMeans(x, options: KMeansOptions(clusterCount: 6, seed: seed))
            // Document i belongs to blob i % 6: one label per blob, all distinct.
            let perBlob = (0 ..< 6).map { b in Set(stride(from: b, to: x.count, by: 6).map { result.labels[$0] }) }
            #expect(perBlob.allSatisfy { $0.count == 1 })
            #expect(Set(perBlob.compactMap(\.first)).count == 6)
        }
    }

    @Test("k = 1: one centroid at the mean")
    func singleCluster() throws {
        let fixture = try KMeansFixture("iris")
        let result = try kMeans(fixture.x, options: KMeansOptions(clusterCount: 1))
        #expect(result.labels.allSatisfy { $0 == 0 })
        for t in 0 ..< fixture.x.dimension {
            let mean = (0 ..< fixture.x.count).reduce(0.0) { $0 + Double(fixture.x.values[$1 * 4 + t]) }
                / Double(fixture.x.count)
            #expect(abs(Double(result.centroids.values[t]) - mean) < 1e-5)
        }
        expectConsistent(fixture.x, result, k: 1)
        #expect(result.iterations <= 2)
    }

    @Test("k = n: every document its own cluster, inertia 0")
    func clusterPerDocument() throws {
        let x = Embeddings(rows: (0 ..< 15).map { i in [Float(i * i), Float(i % 4), -1] })
        let result = try kMeans(x, options: KMeansOptions(clusterCount: 15))
        #expect(Set(result.labels).count == 15)
        #expect(result.inertia == 0)
        expectConsistent(x, result, k: 15)
    }

    @Test("invalid input is refused with the offending numbers")
    func invalidInput() {
        let x = Embeddings(rows: (0 ..< 15).map { [Float($0), 1] })
        let cases: [(KMeansOptions, KMeansError)] = [
            (KMeansOptions(clusterCount: 20), .clusterCountExceedsDocuments(20, documents: 15)),
            (KMeansOptions(clusterCount: 0), .clusterCountTooSmall(0)),
            (KMeansOptions(clusterCount: 2, runs: 0), .invalidRuns(0)),
            (KMeansOptions(clusterCount: 2, maxIterations: 0), .invalidMaxIterations(0)),
            (KMeansOptions(clusterCount: 2, tolerance: -1), .invalidTolerance(-1)),
        ]
        for (options, error) in cases {
            #expect(throws: error) { try kMeans(x, options: options) }
        }
        var bad = x
        bad.values[7 * 2 + 1] = .nan
        #expect(throws: KMeansError.nonFinite(document: 7)) {
            try kMeans(bad, options: KMeansOptions(clusterCount: 2))
        }
    }

    @Test("an empty cluster takes the document farthest from its centre")
    func emptyClusterRelocation() throws {
        let x = Embeddings(rows: [[0], [1], [2], [10], [11], [12]])
        try x.values.withUnsafeBufferPointer { buffer in
            let rows = RowMatrix(base: try #require(buffer.baseAddress), count: 6, dimension: 1)
            let lloyd = Lloyd(rows: rows, clusterCount: 3, plan: ChunkPlan(count: 6, clusterCount: 3, dimension: 1),
                              parallelism: .serial, cancellation: nil, maxIterations: 300, tolerance: 0)
            // Two centres on document 0: ties go to the lower index, so cluster 1
            // starts empty and must take document 2 (distance 4, before 12's tie).
            let result = try lloyd.run(seeds: [0, 0, 3]) { _ in }
            #expect(result.labels == [0, 0, 1, 2, 2, 2])
            #expect(result.inertia == 2.5)
            #expect(result.centroids.values == [0.5, 2, 11])
        }
    }

    @Test("more clusters than distinct documents leaves clusters empty, without failing")
    func duplicates() throws {
        let x = Embeddings(rows: [[1, 1], [1, 1], [5, 5], [5, 5], [1, 1]])
        let result = try kMeans(x, options: KMeansOptions(clusterCount: 3, runs: 2))
        #expect(result.inertia == 0)
        #expect(Set(result.labels).count == 2)
        expectConsistent(x, result, k: 3)
    }

    @Test("more runs never do worse than the first run alone")
    func runsKeepTheBest() throws {
        let fixture = try KMeansFixture("wine")
        let once = try kMeans(fixture.x, options: KMeansOptions(clusterCount: 8, runs: 1, seed: 5))
        let often = try kMeans(fixture.x, options: KMeansOptions(clusterCount: 8, runs: 6, seed: 5))
        #expect(often.inertia <= once.inertia)
        let again = try kMeans(fixture.x, options: KMeansOptions(clusterCount: 8, runs: 6, seed: 5))
        #expect(again.labels == often.labels && again.inertia == often.inertia)
    }

    @Test("progress reports each iteration and ends at runs × maxIterations")
    func progress() throws {
        let fixture = try KMeansFixture("iris")
        var reports: [(Int, Int)] = []
        let result = try kMeans(fixture.x, options: KMeansOptions(clusterCount: 3, runs: 2, maxIterations: 50)) {
            reports.append(($0, $1))
        }
        #expect(reports.allSatisfy { $0.1 == 100 })
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.0 < $1.0 })
        #expect(reports.last?.0 == 100)
        #expect(reports.count >= 2 * 2)
        #expect(result.iterations < 50)
    }

    @Test("a set cancellation flag stops the work with Cancelled")
    func cancellation() throws {
        let fixture = try KMeansFixture("blobs512")
        let flag = Cancellation()
        flag.cancel()
        #expect(throws: Cancelled.self) {
            try kMeans(fixture.x, options: KMeansOptions(clusterCount: 6), cancellation: flag)
        }
        // Cancelled between iterations, from the progress callback.
        let later = Cancellation()
        var calls = 0
        #expect(throws: Cancelled.self) {
            try kMeans(fixture.x, options: KMeansOptions(clusterCount: 6, tolerance: 0), cancellation: later) { _, _ in
                calls += 1
                later.cancel()
            }
        }
        #expect(calls == 1)
    }
}

/// Release timings against Scripts/bench/kmeans_core.py's data; see that script.
@Suite("k-means benchmark", .enabled(if: ProcessInfo.processInfo.environment["CLUS_LARGE"] == "1"))
struct KMeansBenchmark {
    @Test("k-means++ and Lloyd at n=100,000, d=512, k=10")
    func timings() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../bench-data/kmeans_100k_512.f32").standardized
        let data = try Data(contentsOf: path)
        let d = 512, k = 10, n = data.count / (4 * d)
        let x = Embeddings(count: n, dimension: d, values: data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        let clock = ContinuousClock()

        func best<T>(_ repeats: Int, _ body: () throws -> T) rethrows -> (Duration, T) {
            var fastest = Duration.seconds(1_000_000)
            var value: T?
            for _ in 0 ..< repeats {
                var result: T?
                let elapsed = try clock.measure { result = try body() }
                if elapsed < fastest { fastest = elapsed; value = result }
            }
            return (fastest, value!)
        }

        try x.values.withUnsafeBufferPointer { buffer in
            let rows = RowMatrix(base: try #require(buffer.baseAddress), count: n, dimension: d)
            let plan = ChunkPlan(count: n, clusterCount: k, dimension: d)
            let (initTime, seeds) = best(3) {
                var generator = SeededGenerator(seed: 0)
                return try! kMeansPlusPlus(rows, clusterCount: k, generator: &generator, plan: plan,
                                           parallelism: .allCores, cancellation: nil)
            }
            func lloyd(_ iterations: Int) -> Lloyd {
                Lloyd(rows: rows, clusterCount: k, plan: plan, parallelism: .allCores, cancellation: nil,
                      maxIterations: iterations, tolerance: 0)
            }
            let (one, r1) = best(3) { try! lloyd(1).run(seeds: seeds) { _ in } }
            let (many, r21) = best(3) { try! lloyd(21).run(seeds: seeds) { _ in } }
            let perIteration = (many - one) / (r21.iterations - r1.iterations)
            if ProcessInfo.processInfo.environment["CLUS_LARGE_DETAIL"] == "1" {
                var centres = [Double](repeating: 0, count: k * d)
                for (j, s) in seeds.enumerated() { for t in 0 ..< d { centres[j * d + t] = Double(x.values[s * d + t]) } }
                let panel = CentrePanel(centres: centres, clusterCount: k, dimension: d)
                var labels = [Int](repeating: 0, count: n)
                var sums = [Double](repeating: 0, count: plan.chunks * k * d)
                var counts = [Int](repeating: 0, count: plan.chunks * k)
                for threads in [1, 2] {
                    let par = Parallelism(threads: threads)
                    let (bare, _) = best(3) {
                        labels.withUnsafeMutableBufferPointer { l in
                            par.forEach(chunks: plan.chunks) { c in
                                _ = assignChunk(rows, panel, rows: plan.range(c), labels: l.baseAddress!, sums: nil, counts: nil)
                            }
                        }
                    }
                    let (summed, _) = best(3) {
                        labels.withUnsafeMutableBufferPointer { l in
                        sums.withUnsafeMutableBufferPointer { s in
                        counts.withUnsafeMutableBufferPointer { cs in
                            par.forEach(chunks: plan.chunks) { c in
                                _ = assignChunk(rows, panel, rows: plan.range(c), labels: l.baseAddress!,
                                                sums: s.baseAddress! + c * k * d, counts: cs.baseAddress! + c * k)
                            }
                        }
                        }
                        }
                    }
                    print("clus assign, \(threads) thread(s): \(bare) bare, \(summed) with sums")
                }
            }
            print("clus k-means++ init: \(initTime)")
            print("clus Lloyd: \(perIteration) per iteration (1 iteration \(one), \(r21.iterations) iterations \(many))")
        }
    }
}
