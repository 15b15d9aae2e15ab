import ClusCore
import Testing

/// The parallel two-pass Calinski-Harabasz and Davies-Bouldin against the
/// textbook definitions, computed here the slow way in Double.
@Suite("Centroid indices")
struct CentroidIndicesTests {
    /// 10,000 rows of 37 values (several row blocks; a dimension that is not a
    /// multiple of the SIMD width), 7 clusters of uneven size.
    static func data() -> (Embeddings, [Int]) {
        var rng = SeededGenerator(seed: 3)
        let n = 10_000, d = 37
        var values = [Float](repeating: 0, count: n * d)
        var labels = [Int](repeating: 0, count: n)
        for i in 0 ..< n {
            let c = Int.random(in: 0 ..< 7, using: &rng) % (i % 3 == 0 ? 7 : 4)
            labels[i] = c * 11 - 5  // any Int values
            for j in 0 ..< d { values[i * d + j] = Float(c * (j % 5)) + Float.random(in: -2 ... 2, using: &rng) }
        }
        return (Embeddings(count: n, dimension: d, values: values), labels)
    }

    static func reference(_ x: Embeddings, _ labels: [Int]) -> (ch: Double, db: Double) {
        let names = Array(Set(labels)).sorted()
        let n = x.count, d = x.dimension, k = names.count
        var means = [[Double]](repeating: [Double](repeating: 0, count: d), count: k)
        var sizes = [Int](repeating: 0, count: k)
        let code = labels.map { names.firstIndex(of: $0)! }
        for i in 0 ..< n {
            sizes[code[i]] += 1
            for j in 0 ..< d { means[code[i]][j] += Double(x.values[i * d + j]) }
        }
        for c in 0 ..< k { for j in 0 ..< d { means[c][j] /= Double(sizes[c]) } }
        let overall = (0 ..< d).map { j in (0 ..< n).reduce(0.0) { $0 + Double(x.values[$1 * d + j]) } / Double(n) }
        var within = 0.0, between = 0.0
        var scatter = [Double](repeating: 0, count: k)
        for i in 0 ..< n {
            let s = (0 ..< d).reduce(0.0) { acc, j in
                let diff = Double(x.values[i * d + j]) - means[code[i]][j]
                return acc + diff * diff
            }
            within += s
            scatter[code[i]] += s.squareRoot() / Double(sizes[code[i]])
        }
        for c in 0 ..< k {
            between += Double(sizes[c]) * (0 ..< d).reduce(0.0) { $0 + (means[c][$1] - overall[$1]) * (means[c][$1] - overall[$1]) }
        }
        let ch = between * Double(n - k) / (within * Double(k - 1))
        var db = 0.0
        for a in 0 ..< k {
            var worst = 0.0
            for b in 0 ..< k where b != a {
                let sep = (0 ..< d).reduce(0.0) { $0 + (means[a][$1] - means[b][$1]) * (means[a][$1] - means[b][$1]) }.squareRoot()
                worst = max(worst, (scatter[a] + scatter[b]) / sep)
            }
            db += worst / Double(k)
        }
        return (ch, db)
    }

    @Test("the definitions, on 1, 2 and 3 threads bit for bit")
    func matchesDefinition() throws {
        let (x, labels) = Self.data()
        let want = Self.reference(x, labels)
        let one = try centroidIndices(x, labels: labels, parallelism: .serial)
        expectRelativelyClose(one.calinskiHarabasz, want.ch, 1e-10, "CH")
        expectClose(one.daviesBouldin, want.db, 1e-10, "DB")
        #expect(try centroidIndices(x, labels: labels, parallelism: Parallelism(threads: 2)) == one)
        #expect(try centroidIndices(x, labels: labels, parallelism: Parallelism(threads: 3)) == one)
        // the single-index entry points and float64 input agree
        #expect(try calinskiHarabasz(x, labels: labels) == one.calinskiHarabasz)
        #expect(try daviesBouldin(x, labels: labels) == one.daviesBouldin)
        let x64 = Embeddings64(count: x.count, dimension: x.dimension, values: x.values.map(Double.init))
        let wide = try centroidIndices(x64, labels: labels)
        expectRelativelyClose(wide.calinskiHarabasz, one.calinskiHarabasz, 1e-12, "float64 CH")
        expectClose(wide.daviesBouldin, one.daviesBouldin, 1e-12, "float64 DB")
    }

    @Test("a cancelled computation throws Cancelled")
    func cancellation() {
        let (x, labels) = Self.data()
        let flag = Cancellation()
        flag.cancel()
        #expect(throws: Cancelled.self) { try centroidIndices(x, labels: labels, cancellation: flag) }
    }

    /// Two clusters whose centres coincide exactly (a cross: (±1, 0) and
    /// (0, ±1)): their pair counts as infinitely far, as in scikit-learn's
    /// definition, so DB = mean of each cluster's worst ratio to the third,
    /// (1 + 1)/11 = 2/11. Computed in Double the centres are exactly equal
    /// here; scikit-learn's own arithmetic can leave them 1e-17 apart and
    /// then reports a huge ratio instead.
    @Test("Davies-Bouldin with coinciding centres")
    func coincidingCentres() throws {
        let x = Embeddings(count: 6, dimension: 2, values: [-1, 0, 1, 0, 0, -1, 0, 1, 10, 0, 12, 0])
        let labels = [0, 0, 1, 1, 2, 2]
        #expect(abs(try daviesBouldin(x, labels: labels) - 2.0 / 11.0) < 1e-12)
        #expect(abs(try centroidIndices(x, labels: labels).daviesBouldin - 2.0 / 11.0) < 1e-12)
    }
}
