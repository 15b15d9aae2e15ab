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

    /// The two cases where rounding noise around a = b = 0 gave values
    /// outside [−1, 1]; every cosine distance there is 0, so scikit-learn
    /// (and the definition) give 0 for every document.
    @Test("parallel vectors: every cosine silhouette is 0")
    func parallelVectors() throws {
        let plane = Embeddings(count: 5, dimension: 2, values: [1, 2, 2, 4, 3, 6, 0.5, 1, 1.5, 3])
        #expect(try silhouetteSamples(plane, labels: [0, 0, 1, 1, 1], metric: .cosine) == [0, 0, 0, 0, 0])
        let line = Embeddings(count: 5, dimension: 1, values: [2.596, 3.051, 3.084, 2.858, 2.734])
        #expect(try silhouetteSamples(line, labels: [2, 1, 0, 3, 3], metric: .cosine) == [0, 0, 0, 0, 0])
        #expect(try silhouetteScore(line, labels: [2, 1, 0, 3, 3], metric: .cosine) == 0)
    }

    /// 1,000 random small sets of integer vectors in 1–4 dimensions, built
    /// from few directions and points so that exactly parallel, opposite and
    /// duplicated vectors (and zero rows) are common: every silhouette lies
    /// in [−1, 1] and equals the definition, evaluated where integer inputs
    /// make it exact (a perfect square's root is exact, so parallel vectors
    /// are at cosine distance 0 and opposite ones at 2).
    @Test("property: exactly parallel, opposite and duplicated vectors", arguments: [DistanceMetric.cosine, .sqeuclidean])
    func degenerateVectorsProperty(metric: DistanceMetric) throws {
        var rng = SeededGenerator(seed: 2026)
        var nonzero = 0
        for trial in 0 ..< 1000 {
            let d = 1 + Int(rng.next() % 4), n = 3 + Int(rng.next() % 10), k = 2 + Int(rng.next() % UInt64(min(3, n - 2)))
            let bases = (0 ..< 1 + Int(rng.next() % 3)).map { _ in (0 ..< d).map { _ in Int(rng.next() % 7) - 3 } }
            var values: [Float] = []
            for _ in 0 ..< n {
                let base = bases[Int(rng.next() % UInt64(bases.count))]
                let factor = [1, 1, 2, 3, -1, -2][Int(rng.next() % 6)]  // duplicates, parallel and opposite vectors
                values += base.map { Float($0 * factor) }
            }
            var labels = (0 ..< n).map { _ in Int(rng.next() % UInt64(k)) }
            labels[0] = 0; labels[1] = 1  // at least two clusters
            let x = Embeddings(count: n, dimension: d, values: values)
            let got = try silhouetteSamples(x, labels: labels, metric: metric, parallelism: .serial)
            let want = exactSilhouette(x, labels, metric)
            for i in 0 ..< n {
                #expect(got[i] >= -1 && got[i] <= 1, "trial \(trial) \(metric) row \(i): \(got[i]) outside [-1, 1]")
                #expect(abs(got[i] - want[i]) <= 1e-6, "trial \(trial) \(metric) row \(i): \(got[i]) vs \(want[i]); x \(values) labels \(labels)")
            }
            nonzero += want.count { $0 != 0 }
        }
        #expect(nonzero > 1000, "the cases are not all trivial")
    }

    @Test("a cancelled flag stops it")
    func cancels() throws {
        let (x, labels) = Self.hardCase()
        let flag = Cancellation()
        flag.cancel()
        #expect(throws: Cancelled.self) { try silhouetteSamples(x, labels: labels, metric: .cosine, cancellation: flag) }
    }
}

/// The silhouette by its definition, for integer-valued vectors, with
/// distances that are exact where they are 0 or 2 (cosine: x·y over the root
/// of the integer (x·x)(y·y); a zero row at distance 1 from the others).
private func exactSilhouette(_ x: Embeddings, _ labels: [Int], _ metric: DistanceMetric) -> [Double] {
    func distance(_ i: Int, _ j: Int) -> Double {
        if i == j { return 0 }
        let a = x[row: i].map(Double.init), b = x[row: j].map(Double.init)
        let ab = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        if metric == .sqeuclidean { return zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        let aa = a.reduce(0) { $0 + $1 * $1 }, bb = b.reduce(0) { $0 + $1 * $1 }
        if aa == 0 || bb == 0 { return 1 }
        return 1 - ab / (aa * bb).squareRoot()
    }
    let n = x.count
    let sizes = Dictionary(labels.map { ($0, 1) }, uniquingKeysWith: +)
    return (0 ..< n).map { i in
        let own = labels[i]
        guard let size = sizes[own], size > 1 else { return 0 }
        var sums: [Int: Double] = [:]
        for j in 0 ..< n where j != i { sums[labels[j], default: 0] += distance(i, j) }
        let a = (sums[own] ?? 0) / Double(size - 1)
        let b = sums.filter { $0.key != own }.map { $0.value / Double(sizes[$0.key]!) }.min() ?? .infinity
        let m = max(a, b)
        return m > 0 ? (b - a) / m : 0
    }
}
