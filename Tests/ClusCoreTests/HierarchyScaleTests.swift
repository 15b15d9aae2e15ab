import Testing
@testable import ClusCore

/// HDBSCAN and agglomerative clustering past one 512-row Gram tile, where the
/// distance matrix is built from several tiles and their mirror images
/// (blobs48_1500; its scikit-learn labels are checked with the other
/// fixtures' in MethodTests.swift).
@Suite("hierarchical methods past one Gram tile")
struct HierarchyScaleTests {
    static func fixture() throws -> MethodFixture { try MethodFixture("blobs48_1500") }

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
