import Testing
@testable import ClusCore

/// HDBSCAN and agglomerative clustering past one 512-row Gram tile, where the
/// distance matrix is built from several tiles and their mirror images:
/// scikit-learn's labels (Scripts/make_method_fixtures.py, blobs48_1500:
/// 1,350 documents in 8 blobs of different spreads and 150 of uniform noise).
@Suite("hierarchical methods past one Gram tile")
struct HierarchyScaleTests {
    static func fixture() throws -> MethodFixture { try MethodFixture("blobs48_1500") }

    @Test("agglomerative: the same partition as scikit-learn for every linkage and metric")
    func agglomerativeMatches() throws {
        let f = try Self.fixture()
        let references = try f.labels("agglomerative")
        #expect(references.count == 7)
        for (key, expected) in references.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "_").map(String.init)
            let linkage = try #require(Linkage(rawValue: parts[0]))
            let metric = try #require(AgglomerativeMetric(rawValue: parts[1]))
            let labels = try agglomerative(f.x, clusterCount: f.k, linkage: linkage, metric: metric)
            #expect(samePartition(labels, expected), "\(key)")
        }
    }

    @Test("HDBSCAN: the same labels and noise as scikit-learn")
    func hdbscanMatches() throws {
        let f = try Self.fixture()
        let references = try f.labels("hdbscan")
        #expect(references.count == 3)
        for (key, expected) in references.sorted(by: { $0.key < $1.key }) {
            let numbers = key.dropFirst(3).split(separator: "_ms").compactMap { Int($0) }
            let labels = try hdbscan(f.x, options: HDBSCANOptions(minClusterSize: numbers[0], minSamples: numbers[1]))
            #expect(samePartition(labels, expected), "\(key)")
            #expect(labels.filter { $0 < 0 }.count == expected.filter { $0 < 0 }.count, "\(key) noise")
        }
    }

    /// On the first 700 documents (two tiles): the O(n) path is slow in debug builds.
    @Test("HDBSCAN: the matrix path gives the O(n) path's labels, on 1 and 3 threads")
    func matrixMatchesStreaming() throws {
        let f = try Self.fixture()
        let x = Embeddings(rows: (0 ..< 700).map { Array(f.x[row: $0 * 2 % f.x.count]) })
        for metric in AgglomerativeMetric.allCases {
            let dense = HDBSCANOptions(minClusterSize: 5, minSamples: 4, metric: metric)
            var streaming = dense
            streaming.matrixMemoryLimit = 0
            let reference = try hdbscan(x, options: streaming)
            #expect(Set(reference).count > 3, "\(metric): a few clusters")
            #expect(try hdbscan(x, options: dense, parallelism: .serial) == reference, "\(metric)")
            #expect(try hdbscan(x, options: dense, parallelism: Parallelism(threads: 3)) == reference, "\(metric)")
        }
    }

    @Test("ward: the same labels on 1 and 3 threads")
    func wardDeterministic() throws {
        let f = try Self.fixture()
        #expect(try agglomerative(f.x, clusterCount: f.k, linkage: .ward, parallelism: .serial)
                == agglomerative(f.x, clusterCount: f.k, linkage: .ward, parallelism: Parallelism(threads: 3)))
    }
}
