import ClusCore
import Foundation
import Testing

@Suite("Sampled silhouette")
struct SampledSilhouetteTests {
    /// Overlapping blobs of unequal sizes with one zero row (cosine's special case).
    static func blobs(n: Int, d: Int, seed: UInt64) -> (Embeddings, [Int]) {
        var rng = SeededGenerator(seed: seed)
        let labels = (0 ..< n).map { i in i % 7 == 0 ? 3 : Int(rng.next() % 3) * 4 - 1 }
        var values = (0 ..< n * d).map { i in Float(rng.nextUnit() * 3) + Float(labels[i / d]) * 0.3 }
        for j in 0 ..< d { values[5 * d + j] = 0 }
        return (Embeddings(count: n, dimension: d, values: values), labels)
    }

    @Test("points scored against all documents equal the exact silhouettes", arguments: DistanceMetric.allCases)
    func pointsMatchExact(metric: DistanceMetric) throws {
        // 301 rows (not a multiple of 4), 13 dims, 71 points (odd, more than one group).
        let (x, labels) = Self.blobs(n: 301, d: 13, seed: 11)
        let exact = try silhouetteSamples(x, labels: labels, metric: metric, parallelism: .serial)
        let points = (0 ..< 71).map { ($0 * 37 + 5) % 301 }
        for threads in [1, 3] {
            let some = try silhouetteSamples(x, labels: labels, of: points, metric: metric, parallelism: Parallelism(threads: threads))
            #expect(some.count == points.count)
            for (t, p) in points.enumerated() {
                #expect(abs(some[t] - exact[p]) < 1e-7, "\(metric) point \(p): \(some[t]) vs \(exact[p])")
            }
        }
    }

    @Test("the sample is stratified: every cluster keeps min(size, 5), the rest in proportion")
    func stratification() {
        // Sizes 5000, 3000, 1000, 3, 1.
        let labels = Array(repeating: 0, count: 5000) + Array(repeating: 1, count: 3000)
            + Array(repeating: 2, count: 1000) + [7, 7, 7, -1]
        var rng = SeededGenerator(seed: 1)
        let sample = StratifiedSample(labels: labels, size: 500, using: &rng)
        let counts = sample.strata.map(\.members.count)
        #expect(sample.indices.count == 500)
        #expect(sample.strata.map(\.size) == [1, 5000, 3000, 1000, 3])
        #expect(counts[0] == 1 && counts[4] == 3)
        // 5 each first, then the other 481 in proportion to what is left (4995 : 2995 : 995).
        #expect(counts[1] == 5 + 268 && counts[2] == 5 + 160 && counts[3] == 5 + 53, "\(counts)")
        for stratum in sample.strata {
            #expect(Set(stratum.members).count == stratum.members.count)
            #expect(Set(stratum.members.map { labels[$0] }).count == 1)
        }
        var same = SeededGenerator(seed: 1), other = SeededGenerator(seed: 2)
        #expect(StratifiedSample(labels: labels, size: 500, using: &same) == sample)
        #expect(StratifiedSample(labels: labels, size: 500, using: &other) != sample)
        var all = SeededGenerator(seed: 1)
        #expect(StratifiedSample(labels: labels, size: 20_000, using: &all).indices.count == labels.count)
    }

    @Test("a full sample gives the exact mean with a zero-width interval")
    func fullSample() throws {
        let (x, labels) = Self.blobs(n: 120, d: 6, seed: 2)
        var rng = SeededGenerator(seed: 9)
        let e = try sampledSilhouette(x, labels: labels, sampleSize: 120, using: &rng, parallelism: .serial)
        let exact = try silhouetteScore(x, labels: labels, parallelism: .serial)
        #expect(abs(e.value - exact) < 1e-12)
        #expect(e.low == e.high && e.sampled == 120 && e.population == 120)
    }

