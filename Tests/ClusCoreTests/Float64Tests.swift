import ClusCore
import Testing

/// The internal indices on float64 input agree with scikit-learn (which
/// computes in float64 on the fixtures' values) and with the float32 path.
@Suite("float64 input")
struct Float64Tests {
    @Test(arguments: ["iris", "wine", "blobs512"])
    func fixtures(name: String) throws {
        let f = try Fixtures.load(name)
        // The fixtures' decimals are float32 values; sklearn scored them widened to float64.
        let x = Embeddings64(rows: f.x.map { $0.map { Double(Float($0)) } })
        let e = f.expected
        let silhouettes = try #require(e.silhouette)
        for metric in DistanceMetric.allCases {
            let want = try #require(silhouettes[metric.rawValue])
            let got = try silhouetteScore(x, labels: f.labels, metric: metric, parallelism: Parallelism(threads: 2))
            expectClose(got, want, 1e-9, "\(name) float64 silhouette \(metric)")
        }
        if let samples = e.silhouetteSamplesEuclidean {
            let got = try silhouetteSamples(x, labels: f.labels, parallelism: .serial)
            let worst = zip(got, samples).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-9, "\(name) float64 silhouette samples: worst difference \(worst)")
        }
        expectRelativelyClose(try calinskiHarabasz(x, labels: f.labels), try #require(e.calinskiHarabasz), 1e-9, "\(name) float64 CH")
        expectClose(try daviesBouldin(x, labels: f.labels), try #require(e.daviesBouldin), 1e-9, "\(name) float64 DB")
        // float32 and float64 input give the same indices on the same values.
        expectClose(try silhouetteScore(f.embeddings, labels: f.labels), try silhouetteScore(x, labels: f.labels), 1e-6, "\(name) float32 vs float64")
    }

    @Test("float64 input checks its labels as float32 does")
    func errors() {
        let x = Embeddings64(rows: [[0, 0], [1, 1], [2, 2]])
        #expect(throws: MetricError.self) { try silhouetteScore(x, labels: [0, 0, 0]) }
        #expect(throws: MetricError.self) { try calinskiHarabasz(x, labels: [0, 1]) }
        #expect(throws: MetricError.self) { try daviesBouldin(x, labels: [0, 1, 2]) }
    }

    @Test("a cancelled float64 silhouette stops")
    func cancellation() {
        let x = Embeddings64(rows: (0 ..< 100).map { [Double($0), 1] })
        let flag = Cancellation()
        flag.cancel()
        #expect(throws: Cancelled.self) { try silhouetteScore(x, labels: (0 ..< 100).map { $0 % 3 }, cancellation: flag) }
    }
}
