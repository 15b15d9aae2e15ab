/// Where long commands report how far they are; the shell draws a bar on a
/// terminal. Calls may come from worker threads.
public protocol ProgressReporter: AnyObject, Sendable {
    /// A task starts; `total` is in `unit`s ("bytes", "iterations").
    func start(_ label: String, total: Int, unit: ProgressUnit)
    /// `done` of the total so far.
    func update(done: Int)
    /// The task ended (finished, failed or cancelled): clear the bar.
    func finish()
}

/// What a progress count counts, for the rate shown.
public enum ProgressUnit: Sendable {
    case bytes, iterations, documents
}

extension Session {
    /// Runs `body` with a progress callback for a task, clearing the bar after.
    func withProgress<T>(_ label: String, unit: ProgressUnit, _ body: (((Int, Int) -> Void)?) throws -> T) rethrows -> T {
        // bars are for people reading tables, never beside json or csv
        guard let reporter = progress, settings.format == .table else { return try body(nil) }
        var started = false
        defer { if started { reporter.finish() } }
        return try body { done, total in
            if !started {
                reporter.start(label, total: total, unit: unit)
                started = true
            }
            reporter.update(done: done)
        }
    }
}
