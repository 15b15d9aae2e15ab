import Foundation
import Testing
@testable import ClusCore

/// Release timings for Scripts/bench/methods.py: reads its plan (one case a
/// line: kind, raw float32 file, n, k or min_cluster_size) and prints
/// "BENCH<TAB>case<TAB>median seconds" lines that the script matches by case name.
@Suite("clustering methods benchmark", .enabled(if: ProcessInfo.processInfo.environment["CLUS_BENCH"] != nil))
struct MethodBenchmark {
    @Test("the plan's cases, median of CLUS_BENCH_REPEATS runs")
    func timings() throws {
        let environment = ProcessInfo.processInfo.environment
        let plan = try String(contentsOfFile: try #require(environment["CLUS_BENCH"]), encoding: .utf8)
        let repeats = Int(environment["CLUS_BENCH_REPEATS"] ?? "3") ?? 3
        let d = 512
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
            let fields = line.split(separator: " ").map(String.init)
            let kind = fields[0], n = try #require(Int(fields[2])), k = try #require(Int(fields[3]))
            let bytes = try Data(contentsOf: URL(fileURLWithPath: fields[1]))
            let x = Embeddings(count: n, dimension: d, values: bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
            switch kind {
            case "kmeans":
                try x.values.withUnsafeBufferPointer { buffer in
                    let rows = RowMatrix(base: try #require(buffer.baseAddress), count: n, dimension: d)
                    let plan = ChunkPlan(count: n, clusterCount: k, dimension: d)
                    var seeds: [Int] = []
                    let initTime = try median(repeats) {
                        var generator = SeededGenerator(seed: 0)
                        seeds = try kMeansPlusPlus(rows, clusterCount: k, generator: &generator, plan: plan,
                                                   parallelism: .allCores, cancellation: nil)
                    }
                    func lloyd(_ iterations: Int, bounded: Bool) -> Lloyd {
                        var lloyd = Lloyd(rows: rows, clusterCount: k, plan: plan, parallelism: .allCores,
                                          cancellation: nil, maxIterations: iterations, tolerance: 0)
                        lloyd.bounded = bounded
                        return lloyd
                    }
                    func perIteration(bounded: Bool) throws -> Double {
                        var done = (one: 0, many: 0)
                        let one = try median(repeats) { done.one = try lloyd(1, bounded: bounded).run(seeds: seeds) { _ in }.iterations }
                        let many = try median(repeats) { done.many = try lloyd(21, bounded: bounded).run(seeds: seeds) { _ in }.iterations }
                        return (many - one) / Double(max(1, done.many - done.one))
                    }
                    report("k-means++ init n=\(n) k=\(k)", initTime)
                    report("Lloyd per iteration n=\(n) k=\(k)", try perIteration(bounded: true))
                    // CLUS_BENCH_PLAIN=1: also without Hamerly's bounds, for before/after.
                    if environment["CLUS_BENCH_PLAIN"] == "1" {
                        report("Lloyd per iteration, plain, n=\(n) k=\(k)", try perIteration(bounded: false))
                    }
                }
            case "minibatch":
                report("mini-batch k-means n=\(n) k=\(k) (fit)", try median(repeats) {
                    _ = try miniBatchKMeans(x, options: MiniBatchKMeansOptions(clusterCount: k, batchSize: 1024, seed: 0))
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