    @Test("the same seed gives the same estimate on any thread count")
    func seeded() throws {
        let (x, labels) = Self.blobs(n: 400, d: 9, seed: 4)
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5)
        let one = try sampledSilhouette(x, labels: labels, sampleSize: 60, metric: .cosine, using: &a, parallelism: .serial)
        let two = try sampledSilhouette(x, labels: labels, sampleSize: 60, metric: .cosine, using: &b, parallelism: Parallelism(threads: 4))
        #expect(one == two)
        #expect(one.low < one.value && one.value < one.high && one.sampled == 60)
    }

    @Test("the 95% interval covers the exact silhouette for at least 930 of 1,000 seeds")
    func coverage() throws {
        // 20,000 documents on a line, in overlapping clusters of unequal size:
        // exact silhouettes from sorted prefix sums in O(n·k·log n).
        var rng = SeededGenerator(seed: 42)
        let centres = [0.0, 1.5, 2.5, 6.0, 7.0], weights = [0.45, 0.25, 0.15, 0.1, 0.05]
        var points: [Double] = [], labels: [Int] = []
        for i in 0 ..< 20_000 {
            let u = Double(i) / 20_000
            var c = 0, acc = weights[0]
            while u >= acc { c += 1; acc += weights[c] }
            let g = (-2 * log(max(rng.nextUnit(), 1e-300))).squareRoot() * cos(2 * .pi * rng.nextUnit())
            points.append(centres[c] + g * (0.4 + 0.2 * Double(c)))
            labels.append(c)
        }
        let exact = lineSilhouettes(points, labels)
        let truth = exact.reduce(0, +) / Double(exact.count)
        // The helper agrees with the library on a slice.
        let slice = Array(stride(from: 0, to: 20_000, by: 40))
        let head = Embeddings(count: 500, dimension: 1, values: slice.map { Float(points[$0]) })
        let library = try silhouetteSamples(head, labels: slice.map { labels[$0] }, parallelism: .serial)
        let helper = lineSilhouettes(slice.map { Double(Float(points[$0])) }, slice.map { labels[$0] })
        for i in 0 ..< 500 { #expect(abs(library[i] - helper[i]) < 1e-5) }

        // 1,000 seeds rather than the 100 the issue names: at a true 95%, 100
        // draws fall below 93 about one time in eight; 930 of 1,000 is 3 sd below.
        var covered = 0, widths = 0.0
        var last: StratifiedSample? = nil
        for seed in 0 ..< 1000 {
            var g = SeededGenerator(seed: UInt64(seed))
            let sample = StratifiedSample(labels: labels, size: 400, using: &g)
            let e = sample.estimate(sample.indices.map { exact[$0] })
            if e.low <= truth && truth <= e.high { covered += 1 }
            widths += e.high - e.low
            last = sample
        }
        #expect(covered >= 930, "covered \(covered) of 1000")
        // Not covering by being wide: the mean width is 2·1.96 times the true
        // standard error of the stratified mean (population variances per cluster).
        let strata = try #require(last).strata
        var variance = 0.0
        for (c, stratum) in strata.enumerated() {
            let ys = zip(exact, labels).filter { $0.1 == c }.map(\.0)
            let mean = ys.reduce(0, +) / Double(ys.count)
            let s2 = ys.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(ys.count - 1)
            let w = Double(stratum.size) / 20_000, m = Double(stratum.members.count)
            variance += w * w * (1 - m / Double(stratum.size)) * s2 / m
        }
        let ratio = widths / 1000 / (2 * 1.959964 * variance.squareRoot())
        #expect(abs(ratio - 1) < 0.05, "mean width / true width = \(ratio)")
    }
}

/// Exact euclidean silhouettes of points on a line, by prefix sums per cluster.
func lineSilhouettes(_ v: [Double], _ labels: [Int]) -> [Double] {
    let ids = Array(Set(labels)).sorted()
    var sorted: [[Double]] = [], prefix: [[Double]] = []
    for c in ids {
        let s = zip(v, labels).filter { $0.1 == c }.map(\.0).sorted()
        sorted.append(s)
        var p = [0.0]
        for x in s { p.append(p[p.count - 1] + x) }
        prefix.append(p)
    }
    func distanceSum(_ x: Double, _ c: Int) -> Double {
        let s = sorted[c], p = prefix[c]
        var lo = 0, hi = s.count
        while lo < hi { let mid = (lo + hi) / 2; if s[mid] < x { lo = mid + 1 } else { hi = mid } }
        return (Double(lo) * x - p[lo]) + (p[s.count] - p[lo] - Double(s.count - lo) * x)
    }
    return zip(v, labels).map { x, label in
        let own = ids.firstIndex(of: label) ?? 0
        if sorted[own].count == 1 { return 0 }
        let a = distanceSum(x, own) / Double(sorted[own].count - 1)
        var b = Double.infinity
        for c in ids.indices where c != own { b = min(b, distanceSum(x, c) / Double(sorted[c].count)) }
        let m = max(a, b)
        return m > 0 ? (b - a) / m : 0
    }
}
