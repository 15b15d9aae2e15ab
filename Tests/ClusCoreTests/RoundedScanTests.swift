import CGramKernel
import Testing
@testable import ClusCore

/// Yinyang's full scan from rounded products (KMeans+Rounded.swift), in
/// each format: the error bound must hold for every document and centre, and
/// k-means must give plain Lloyd's results bit for bit. A format the CPU
/// lacks is never used (bfloat16 needs AVX512_BF16, int16 AVX2), and only
/// the fallback is checked.
@Suite("k-means' rounded full scan")
struct RoundedScanTests {
    static let formats: [RoundedScan] = [.bfloat16, .int16]

    /// Rows whose scale, offset and spread stress the bound: clustered,
    /// far from the origin, tiny (near Float's denormals), huge, and unit-length embeddings.
    static func stressRows(_ kind: String, count n: Int, dimension d: Int, seed: UInt64) -> Embeddings {
        let base = randomRows(count: n, dimension: d, clusters: 6, seed: seed)
        switch kind {
        case "far": return Embeddings(count: n, dimension: d, values: base.values.map { $0 * 0.01 + 1000 })
        case "tiny": return Embeddings(count: n, dimension: d, values: base.values.map { $0 * 1e-36 })
        case "huge": return Embeddings(count: n, dimension: d, values: base.values.map { $0 * 1e17 })
        case "unit":
            var v = base.values.map { $0 + 2 }
            for i in 0 ..< n {
                var s: Float = 0
                for t in 0 ..< d { s += v[i * d + t] * v[i * d + t] }
                let r = 1 / s.squareRoot()
                for t in 0 ..< d { v[i * d + t] *= r }
            }
            return Embeddings(count: n, dimension: d, values: v)
        default: return base
        }
    }

