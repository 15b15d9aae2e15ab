// Internal kernels: debug builds only (release tests are built without testability).
#if DEBUG
import CGramKernel
@testable import ClusCore
import Testing

@Suite("Silhouette kernels")
struct SilhouetteKernelTests {
    /// The metrics with a pairwise kernel (cosine and sqeuclidean come from cluster sums).
    static let pairwise: [DistanceMetric] = [.euclidean, .manhattan]

    @Test("the SIMD kernel agrees with the scalar kernel and the definition", arguments: pairwise)
    func simdMatchesScalar(metric: DistanceMetric) throws {
        // 300 rows × 20 dims: 3 blocks (odd, so a block sits out each round),
        // a partial last block, a dimension that is not a multiple of 16.
        var rng = SeededGenerator(seed: 3)
        let n = 300, d = 20
        let labels = (0 ..< n).map { _ in Int(rng.next() % 4) * 5 - 3 }
        let x = Embeddings(count: n, dimension: d, values: (0 ..< n * d).map { i in
            Float(rng.nextUnit() * 4) + Float(labels[i / d])
        })
        let simd = try silhouetteSamples(x, labels: labels, metric: metric, parallelism: Parallelism(threads: 2), cancellation: nil, simd: true)
        let scalar = try silhouetteSamples(x, labels: labels, metric: metric, parallelism: .serial, cancellation: nil, simd: false)
        let reference = referenceSilhouette(x, labels, metric)
        for i in 0 ..< n {
            #expect(abs(simd[i] - scalar[i]) < 1e-6, "row \(i): \(simd[i]) vs \(scalar[i])")
            #expect(abs(simd[i] - reference[i]) < 1e-6, "row \(i): \(simd[i]) vs \(reference[i])")
        }
    }

    /// Debug builds score the fixtures with the scalar kernel; this runs the
    /// SIMD kernels (the GEMM-shaped one with its precision guard for
    /// euclidean) against scikit-learn on them, and the cluster sums for the others.
    @Test("the SIMD kernels match scikit-learn on the fixtures", arguments: ["iris", "wine", "breast_cancer", "blobs512"])
    func simdMatchesFixtures(name: String) throws {
        let f = try Fixtures.load(name)
        let expected = try #require(f.expected.silhouette)
        for metric in DistanceMetric.allCases {
            let want = try #require(expected[metric.rawValue])
            // every euclidean tiling, whichever this machine prefers
            for tiles in [EuclideanTiles.gram, .sgemm, .differences] where tiles != .sgemm || BLASStatus.current.isLoaded {
                let s = try silhouetteSamples(f.embeddings, labels: f.labels, metric: metric, parallelism: Parallelism(threads: 2),
                                              cancellation: nil, simd: true, tiles: tiles)
                expectClose(s.reduce(0, +) / Double(s.count), want, 1e-6, "\(name) SIMD silhouette \(metric), \(tiles)")
                if metric == .euclidean, let samples = f.expected.silhouetteSamplesEuclidean {
                    let worst = zip(s, samples).map { abs($0 - $1) }.max() ?? 0
                    #expect(worst <= 1e-6, "\(name) SIMD silhouette samples (\(tiles)): worst difference \(worst)")
                }
            }
        }
    }

    @Test("points scored by the SIMD kernels equal the exact silhouettes", arguments: pairwise)
    func simdPointsMatchExact(metric: DistanceMetric) throws {
        // 301 rows, 13 dims, a zero row, 140 points: two row blocks, a partial panel.
        var rng = SeededGenerator(seed: 5)
        let n = 301, d = 13
        let labels = (0 ..< n).map { i in i % 7 == 0 ? 3 : Int(rng.next() % 3) * 4 - 1 }
        var values = (0 ..< n * d).map { i in Float(rng.nextUnit() * 3) + Float(labels[i / d]) * 0.3 }
        for j in 0 ..< d { values[5 * d + j] = 0 }
        let x = Embeddings(count: n, dimension: d, values: values)
        let exact = try silhouetteSamples(x, labels: labels, metric: metric, parallelism: .serial, cancellation: nil, simd: false)
        let points = [5] + (0 ..< 139).map { ($0 * 37 + 1) % 301 }.filter { $0 != 5 }
        for threads in [1, 2] {
            let some = try silhouetteSamples(x, labels: labels, of: points, metric: metric, parallelism: Parallelism(threads: threads),
                                             cancellation: nil, simd: true)
            for (t, p) in points.enumerated() {
                #expect(abs(some[t] - exact[p]) < 1e-6, "\(metric) point \(p): \(some[t]) vs \(exact[p])")
            }
        }
    }

