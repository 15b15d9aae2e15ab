import ClusCore
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C handling: the signal handler only sets a flag; long computations
/// check it and the shell reads it between commands.
public enum Interrupt {
    /// Set by SIGINT; the session's computations check it.
    public static let flag = Cancellation()

    /// Installs the SIGINT handler, without SA_RESTART so a blocked read returns.
    /// A SIGINT the parent chose to ignore (a background job) stays ignored.
    public static func install() {
        // Made now: a lazy global first touched inside the handler would run
        // swift_once there, which is not async-signal-safe. The handler itself
        // is one lock-free atomic store.
        _ = flag
        var previous = sigaction()
        sigaction(SIGINT, nil, &previous)
        if let handler = previous.__sigaction_handler.sa_handler,
           unsafeBitCast(handler, to: Int.self) == 1 { return }  // SIG_IGN is the handler address 1
        // a parent may hand down a blocked SIGINT (test runners do)
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGINT)
        sigprocmask(SIG_UNBLOCK, &mask, nil)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in Interrupt.flag.cancel() }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }
}
