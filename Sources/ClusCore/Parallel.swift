import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How many threads the numeric work may use, and the loop that spreads it.
public struct Parallelism: Sendable, Equatable {
    /// Worker threads, at least 1.
    public let threads: Int

    public init(threads: Int) { self.threads = max(1, threads) }

    /// One thread per core of this machine.
    public static var allCores: Parallelism {
        Parallelism(threads: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// One thread: for tests and tiny inputs.
    public static let serial = Parallelism(threads: 1)

    /// Runs `body(chunk)` for each chunk index in `0..<chunks`, spread over
    /// the threads. Callers keep per-chunk results in per-chunk slots and
    /// reduce them in chunk order, so results do not depend on `threads`.
    public func forEach(chunks: Int, _ body: (Int) -> Void) {
        if threads == 1 || chunks <= 1 {
            for c in 0 ..< chunks { body(c) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // Chunks write only to their own slots; the box states that promise.
            let shared = UncheckedBox(body)
            let next = NextIndex()
            DispatchQueue.concurrentPerform(iterations: min(threads, chunks)) { _ in
                while let c = next.take(below: chunks) { shared.value(c) }
            }
        }
    }

    /// As `forEach`, telling each call which worker runs it (0 ..< `threads`):
    /// for per-worker scratch whose results do not depend on which chunks a
    /// worker took (integer sums, say).
    public func forEach(chunks: Int, _ body: (_ chunk: Int, _ worker: Int) -> Void) {
        if threads == 1 || chunks <= 1 {
            for c in 0 ..< chunks { body(c, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBox(body)
            let next = NextIndex()
            DispatchQueue.concurrentPerform(iterations: min(threads, chunks)) { worker in
                while let c = next.take(below: chunks) { shared.value(c, worker) }
            }
        }
    }
}

/// A shared counter handing out chunk indices to worker threads.
private final class NextIndex: Sendable {
    private let value = Atomic<Int>(0)
    func take(below limit: Int) -> Int? {
        let i = value.add(1, ordering: .relaxed).oldValue
        return i < limit ? i : nil
    }
}

/// Hands a value to worker threads whose accesses the caller keeps disjoint.
public struct UncheckedBox<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}

extension Duration {
    /// The duration as seconds: `elapsed_s`, status lines, and the kernels' timings.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
