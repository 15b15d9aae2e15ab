import Synchronization

/// A flag a long computation checks between blocks of work, so the shell can
/// stop it (Ctrl-C) without killing the process.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks the computation to stop at its next check.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    /// Clears the request, before the next command starts.
    public func reset() { flag.store(false, ordering: .relaxed) }

    /// Whether a stop was requested.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// Throws `Cancelled` when a stop was requested.
    public func check() throws(Cancelled) {
        if isCancelled { throw Cancelled() }
    }
}

/// Thrown by a computation that stopped because it was asked to.
public struct Cancelled: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
