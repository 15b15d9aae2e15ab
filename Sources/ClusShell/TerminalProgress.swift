import ClusLang
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A progress bar on stderr: done/total, rate and time left, redrawn at most
/// ten times a second, shown only for tasks that last over a third of a second.
public final class TerminalProgress: ProgressReporter {
    private struct State {
        var label = ""
        var total = 0
        var unit = ProgressUnit.iterations
        var started = 0.0
        var lastDraw = 0.0
        var drawn = false
    }

    private let state = Mutex(State())

    public init() {}

    public func start(_ label: String, total: Int, unit: ProgressUnit) {
        state.withLock { $0 = State(label: label, total: total, unit: unit, started: now(), lastDraw: 0, drawn: false) }
    }

    public func update(done: Int) {
        let line: String? = state.withLock { s in
            let t = now()
            guard t - s.started > 0.33, t - s.lastDraw >= 0.1 else { return nil }
            s.lastDraw = t
            s.drawn = true
            return render(s, done: done, elapsed: t - s.started)
        }
        if let line { Console.error("\r" + line + "\u{1B}[K") }
    }

    public func finish() {
        let drawn = state.withLock { s in
            defer { s.drawn = false }
            return s.drawn
        }
        if drawn { Console.error("\r\u{1B}[K") }
    }

    private func render(_ s: State, done: Int, elapsed: Double) -> String {
        let fraction = s.total > 0 ? min(1, Double(done) / Double(s.total)) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = Double(done) / max(elapsed, 1e-9)
        let left = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let counts: String
        switch s.unit {
        case .bytes: counts = "\(megabytes(done))/\(megabytes(s.total)) MB, \(megabytes(Int(rate))) MB/s"
        case .iterations: counts = "\(done)/\(s.total) iterations, \(oneDecimal(rate))/s"
        case .documents: counts = "\(done)/\(s.total) documents, \(Int(rate))/s"
        }
        // no estimate before anything is done
        return "\(s.label) \(bar) \(Int(fraction * 100))% \(counts)" + (done > 0 ? ", \(Int(left.rounded())) s left" : "")
    }

    private func megabytes(_ bytes: Int) -> String { oneDecimal(Double(bytes) / 1_048_576) }
    private func oneDecimal(_ x: Double) -> String { String(Double(Int(x * 10)) / 10) }

    private func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
