import Testing
@testable import ClusCore

/// Lloyd from `seeds` with the bounds `bounded = true` picks and without; they must agree bit for bit.
func expectBoundedMatchesPlain(_ x: Embeddings, k: Int, seeds: [Int], spherical: Bool = false,
                               maxIterations: Int = 300, tolerance: Double = 0,
                               parallelism: Parallelism = .allCores,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
    // `bounded = true` is `.automatic`: Hamerly below k = 30, Yinyang from there
    try expectAccelerationMatchesPlain(x, k: k, seeds: seeds, acceleration: .automatic, spherical: spherical,
                                       maxIterations: maxIterations, tolerance: tolerance, parallelism: parallelism,
                                       sourceLocation: sourceLocation)
}

/// `count` random rows of dimension `d`, each component in [−1, 1) plus a
/// cluster offset; components are multiples of 1/8 when `grid`, so many
/// documents tie.
func randomRows(count: Int, dimension d: Int, clusters: Int, seed: UInt64, grid: Bool = false) -> Embeddings {
    var generator = SeededGenerator(seed: seed)
    let offsets = (0 ..< clusters * d).map { _ in Float(generator.nextUnit() * 6 - 3) }
    var values: [Float] = []
    for i in 0 ..< count {
        for t in 0 ..< d {
            var v = offsets[(i % clusters) * d + t] + Float(generator.nextUnit() * 2 - 1)
            if grid { v = (v * 2).rounded() / 2 }
            values.append(v)
        }
    }
    return Embeddings(count: count, dimension: d, values: values)
}

/// `k` distinct-or-not seed documents drawn with the generator.
func randomSeeds(_ k: Int, of n: Int, seed: UInt64) -> [Int] {
    var generator = SeededGenerator(seed: seed)
    return (0 ..< k).map { _ in Int(generator.nextUnit() * Double(n)) }
}