    @Test("euclidean Gram tiles (own kernel and sgemm) over several blocks agree with the scalar kernel, all documents and points",
          arguments: [EuclideanTiles.gram, .sgemm])
    func gramTilesMatchScalar(tiles: EuclideanTiles) throws {
        try #require(tiles != .sgemm || BLASStatus.current.isLoaded)
        // 1,100 rows: blocks of 448 (AVX-512), 504 or 512, two full and one partial, so off-diagonal
        // tiles, a partial block and panel, and column sums across blocks; d = 19 is no
        // multiple of any vector width; some duplicates (the close-pair guard).
        var rng = SeededGenerator(seed: 9)
        let n = 1100, d = 19
        let labels = (0 ..< n).map { _ in Int(rng.next() % 5) }
        var values = (0 ..< n * d).map { i in Float(rng.nextUnit() * 5) + Float(labels[i / d]) * 0.7 }
        for j in 0 ..< d { values[600 * d + j] = values[10 * d + j] }
        let x = Embeddings(count: n, dimension: d, values: values)
        let scalar = try silhouetteSamples(x, labels: labels, metric: .euclidean, parallelism: .serial, cancellation: nil, simd: false)
        let gram = try silhouetteSamples(x, labels: labels, metric: .euclidean, parallelism: Parallelism(threads: 3), cancellation: nil,
                                         simd: true, tiles: tiles)
        let again = try silhouetteSamples(x, labels: labels, metric: .euclidean, parallelism: .serial, cancellation: nil,
                                          simd: true, tiles: tiles)
        #expect(gram == again, "thread count changed the Gram path's result")
        for i in 0 ..< n { #expect(abs(gram[i] - scalar[i]) < 1e-6, "row \(i): \(gram[i]) vs \(scalar[i])") }
        let points = (0 ..< 600).map { ($0 * 7 + 3) % n } + [10, 600]
        let some = try silhouetteSamples(x, labels: labels, of: points, metric: .euclidean, parallelism: Parallelism(threads: 2),
                                         cancellation: nil, simd: true, tiles: tiles)
        for (t, p) in points.enumerated() { #expect(abs(some[t] - scalar[p]) < 1e-6, "point \(p): \(some[t]) vs \(scalar[p])") }
    }

    @Test("the own kernel's bands of row panels give the same sums for any band height, partial bands and a band past the tile included")
    func gramBandsGiveTheSameSums() throws {
        // 1,100 rows as above: the last block's rows end in a partial band at each height below.
        var rng = SeededGenerator(seed: 12)
        let n = 1100, d = 21, k = 5
        let labels = (0 ..< n).map { _ in Int(rng.next() % UInt64(k)) }
        let x = Embeddings(count: n, dimension: d, values: (0 ..< n * d).map { i in Float(rng.nextUnit() * 4) + Float(labels[i / d]) })
        let order = (0 ..< n).sorted { (labels[$0], $0) < (labels[$1], $1) }
        let clusterOf = order.map { labels[$0] }
        func sums(bandPanels: Int) throws -> [Double] {
            var out = [Double](repeating: 0, count: n * k)
            try clusterOf.withUnsafeBufferPointer { c in
                try out.withUnsafeMutableBufferPointer { s in
                    try gramSilhouetteSums(x, order: order, tiles: .gram, clusterOf: c.baseAddress!, clusters: k, sums: s.baseAddress!,
                                           parallelism: Parallelism(threads: 2), cancellation: nil, progress: nil,
                                           bandPanels: bandPanels)
                }
            }
            return out
        }
        let one = try sums(bandPanels: 1)
        for panels in [2, 3, 5, GramRows.bandPanels(side: gramTileSide(documents: n)), 1000] {
            #expect(try sums(bandPanels: panels) == one, "\(panels) row panels a band")
        }
        // and the sums are the distances': every 37th document against all, in Double
        for p in stride(from: 0, to: n, by: 37) {
            var exact = [Double](repeating: 0, count: k)
            for q in 0 ..< n where q != p {
                var s = 0.0
                for t in 0 ..< d {
                    let e = Double(x.values[order[p] * d + t]) - Double(x.values[order[q] * d + t])
                    s += e * e
                }
                exact[clusterOf[q]] += s.squareRoot()
            }
            for c in 0 ..< k {
                #expect(abs(one[p * k + c] - exact[c]) <= 1e-5 * max(1, exact[c]), "document \(p), cluster \(c)")
            }
        }
    }

    @Test("small passes take the own kernel; large ones the kernel timed faster, the same answer all process long")
    func kernelChoiceFollowsTheTiming() throws {
        try #require(EuclideanTiles.asked == nil, "CLUS_DISTANCE_KERNEL is set")
        #expect(EuclideanTiles.forPass(work: EuclideanTiles.timedWork - 1, dimension: 512) == .gram)
        let large = EuclideanTiles.forPass(work: EuclideanTiles.timedWork, dimension: 24)
        guard BLASStatus.current.isLoaded else {
            #expect(large == .gram)
            return
        }
        let timing = KernelTiming.at(dimension: 24)
        #expect(timing.gram > 0 && timing.gram < 1 && timing.sgemm > 0 && timing.sgemm < 1, "\(timing)")
        #expect(large == timing.faster)
        #expect(large == (timing.sgemm < 0.95 * timing.gram ? .sgemm : .gram))
        // timed once: the second question gets the first answer
        let again = KernelTiming.at(dimension: 24)
        #expect(again.gram == timing.gram && again.sgemm == timing.sgemm)
        #expect(EuclideanTiles.forPass(work: .max, dimension: 24) == large)
        #expect(euclideanTilesDescription.contains("timed faster here at d = 512"))
    }

    @Test("the own Gram kernel's dot products equal the definition at every block shape", arguments: [1, 7, 33, 65, 100])
    func gramKernelDotProducts(n: Int) throws {
        var rng = SeededGenerator(seed: UInt64(n))
        for d in [1, 5, 64, 129] {
            let x = Embeddings(count: n, dimension: d, values: (0 ..< n * d).map { _ in Float(rng.nextUnit() * 2 - 1) })
            let order = (0 ..< n).reversed().map { $0 }
            let rows = GramRows(x, order: order, tiles: .gram)
            defer { rows.deallocate() }
            let side = gramTileSide(documents: n)
            var out = [Float](repeating: .nan, count: side * side)
            out.withUnsafeMutableBufferPointer { rows.products(rows: 0, n, columns: rows, 0, n, into: $0.baseAddress!, stride: side) }
            for i in 0 ..< n {
                for j in 0 ..< n {
                    let exact = (0 ..< d).reduce(0.0) { $0 + Double(x.values[order[i] * d + $1]) * Double(x.values[order[j] * d + $1]) }
                    #expect(abs(Double(out[i * side + j]) - exact) <= 1e-5 * Double(d), "n \(n) d \(d) (\(i), \(j))")
                }
            }
        }
    }

    @Test("the distances from Gram products are √max(0, ‖x‖² + ‖y‖² − 2x·y) within an ulp, close pairs listed, at every tail length, zeros, subnormals, infinities and NaN included")
    func distancesFromProducts() {
        var rng = SeededGenerator(seed: 61)
        let specials: [Float] = [0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude, 1e-30, .greatestFiniteMagnitude / 4,
                                 .infinity, .nan]
        for count in [0, 1, 15, 16, 17, 31, 33, 100, 448] {
            for trial in 0 ..< 20 {
                let norm = Float(rng.nextUnit() * 100)
                var norms = (0 ..< count).map { _ in Float(rng.nextUnit() * 100) }
                // products about the size the norms allow, some nearly their sum's half (close pairs), some past it (negative)
                var line = norms.map { ny -> Float in
                    let half = (norm + ny) / 2
                    switch rng.nextUnit() {
                    case ..<0.2: return half * Float(1 - rng.nextUnit() * 0.01)
                    case ..<0.3: return half * Float(1 + rng.nextUnit() * 1e-6)
                    default: return half * Float(rng.nextUnit() * 2 - 1)
                    }
                }
                if trial % 4 == 0, count > 0 {
                    // squared distances that are themselves special: d² = total − 2·product
                    for _ in 0 ..< min(count, 6) {
                        let j = Int(rng.next() % UInt64(count))
                        let special = specials[Int(rng.next() % UInt64(specials.count))]
                        norms[j] = special.isNaN || special.isInfinite ? special : 0
                        line[j] = special.isNaN || special.isInfinite ? 0 : -special / 2
                        if j % 2 == 0 && special.isFinite { line[j] = 0; norms[j] = special - norm }
                    }
                }
                var expected = [Float](), expectedClose = [Int32]()
                for j in 0 ..< count {
                    let total = norm + norms[j]
                    var d2 = total - 2 * line[j]
                    if d2 < 0 { d2 = 0 }
                    expected.append(d2.squareRoot())
                    if d2 < total * (1.0 / 32) { expectedClose.append(Int32(j)) }
                }
                var out = line, close = [Int32](repeating: -1, count: count)
                let found = out.withUnsafeMutableBufferPointer { o in
                    close.withUnsafeMutableBufferPointer { c in
                        clus_gram_distances(o.baseAddress, count, norm, norms, c.baseAddress)
                    }
                }
                #expect(Array(close.prefix(found)) == expectedClose, "count \(count) trial \(trial)")
                for j in 0 ..< count {
                    let e = expected[j], got = out[j]
                    if e.isNaN { #expect(got.isNaN, "count \(count) j \(j)"); continue }
                    if e.isInfinite || e == 0 { #expect(got == e, "count \(count) j \(j): \(got) for \(e)"); continue }
                    #expect(got == e || got == e.nextUp || got == e.nextDown, "count \(count) j \(j): \(got) for \(e)")
                }
            }
        }
    }

    @Test("CompactLabels sorts values and handles wide ranges")
    func compactLabels() {
        let dense = CompactLabels([7, -1, 3, 7, -1])
        #expect(dense.values == [-1, 3, 7])
        #expect(dense.index == [2, 0, 1, 2, 0])
        #expect(dense.sizes == [2, 1, 2])
        let wide = CompactLabels([Int.max, Int.min, 0, Int.max])
        #expect(wide.values == [Int.min, 0, Int.max])
        #expect(wide.index == [2, 0, 1, 2])
    }
}
#endif
