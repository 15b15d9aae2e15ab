import Testing
@testable import ClusCore

/// Lloyd from `seeds` with `acceleration` and with none; they must agree bit
/// for bit (labels, iterations, inertia, centres).
func expectAccelerationMatchesPlain(_ x: Embeddings, k: Int, seeds: [Int], acceleration: LloydAcceleration,
                                    gemm: Bool? = nil, rounded: RoundedScan = .automatic,
                                    filtering: YinyangFiltering = .timed,
                                    spherical: Bool = false, maxIterations: Int = 300, tolerance: Double = 0,
                                    parallelism: Parallelism = .allCores,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    let x = spherical ? try unitRows(x, parallelism: .serial) : x
    try x.values.withUnsafeBufferPointer { buffer in
        let rows = RowMatrix(base: try #require(buffer.baseAddress), count: x.count, dimension: x.dimension)
        var lloyd = Lloyd(rows: rows, clusterCount: k, plan: ChunkPlan(count: x.count, clusterCount: k, dimension: x.dimension),
                          parallelism: parallelism, cancellation: nil, maxIterations: maxIterations,
                          tolerance: tolerance, spherical: spherical)
        lloyd.acceleration = .none
        let plain = try lloyd.run(seeds: seeds) { _ in }
        lloyd.acceleration = acceleration
        lloyd.gemmFullScan = gemm
        lloyd.roundedScan = rounded
        lloyd.yinyangFiltering = filtering
        let fast = try lloyd.run(seeds: seeds) { _ in }
        let what = "k=\(k) \(acceleration) gemm=\(String(describing: gemm)) rounded=\(rounded) filtering=\(filtering) maxIterations=\(maxIterations)"
        #expect(fast.labels == plain.labels, "labels, \(what)", sourceLocation: sourceLocation)
        #expect(fast.iterations == plain.iterations, "iterations, \(what)", sourceLocation: sourceLocation)
        #expect(fast.inertia == plain.inertia, "inertia, \(what)", sourceLocation: sourceLocation)
        #expect(fast.centroids.values == plain.centroids.values, "centroids, \(what)", sourceLocation: sourceLocation)
    }
}

@Suite("k-means with Yinyang's group bounds")
struct YinyangTests {
    @Test("the same labels, iterations, inertia and centres as plain Lloyd", arguments: [2, 10, 37, 100, 250])
    func matchesPlain(k: Int) throws {
        // Debug builds are slow: fewer iterations at large k keep the plain reference quick.
        let cap = k >= 100 ? 15 : 300
        for (seed, d) in zip([1, 2, 3] as [UInt64], [3, 17, 40]) {
            let x = randomRows(count: 1000, dimension: d, clusters: 7, seed: seed)
            let seeds = try plusPlusSeeds(x, k: k, seed: seed)
            for groups in [1, 3, max(1, k / 10)] {
                try expectAccelerationMatchesPlain(x, k: k, seeds: seeds, acceleration: .yinyang(groups: groups),
                                                   maxIterations: cap)
            }
            let random = randomSeeds(k, of: x.count, seed: seed)
            try expectAccelerationMatchesPlain(x, k: k, seeds: random, acceleration: .yinyang(groups: max(2, k / 10)),
                                               maxIterations: cap)
            try expectAccelerationMatchesPlain(x, k: k, seeds: seeds, acceleration: .yinyang(groups: 4), tolerance: 1e-3)
        }
    }

    @Test("full scans by the Gram kernel (near-ties settled by the blocked kernel) or by the blocked kernel: the same results",
          arguments: [false, true])
    func gemmOrKernel(gemm: Bool) throws {
        for (k, d) in [(30, 5), (120, 33), (200, 64)] {
            let x = randomRows(count: 1500, dimension: d, clusters: 8, seed: UInt64(k))
            let seeds = try plusPlusSeeds(x, k: k, seed: 31)
            try expectAccelerationMatchesPlain(x, k: k, seeds: seeds, acceleration: .yinyang(groups: k / 10),
                                               gemm: gemm, maxIterations: 12)
        }
        // Ties on a grid: the Gram kernel's near-ties must come out as the kernel's, lowest index first.
        for d in [2, 8] {
            let x = randomRows(count: 800, dimension: d, clusters: 3, seed: 32, grid: true)
            try expectAccelerationMatchesPlain(x, k: 60, seeds: randomSeeds(60, of: x.count, seed: 33),
                                               acceleration: .yinyang(groups: 6), gemm: gemm)
        }
        let base = randomRows(count: 1000, dimension: 16, clusters: 5, seed: 34)
        let far = Embeddings(count: base.count, dimension: 16, values: base.values.map { $0 * 0.01 + 1000 })
        try expectAccelerationMatchesPlain(far, k: 40, seeds: randomSeeds(40, of: far.count, seed: 35),
                                           acceleration: .yinyang(groups: 4), gemm: gemm)
    }

    @Test("passes without the filters (every document in full, the bounds renewed) between filtered ones: the same results",
          arguments: [YinyangFiltering.alternating, .always, .timed])
    func filtersOnAndOff(filtering: YinyangFiltering) throws {
        for (k, d) in [(30, 5), (120, 33)] {
            let x = randomRows(count: 1500, dimension: d, clusters: 8, seed: UInt64(k + 7))
            let seeds = try plusPlusSeeds(x, k: k, seed: 41)
            for rounded in [RoundedScan.off, .int16, .bfloat16] {
                try expectAccelerationMatchesPlain(x, k: k, seeds: seeds, acceleration: .yinyang(groups: k / 10),
                                                   rounded: rounded, filtering: filtering, maxIterations: 14)
            }
            try expectAccelerationMatchesPlain(x, k: k, seeds: seeds, acceleration: .yinyang(groups: k / 10),
                                               gemm: true, rounded: .off, filtering: filtering, maxIterations: 14)
        }
    }

    @Test("timed filters: kept while a pass costs less than its full scans would over all documents; else tried after 1, 2, 4, 8 passes")
    func timedFilterSchedule() throws {
        let x = randomRows(count: 50, dimension: 4, clusters: 3, seed: 51)
        try x.values.withUnsafeBufferPointer { buffer in
            let rows = RowMatrix(base: try #require(buffer.baseAddress), count: 50, dimension: 4)
            let centres = (0 ..< 40).map { Double(buffer[$0]) }
            let bounds = YinyangBounds(rows: rows, centres: centres, clusterCount: 10, groupCount: 3,
                                       plan: ChunkPlan(count: 50, clusterCount: 10, dimension: 4), parallelism: .serial)
            // 100 documents, 90 scanned in full in 10 (ms): all in full would take 11.1, less than 10 + 10.
            func after(pass: Int, filtered: Bool, fullScans: Int = 90, filtering: Double = 10) -> Bool {
                bounds.passes = pass + 1
                bounds.fullScans = fullScans
                return bounds.filtersPay(filtered: filtered, filtering: filtering, scanning: 10, documents: 100)
            }
            #expect(after(pass: 1, filtered: true))   // the first two passes filter whatever they cost
            #expect(!after(pass: 2, filtered: true))
            #expect(after(pass: 3, filtered: false))   // tried again after 1 pass
            #expect(!after(pass: 4, filtered: true))
            #expect(!after(pass: 5, filtered: false))  // then after 2
            #expect(after(pass: 6, filtered: false))
            #expect(!after(pass: 7, filtered: true))
            #expect(!after(pass: 10, filtered: false)) // then after 4
            #expect(after(pass: 11, filtered: false))
            #expect(!after(pass: 12, filtered: true))
            #expect(!after(pass: 19, filtered: false)) // then every 8
            #expect(after(pass: 20, filtered: false))
            // Paying (50 of 100 in full: all would take 20, more than 10 + 1): kept, and the gap back to 1.
            #expect(after(pass: 21, filtered: true, fullScans: 50, filtering: 1))
            #expect(!after(pass: 22, filtered: true))
            #expect(after(pass: 23, filtered: false))
            #expect(after(pass: 24, filtered: true, fullScans: 0))   // none scanned in full: the filters did it all
        }
    }

    @Test("iteration for iteration: the labels after each of the first iterations agree", arguments: [20, 150])
    func iterationByIteration(k: Int) throws {
        let x = randomRows(count: 2000, dimension: 24, clusters: 9, seed: 21)
        let seeds = try plusPlusSeeds(x, k: k, seed: 21)
        for iterations in 1 ... 6 {
            try expectAccelerationMatchesPlain(x, k: k, seeds: seeds, acceleration: .yinyang(groups: k / 10),
                                               maxIterations: iterations)
        }
    }

    @Test("k up to 1000, and the automatic choice", arguments: [1000])
    func largeK(k: Int) throws {
        let x = randomRows(count: 2000, dimension: 8, clusters: 30, seed: 22)
        let seeds = try plusPlusSeeds(x, k: k, seed: 22)
        try expectAccelerationMatchesPlain(x, k: k, seeds: seeds, acceleration: .yinyang(groups: 100), maxIterations: 8)
        try expectAccelerationMatchesPlain(x, k: k, seeds: seeds, acceleration: .automatic, maxIterations: 8)
    }

    @Test("spherical k-means: the same results as plain spherical Lloyd", arguments: [20, 100])
    func sphericalMatchesPlain(k: Int) throws {
        for seed in [4, 5] as [UInt64] {
            let x = randomRows(count: 1200, dimension: 24, clusters: 6, seed: seed)
            try expectAccelerationMatchesPlain(x, k: k, seeds: randomSeeds(k, of: x.count, seed: seed),
                                               acceleration: .yinyang(groups: k / 10), spherical: true)
        }
    }

    @Test("duplicates and ties on a grid, and empty clusters re-seeded", arguments: [9, 40, 100])
    func tiesAndEmptyClusters(k: Int) throws {
        for seed in [6, 7] as [UInt64] {
            // Half-integer grid: many documents coincide and many are equidistant.
            for d in [2, 8] {
                let x = randomRows(count: 800, dimension: d, clusters: 3, seed: seed, grid: true)
                try expectAccelerationMatchesPlain(x, k: k, seeds: randomSeeds(k, of: x.count, seed: seed),
                                                   acceleration: .yinyang(groups: max(2, k / 10)))
                // Every seed on the same document: all clusters but one start empty.
                try expectAccelerationMatchesPlain(x, k: k, seeds: [Int](repeating: 5, count: k),
                                                   acceleration: .yinyang(groups: 3))
            }
        }
        let few = Embeddings(rows: (0 ..< 300).map { [Float($0 % 4), Float($0 % 4 == 3 ? 1 : 0)] })
        try expectAccelerationMatchesPlain(few, k: k, seeds: randomSeeds(k, of: 300, seed: 8),
                                           acceleration: .yinyang(groups: 5))
    }

    @Test("the same result on 1, 2 and 8 threads")
    func deterministicAcrossThreads() throws {
        let x = randomRows(count: 3000, dimension: 33, clusters: 12, seed: 9)
        let seeds = randomSeeds(100, of: x.count, seed: 9)
        for threads in [1, 2, 8] {
            try expectAccelerationMatchesPlain(x, k: 100, seeds: seeds, acceleration: .yinyang(groups: 10),
                                               maxIterations: 12, parallelism: Parallelism(threads: threads))
        }
        let results = try [1, 2, 8].map { threads in
            try kMeans(x, options: KMeansOptions(clusterCount: 50, seed: 3), parallelism: Parallelism(threads: threads))
        }
        for r in results.dropFirst() {
            #expect(r.labels == results[0].labels && r.inertia == results[0].inertia)
        }
    }

    @Test("large offsets: the rounding margin keeps labels exact when |x| dwarfs the distances")
    func largeOffsets() throws {
        let base = randomRows(count: 1000, dimension: 16, clusters: 5, seed: 10)
        let x = Embeddings(count: base.count, dimension: 16, values: base.values.map { $0 * 0.01 + 1000 })
        for k in [20, 60] {
            try expectAccelerationMatchesPlain(x, k: k, seeds: randomSeeds(k, of: x.count, seed: 11),
                                               acceleration: .yinyang(groups: k / 10))
        }
    }

    @Test("centres are grouped by k-means: every centre in one group, groups of near centres")
    func grouping() {
        // Three tight bunches of centres on a line.
        let centres: [Double] = [0, 0.1, 0.2, 10, 10.1, 10.2, 20, 20.1, 20.2]
        let groups = groupCentres(centres, clusterCount: 9, dimension: 1, groups: 3, parallelism: .serial)
        #expect(groups == [0, 0, 0, 1, 1, 1, 2, 2, 2])
    }
}
