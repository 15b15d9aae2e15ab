import ClusCore
import Testing

/// Cosine and squared euclidean silhouettes come from cluster sums
/// (O(n·k·d)); these check them against the pairwise definition in Double
/// where a shortcut would most likely go wrong.
@Suite("Silhouette from cluster sums")
struct ClusterSumSilhouetteTests {
    /// Four clusters around a far-off point (components near `offset`,
    /// spreads near 0.01): close points with large norms for squared
    /// euclidean (offset 1000: ‖x − y‖² is 1e-11 of ‖x‖², where a Gram
    /// matrix in Double keeps five digits), nearly parallel vectors for
    /// cosine (offset 10: distances near 1e-6; at 1000 they would be 1e-10,
    /// below what any Double formula resolves). Plus duplicates, a zero row
    /// (cosine's special case) and a singleton cluster.
    static func hardCase(offset: Double = 1000) -> (Embeddings, [Int]) {
        var rng = SeededGenerator(seed: 11)
        let n = 240, d = 24
        var labels = (0 ..< n).map { _ in Int(rng.next() % 4) }
        labels[7] = 9  // a singleton
        var values = [Float](repeating: 0, count: n * d)
        for i in 0 ..< n {
            for j in 0 ..< d {
                let centre = offset + Double(labels[i] % 4) * 0.02 * Double(j % 3)
                values[i * d + j] = Float(centre + rng.nextUnit() * 0.01)
            }
        }
        for j in 0 ..< d { values[20 * d + j] = values[21 * d + j]; values[30 * d + j] = 0 }
        return (Embeddings(count: n, dimension: d, values: values), labels)
    }

    @Test("equal to the pairwise definition, float32 and float64, on 1 and 3 threads",
          arguments: [DistanceMetric.cosine, .sqeuclidean])
    func matchesPairwise(metric: DistanceMetric) throws {
        let (x, labels) = Self.hardCase(offset: metric == .cosine ? 10 : 1000)
        let want = referenceSilhouette(x, labels, metric)
        let wide = Embeddings64(count: x.count, dimension: x.dimension, values: x.values.map(Double.init))
        let one = try silhouetteSamples(x, labels: labels, metric: metric, parallelism: .serial)
        let three = try silhouetteSamples(x, labels: labels, metric: metric, parallelism: Parallelism(threads: 3))
        let float64 = try silhouetteSamples(wide, labels: labels, metric: metric, parallelism: Parallelism(threads: 2))
        #expect(one == three, "thread count changed the result")
        #expect(one[7] == 0, "a singleton's silhouette is 0")
        // Cosine distances near 1e-6 leave the Double reference itself ~1e-9 off.
        let tolerance = metric == .cosine ? 1e-7 : 1e-9
        for i in 0 ..< x.count {
            #expect(abs(one[i] - want[i]) < tolerance, "\(metric) row \(i): \(one[i]) vs \(want[i])")
            #expect(abs(float64[i] - want[i]) < tolerance, "\(metric) float64 row \(i): \(float64[i]) vs \(want[i])")
        }
        // Some of these are far from 0 (the clusters do separate), so the check has teeth.
        #expect(want.contains { abs($0) > 0.2 })
    }

    @Test("points scored from cluster sums equal the full pass", arguments: [DistanceMetric.cosine, .sqeuclidean])
    func pointsMatchFull(metric: DistanceMetric) throws {
        let (x, labels) = Self.hardCase()
        let full = try silhouetteSamples(x, labels: labels, metric: metric)
        let points = [30, 7, 20, 21] + (0 ..< 50).map { $0 * 4 + 1 }
        let some = try silhouetteSamples(x, labels: labels, of: points, metric: metric)
        for (t, p) in points.enumerated() { #expect(some[t] == full[p], "point \(p)") }
    }

    @Test("a cancelled flag stops it")
    func cancels() throws {
        let (x, labels) = Self.hardCase()
        let flag = Cancellation()
        flag.cancel()
        #expect(throws: Cancelled.self) { try silhouetteSamples(x, labels: labels, metric: .cosine, cancellation: flag) }
    }
}
