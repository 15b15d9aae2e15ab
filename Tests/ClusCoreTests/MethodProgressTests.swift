import Synchronization
import Testing
@testable import ClusCore

/// Progress and Ctrl-C for the methods without iterations: agglomerative
/// clustering and HDBSCAN report their steps and stop at a cancellation
/// within a row of work, on any thread count.
@Suite("agglomerative and HDBSCAN: progress and cancellation")
struct MethodProgressTests {
    /// 600 documents of 16 numbers around 6 centres.
    static let x: Embeddings = {
        var rng = SeededGenerator(seed: 15)
        let rows = (0 ..< 600).map { i in
            (0 ..< 16).map { t in Float(t % 6 == i % 6 ? 4 : 0) + Float.random(in: -1 ... 1, using: &rng) }
        }
        return Embeddings(rows: rows)
    }()

    static let threads = Parallelism(threads: 4)

    /// Every (done, total) a run reports, from whichever thread.
    final class Reports: @unchecked Sendable {
        private let seen = Mutex<[(Int, Int)]>([])
        func append(_ done: Int, _ total: Int) { seen.withLock { $0.append((done, total)) } }
        var all: [(done: Int, total: Int)] { seen.withLock { $0.map { (done: $0.0, total: $0.1) } } }
    }

    /// Reports rise to the total, and the labels are those of a run without progress.
    func expectFullProgress(total: Int, _ run: (ProgressCallback?) throws -> [Int]) throws {
        let reports = Reports()
        let labels = try run(reports.append)
        let seen = reports.all
        #expect(seen.allSatisfy { $0.total == total })
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.done < $1.done }, "reports go backwards")
        #expect(seen.last?.done == total)
        #expect(seen.count > 10)
        #expect(try run(nil) == labels)
    }

    @Test("agglomerative reports rows of distances then merges (single: the tree's steps), to the total")
    func agglomerativeProgress() throws {
        let n = Self.x.count
        for linkage in Linkage.allCases {
            try expectFullProgress(total: linkage == .single ? n - 1 : 2 * n - 1) { progress in
                try agglomerative(Self.x, clusterCount: 6, linkage: linkage, parallelism: Self.threads, progress: progress)
            }
        }
    }

    @Test("HDBSCAN reports core distances then the tree's steps, to the total")
    func hdbscanProgress() throws {
        let n = Self.x.count
        for minSamples in [1, 5] {
            try expectFullProgress(total: 2 * n - 1) { progress in
                try hdbscan(Self.x, options: HDBSCANOptions(minClusterSize: 5, minSamples: minSamples),
                            parallelism: Self.threads, progress: progress)
            }
        }
    }

    @Test("a flag set before the start stops both at once, with no progress")
    func preCancelled() {
        let flag = Cancellation()
        flag.cancel()
        let reports = Reports()
        for linkage in Linkage.allCases {
            #expect(throws: Cancelled.self) {
                try agglomerative(Self.x, clusterCount: 6, linkage: linkage, cancellation: flag, progress: reports.append)
            }
        }
        #expect(throws: Cancelled.self) {
            try hdbscan(Self.x, cancellation: flag, progress: reports.append)
        }
        #expect(reports.all.isEmpty)
    }

    /// Runs `run` with a flag set once `cancelAt` steps are reported; it must
    /// throw Cancelled having done at most a row or two per thread more.
    func expectStop(at cancelAt: Int, _ label: String,
                    _ run: (Cancellation, ProgressCallback?) throws -> [Int]) {
        let flag = Cancellation()
        let reports = Reports()
        #expect(throws: Cancelled.self, "\(label)") {
            try run(flag) { done, total in
                reports.append(done, total)
                if done >= cancelAt { flag.cancel() }
            }
        }
        let last = reports.all.last?.done ?? 0
        #expect(last >= cancelAt, "\(label): never got to \(cancelAt)")
        #expect(last <= cancelAt + 2 * Self.threads.threads, "\(label): went on to \(last) after the flag at \(cancelAt)")
    }

    @Test("a flag set mid-way stops agglomerative within a row of the distances, a merge or a step of the tree")
    func agglomerativeCancelledMidway() {
        let n = Self.x.count
        for linkage in Linkage.allCases {
            let points = linkage == .single ? [n / 2] : [1, n / 2, n + n / 2]  // distances, then merges
            for cancelAt in points {
                expectStop(at: cancelAt, "\(linkage) at \(cancelAt)") { flag, progress in
                    try agglomerative(Self.x, clusterCount: 6, linkage: linkage, parallelism: Self.threads,
                                      cancellation: flag, progress: progress)
                }
            }
        }
    }

    @Test("a flag set mid-way stops HDBSCAN within a row of core distances or a step of the tree")
    func hdbscanCancelledMidway() {
        let n = Self.x.count
        for cancelAt in [1, n / 2, n + n / 2, 2 * n - 1] {  // the last: after the tree, before the condensed tree
            expectStop(at: cancelAt, "hdbscan at \(cancelAt)") { flag, progress in
                try hdbscan(Self.x, options: HDBSCANOptions(minClusterSize: 5), parallelism: Self.threads,
                            cancellation: flag, progress: progress)
            }
        }
    }
}
