import Foundation
import Testing
@testable import ClusCore

/// Release timings for Scripts/bench/methods.py (k-means) and hierarchy.py
/// (ward, HDBSCAN): reads a plan (one case a line, fields as below) and prints
/// "BENCH<TAB>case<TAB>median seconds" lines that the script matches by case name.
@Suite("clustering methods benchmark", .enabled(if: ProcessInfo.processInfo.environment["CLUS_BENCH"] != nil))
struct MethodBenchmark {
    @Test("the plan's cases, median of CLUS_BENCH_REPEATS runs")
    func timings() throws {
        let environment = ProcessInfo.processInfo.environment
        let plan = try String(contentsOfFile: try #require(environment["CLUS_BENCH"]), encoding: .utf8)
        let repeats = Int(environment["CLUS_BENCH_REPEATS"] ?? "3") ?? 3
        let clock = ContinuousClock()

        func median(_ times: Int, _ body: () throws -> Void) rethrows -> Double {
            var samples: [Double] = []
            for _ in 0 ..< times {
                let elapsed = try clock.measure(body)
                samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            }
            return samples.sorted()[samples.count / 2]
        }
        func report(_ name: String, _ seconds: Double) {
            print("BENCH\t\(name)\t\(seconds)")
        }

        for line in plan.split(separator: "\n") {
            // kmeans path n d k m repeats seeds | minibatch path n d k | ward/hdbscan path n k (d = 512)
            let fields = line.split(separator: " ").map(String.init)
            let kind = fields[0], n = try #require(Int(fields[2]))
            let hierarchy = kind == "ward" || kind == "hdbscan"
            let d = hierarchy ? 512 : try #require(Int(fields[3]))
            let k = try #require(Int(fields[hierarchy ? 3 : 4]))
            let bytes = try Data(contentsOf: URL(fileURLWithPath: fields[1]))
            let x = Embeddings(count: n, dimension: d, values: bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
            switch kind {
            case "kmeans":
                let m = try #require(Int(fields[5])), runs = try #require(Int(fields[6]))
                let seedBytes = try Data(contentsOf: URL(fileURLWithPath: fields[7]))
                let seeds = seedBytes.withUnsafeBytes { $0.bindMemory(to: Int64.self).map { Int($0) } }
                try x.values.withUnsafeBufferPointer { buffer in
                    let rows = RowMatrix(base: try #require(buffer.baseAddress), count: n, dimension: d)
                    let plan = ChunkPlan(count: n, clusterCount: k, dimension: d)
                    func lloyd(_ iterations: Int, bounded: Bool) -> Lloyd {
                        var lloyd = Lloyd(rows: rows, clusterCount: k, plan: plan, parallelism: .allCores,
                                          cancellation: nil, maxIterations: iterations, tolerance: 0)
                        lloyd.bounded = bounded
                        // CLUS_BENCH_ACCELERATION=hamerly or yinyang:t: those bounds instead of clus's choice, for before/after.
                        if bounded, let a = environment["CLUS_BENCH_ACCELERATION"] {
                            if a == "hamerly" { lloyd.acceleration = .hamerly }
                            if a.hasPrefix("yinyang:"), let t = Int(a.dropFirst(8)) { lloyd.acceleration = .yinyang(groups: t) }
                        }
                        // CLUS_BENCH_ROUNDED=off, bfloat16 or int16: the full scan's rounded products off or
                        // in that format, for before/after; unset: as clus chooses. The first pass times a
                        // given format against the Float scans as clus would (methods.py --as-cpu).
                        lloyd.roundedScan = switch environment["CLUS_BENCH_ROUNDED"] {
                        case "off": .off
                        case "bfloat16": .bfloat16
                        case "int16": .int16
                        default: .automatic
                        }
                        lloyd.roundedScanTimed = true
                        // CLUS_BENCH_FILTERING=always: Yinyang filters on every pass (before the timed
                        // choice of passes without them), for before/after in one binary.
                        lloyd.yinyangFiltering = environment["CLUS_BENCH_FILTERING"] == "always" ? .always : .timed
                        return lloyd
                    }
                    func perIteration(bounded: Bool) throws -> Double {
                        var done = (one: 0, many: 0)
                        let one = try median(runs) { done.one = try lloyd(1, bounded: bounded).run(seeds: seeds) { _ in }.iterations }
                        let many = try median(runs) { done.many = try lloyd(1 + m, bounded: bounded).run(seeds: seeds) { _ in }.iterations }
                        return (many - one) / Double(max(1, done.many - done.one))
                    }
                    let bounds = switch lloyd(1, bounded: true).resolvedAcceleration {
                    case .yinyang(let groups): "Yinyang t=\(groups)"
                    case .hamerly: "Hamerly"
                    default: "none"
                    }
                    print("BENCH\tLloyd per iteration n=\(n) k=\(k) d=\(d)\t\(try perIteration(bounded: true))\t\(bounds)")
                    // CLUS_BENCH_PLAIN=1: also without bounds, for before/after.
                    if environment["CLUS_BENCH_PLAIN"] == "1" {
                        report("Lloyd per iteration, plain, n=\(n) k=\(k) d=\(d)", try perIteration(bounded: false))
                    }
                }
            case "minibatch":
                // one epoch, early stopping off (as methods.py asks scikit-learn)
                let options = MiniBatchKMeansOptions(clusterCount: k, batchSize: 1024, maxIterations: 1,
                                                     maxNoImprovement: .max, seed: 0)
                report("mini-batch k-means n=\(n) k=\(k) d=\(d) (\(n / 1024) steps)", try median(repeats) {
                    _ = try miniBatchKMeans(x, options: options)
                })
            case "ward":
                report("agglomerative ward n=\(n) k=\(k)", try median(n > 10000 ? 1 : repeats) {
                    _ = try agglomerative(x, clusterCount: k, linkage: .ward)
                })
            case "hdbscan":
                report("HDBSCAN n=\(n) min_cluster_size=\(k)", try median(n > 5000 ? 1 : repeats) {
                    _ = try hdbscan(x, options: HDBSCANOptions(minClusterSize: k))
                })
            default:
                Issue.record("unknown benchmark kind \(kind)")
            }
        }
    }
}