/// k-means++ seeds, as `kMeans` draws them.
func plusPlusSeeds(_ x: Embeddings, k: Int, seed: UInt64) throws -> [Int] {
    try x.values.withUnsafeBufferPointer { buffer in
        let rows = RowMatrix(base: try #require(buffer.baseAddress), count: x.count, dimension: x.dimension)
        var generator = SeededGenerator(seed: seed)
        return try kMeansPlusPlus(rows, clusterCount: k, generator: &generator,
                                  plan: ChunkPlan(count: x.count, clusterCount: k, dimension: x.dimension),
                                  parallelism: .serial, cancellation: nil)
    }
}

@Suite("k-means with Hamerly's bounds")
struct HamerlyTests {
    @Test("the same labels, iterations, inertia and centres as plain Lloyd", arguments: [1, 2, 3, 5, 10, 37, 100])
    func matchesPlain(k: Int) throws {
        for (seed, d) in zip([1, 2, 3] as [UInt64], [3, 17, 64]) {
            let x = randomRows(count: 1000, dimension: d, clusters: 7, seed: seed)
            let seeds = try plusPlusSeeds(x, k: k, seed: seed)
            try expectBoundedMatchesPlain(x, k: k, seeds: seeds)
            try expectBoundedMatchesPlain(x, k: k, seeds: randomSeeds(k, of: x.count, seed: seed))
            try expectBoundedMatchesPlain(x, k: k, seeds: seeds, maxIterations: 3)
            try expectBoundedMatchesPlain(x, k: k, seeds: seeds, tolerance: 1e-3)
        }
    }

    @Test("spherical k-means: the same results as plain spherical Lloyd", arguments: [1, 2, 10, 100])
    func sphericalMatchesPlain(k: Int) throws {
        for seed in [4, 5] as [UInt64] {
            let x = randomRows(count: 1200, dimension: 24, clusters: 6, seed: seed)
            try expectBoundedMatchesPlain(x, k: k, seeds: randomSeeds(k, of: x.count, seed: seed), spherical: true)
        }
    }

    @Test("duplicates and ties on a grid, and empty clusters re-seeded", arguments: [2, 9, 40, 100])
    func tiesAndEmptyClusters(k: Int) throws {
        for seed in [6, 7] as [UInt64] {
            // Half-integer grid: many documents coincide and many are equidistant.
            let x = randomRows(count: 800, dimension: 2, clusters: 3, seed: seed, grid: true)
            try expectBoundedMatchesPlain(x, k: k, seeds: randomSeeds(k, of: x.count, seed: seed))
            // Every seed on the same document: all clusters but one start empty.
            try expectBoundedMatchesPlain(x, k: k, seeds: [Int](repeating: 5, count: k))
            try expectBoundedMatchesPlain(x, k: k, seeds: [Int](repeating: 5, count: k), spherical: true)
        }
        // Fewer distinct documents than clusters: some stay empty on the largest centre.
        let few = Embeddings(rows: (0 ..< 300).map { [Float($0 % 4), Float($0 % 4 == 3 ? 1 : 0)] })
        try expectBoundedMatchesPlain(few, k: min(k, 300), seeds: randomSeeds(min(k, 300), of: 300, seed: 8))
    }

    @Test("bounded runs give the same result on 1, 2 and 8 threads")
    func deterministicAcrossThreads() throws {
        let x = randomRows(count: 5000, dimension: 33, clusters: 12, seed: 9)
        let seeds = randomSeeds(20, of: x.count, seed: 9)
        for threads in [1, 2, 8] {
            try expectBoundedMatchesPlain(x, k: 20, seeds: seeds, parallelism: Parallelism(threads: threads))
        }
        let results = try [1, 2, 8].map { threads in
            try kMeans(x, options: KMeansOptions(clusterCount: 20, seed: 3), parallelism: Parallelism(threads: threads))
        }
        for r in results.dropFirst() {
            #expect(r.labels == results[0].labels && r.inertia == results[0].inertia)
        }
    }

    @Test("large offsets: the rounding margin keeps labels exact when |x| dwarfs the distances")
    func largeOffsets() throws {
        let base = randomRows(count: 1000, dimension: 16, clusters: 5, seed: 10)
        let x = Embeddings(count: base.count, dimension: 16, values: base.values.map { $0 * 0.01 + 1000 })
        for k in [2, 5, 30] {
            try expectBoundedMatchesPlain(x, k: k, seeds: randomSeeds(k, of: x.count, seed: 11))
        }
    }

    @Test("settled centres: the bounds skip most documents")
    func boundsSkip() throws {
        let x = randomRows(count: 2000, dimension: 32, clusters: 8, seed: 12)
        try x.values.withUnsafeBufferPointer { buffer in
            let rows = RowMatrix(base: try #require(buffer.baseAddress), count: x.count, dimension: 32)
            let plan = ChunkPlan(count: x.count, clusterCount: 8, dimension: 32)
            let lloyd = Lloyd(rows: rows, clusterCount: 8, plan: plan, parallelism: .serial, cancellation: nil,
                              maxIterations: 300, tolerance: 0)
            let result = try lloyd.run(seeds: try plusPlusSeeds(x, k: 8, seed: 12)) { _ in }
            let panel = CentrePanel(centres: result.centroids.values.map(Double.init), clusterCount: 8, dimension: 32)
            let bounds = HamerlyBounds(rows: rows, plan: plan, parallelism: .serial)
            var labels = [Int](repeating: -1, count: x.count)
            #expect(lloyd.assignBounded(panel, labels: &labels, bounds: bounds).scored == x.count)
            #expect(labels == result.labels)
            let again = lloyd.assignBounded(panel, labels: &labels, bounds: bounds).scored
            #expect(again < x.count / 10, "\(again) of \(x.count) documents rescored with unmoved centres")
            #expect(labels == result.labels)
        }
    }

    @Test("fixed-point sums: moving documents in and out equals summing the members afresh")
    func sumsAreExact() throws {
        let x = Embeddings(count: 500, dimension: 13, values: randomRows(count: 500, dimension: 13, clusters: 4, seed: 13)
            .values.enumerated().map { $0.element * ($0.offset % 3 == 0 ? 1e-6 : 1e3) })
        try x.values.withUnsafeBufferPointer { buffer in
            let rows = RowMatrix(base: try #require(buffer.baseAddress), count: 500, dimension: 13)
            let plan = ChunkPlan(count: 500, clusterCount: 5, dimension: 13)
            var generator = SeededGenerator(seed: 13)
            var labels = [Int](repeating: -1, count: 500)
            var moving = CentreSums(rows: rows, clusterCount: 5, plan: plan, parallelism: Parallelism(threads: 4))
            for _ in 0 ..< 6 {
                let next = (0 ..< 500).map { _ in Int(generator.nextUnit() * 5) }
                let moved = (0 ..< 500).filter { next[$0] != labels[$0] }
                moving.move(moved, from: moved.map { labels[$0] }, to: moved.map { next[$0] }, rows: rows,
                            parallelism: Parallelism(threads: 4))
                labels = next
            }
            // A handful of moves takes the one-thread path.
            let few = [3, 77, 250, 251, 499]
            let target = few.map { (labels[$0] + 1) % 5 }
            moving.move(few, from: few.map { labels[$0] }, to: target, rows: rows, parallelism: Parallelism(threads: 4))
            for (i, j) in zip(few, target) { labels[i] = j }
            var fresh = CentreSums(rows: rows, clusterCount: 5, plan: plan, parallelism: .serial)
            let all = Array((0 ..< 500).reversed())
            fresh.move(all, from: all.map { _ in -1 }, to: all.map { labels[$0] }, rows: rows, parallelism: .serial)
            #expect(moving.sums == fresh.sums)
            #expect(moving.counts == fresh.counts)
            // Within Double rounding of the exact sums.
            let values = fresh.values()
            for j in 0 ..< 5 {
                for t in 0 ..< 13 {
                    let exact = (0 ..< 500).filter { labels[$0] == j }.reduce(0.0) { $0 + Double(x.values[$1 * 13 + t]) }
                    let magnitude = (0 ..< 500).reduce(0.0) { max($0, abs(Double(x.values[$1 * 13 + t]))) }
                    #expect(abs(values[j * 13 + t] - exact) <= 1e-12 * magnitude * 500)
                }
            }
        }
    }
}
