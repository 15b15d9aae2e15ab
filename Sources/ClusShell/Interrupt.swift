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
    public static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in Interrupt.flag.cancel() }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }
}