    @Test("every centre that may be the Float kernel's nearest is a candidate; the lower bounds hold",
          arguments: formats, ["clustered", "far", "tiny", "unit", "huge"])
    func boundHolds(format: RoundedScan, kind: String) throws {
        guard format.format != Int32(CLUS_ROUNDED_NONE) else { return }
        for (d, k) in [(5, 40), (33, 70), (100, 33), (384, 100)] {
            // 299 = 6 · 49 + 5: the int16 AVX2 tile's last block of six reads one padded row.
            let x = Self.stressRows(kind, count: 299, dimension: d, seed: UInt64(d))
            try x.values.withUnsafeBufferPointer { buffer in
                let rows = RowMatrix(base: try #require(buffer.baseAddress), count: x.count, dimension: d)
                let plan = ChunkPlan(count: x.count, clusterCount: k, dimension: d)
                let rounding = try #require(RoundedRows(rows: rows, plan: plan, parallelism: .serial, format: format.format))
                let half = rounding.view
                // Centres: documents moved a little (as after an iteration), in Float.
                var centres = [Float](repeating: 0, count: k * d)
                for j in 0 ..< k {
                    for t in 0 ..< d { centres[j * d + t] = x.values[(j * 7 % x.count) * d + t] * 0.9 + x.values[(j * 13 % x.count) * d + t] * 0.1 }
                }
                let owner = try #require(centres.withUnsafeBufferPointer {
                    RoundedCentres(centres: $0.baseAddress!, count: k, dimension: d, rows: rounding)
                })
                let c = owner.view
                let width = (k + 31) / 32 * 32
                var products = [Float](repeating: 0, count: (x.count + 8) * width)
                var addresses = (0 ..< x.count + 8).map { Optional(half.row(min($0, x.count - 1))) }
                var scales = (0 ..< x.count + 8).map { half.scale[min($0, x.count - 1)] }
                products.withUnsafeMutableBufferPointer { out in
                    clus_rounded_rows_tile(half.format, &addresses, Int32(x.count), c.packed, Int32(k), Int32(half.length),
                                           out.baseAddress!, Int32(width), &scales, c.scale, nil, 0)
                }
                var list = [Int32](repeating: 0, count: k + 16)
                var checked = 0
                for i in 0 ..< x.count {
                    // Exact |x − c_j|² (Double, from the Floats) less |x − m|².
                    var exact = [Double](repeating: 0, count: k)
                    for j in 0 ..< k {
                        var s = 0.0
                        for t in 0 ..< d {
                            let e = Double(x.values[i * d + t]) - Double(centres[j * d + t])
                            s += e * e
                        }
                        exact[j] = s - half.square[i]
                    }
                    let f = half.errorFactors(i), sigma = c.epilogueRounding(document: i, half, f)
                    // A window as wide as a relative 1e-6 of the scores: the test asks for every centre within it.
                    let lowest = exact.min()!
                    let window = 1e-6 * (abs(lowest) + half.square[i])
                    let n = products.withUnsafeMutableBufferPointer { p in
                        clus_rounded_candidates(p.baseAddress! + i * width, c.bias, c.residual, c.rounded, c.slack,
                                                f.alpha, f.beta, floatAbove(window + 2 * sigma), Int32(k), &list)
                    }
                    #expect(n > 0, "\(kind) d=\(d) document \(i)")
                    let listed = Set(list.prefix(Int(max(0, n))).map(Int.init))
                    for j in 0 ..< k {
                        if exact[j] <= lowest + window {
                            #expect(listed.contains(j), "\(kind) d=\(d): centre \(j) of document \(i) missed")
                        }
                        let low = Double(products[i * width + j]) - sigma
                        #expect(low <= exact[j] + 1e-9 * abs(exact[j]), "\(kind) d=\(d): lower bound of \(j) for \(i): \(low) > \(exact[j])")
                        // The upper bound from one product (u's tightening) holds too.
                        let upper = c.upperScore(j, document: i, half)
                        #expect(upper >= exact[j] - 1e-9 * abs(exact[j]), "\(kind) d=\(d): upper bound of \(j) for \(i): \(upper) < \(exact[j])")
                        checked += 1
                    }
                }
                #expect(checked == x.count * k)
            }
        }
    }

    @Test("k-means from rounded products: plain Lloyd's labels, iterations, inertia and centres",
          arguments: formats, ["clustered", "far", "tiny", "unit", "huge"])
    func matchesPlain(format: RoundedScan, kind: String) throws {
        for (k, d) in [(30, 5), (100, 40), (64, 130)] {
            let x = Self.stressRows(kind, count: 1200, dimension: d, seed: UInt64(k + d))
            let seeds = try plusPlusSeeds(x, k: k, seed: UInt64(k))
            try expectAccelerationMatchesPlain(x, k: k, seeds: seeds, acceleration: .yinyang(groups: k / 10),
                                               rounded: format, maxIterations: 12)
        }
    }

    @Test("ties on a grid and coinciding documents come out as the Float kernel's, lowest index first", arguments: formats)
    func ties(format: RoundedScan) throws {
        for d in [2, 8, 40] {
            let x = randomRows(count: 800, dimension: d, clusters: 3, seed: 40, grid: true)
            try expectAccelerationMatchesPlain(x, k: 60, seeds: randomSeeds(60, of: x.count, seed: 41),
                                               acceleration: .yinyang(groups: 6), rounded: format)
            try expectAccelerationMatchesPlain(x, k: 40, seeds: [Int](repeating: 3, count: 40),
                                               acceleration: .yinyang(groups: 4), rounded: format)
        }
    }

    @Test("values whose rounding overflows: the copy is refused and k-means runs as without it", arguments: formats)
    func overflow(format: RoundedScan) throws {
        var values = randomRows(count: 600, dimension: 16, clusters: 4, seed: 42).values
        values[5 * 16 + 3] = .greatestFiniteMagnitude
        values[9 * 16 + 1] = -.greatestFiniteMagnitude
        let x = Embeddings(count: 600, dimension: 16, values: values)
        try x.values.withUnsafeBufferPointer { buffer in
            let rows = RowMatrix(base: try #require(buffer.baseAddress), count: 600, dimension: 16)
            let plan = ChunkPlan(count: 600, clusterCount: 40, dimension: 16)
            #expect(RoundedRows(rows: rows, plan: plan, parallelism: .serial, format: format.format) == nil)
            // Float's own scores overflow here too, so the comparison is with the Float scan, not plain Lloyd.
            var lloyd = Lloyd(rows: rows, clusterCount: 40, plan: plan, parallelism: .allCores, cancellation: nil,
                              maxIterations: 8, tolerance: 0)
            lloyd.acceleration = .yinyang(groups: 4)
            lloyd.gemmFullScan = true
            let seeds = randomSeeds(40, of: 600, seed: 43)
            lloyd.roundedScan = .off
            let float = try lloyd.run(seeds: seeds) { _ in }
            lloyd.roundedScan = format
            let half = try lloyd.run(seeds: seeds) { _ in }
            #expect(half.labels == float.labels && half.iterations == float.iterations)
            #expect(half.centroids.values.elementsEqual(float.centroids.values) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        }
    }

    @Test("the same result on 1, 2 and 8 threads", arguments: formats)
    func threads(format: RoundedScan) throws {
        let x = Self.stressRows("unit", count: 2000, dimension: 48, seed: 44)
        let seeds = randomSeeds(100, of: x.count, seed: 44)
        for threads in [1, 2, 8] {
            try expectAccelerationMatchesPlain(x, k: 100, seeds: seeds, acceleration: .yinyang(groups: 10), rounded: format,
                                               maxIterations: 10, parallelism: Parallelism(threads: threads))
        }
    }
}
