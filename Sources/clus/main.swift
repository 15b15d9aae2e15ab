import ArgumentParser
import ClusCore
import ClusLang
import ClusShell
#if canImport(Glibc)
import Glibc
#endif

// arguments → session → shell or script runner → exit status
let options: Options
do {
    options = try Options.parse(Options.separatingScript(Array(CommandLine.arguments.dropFirst())))
} catch {
    if Options.exitCode(for: error) == .success {
        // --version adds what the numeric kernels run on here (loading OpenBLAS to tell)
        if CommandLine.arguments.dropFirst().first == "--version" {
            print(Options.configuration.version)
            print("euclidean distances: \(euclideanTilesDescription)")
            print("BLAS (k-means, HDBSCAN): \(BLASStatus.current.summary)")
            exit(0)
        }
        Options.exit(withError: error)  // --help
    }
    Console.error(Options.fullMessage(for: error) + "\n")
    exit(Shell.ExitStatus.usage.rawValue)
}
Interrupt.install()
exit(run(options).rawValue)

/// Runs the shell or the script. The session lives only in here, so it is
/// freed before `exit`: LeakSanitizer then sees a clean heap (it cannot follow
/// the tagged pointers of Swift's enum payloads in a still-live session).
func run(_ options: Options) -> Shell.ExitStatus {
    let session = Session(settings: options.settings, cancellation: Interrupt.flag)
    session.scriptArguments = options.scriptArguments
    session.settings.width = terminalWidth()
    // bars only where a person watches: stderr on a terminal, table output
    if isatty(STDERR_FILENO) == 1, options.format == .table, !options.quiet { session.progress = TerminalProgress() }
    // pause waits only where a person reads and can press Enter
    if isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1, options.format == .table { session.waitForEnter = TerminalPause.wait }
    let output = TerminalOutput(settings: { session.settings })
    let shell = Shell(session: session, output: output)
    switch options.input {
    case .source(let source): return shell.runScript(source)
    case .interactive:
        let completion = Completion()
        return shell.runInteractive(reader: EditLineReader(historyPath: options.historyPath, completion: completion), completion: completion)
    case .unreadable(let message):
        Console.error("clus: \(message)\n")
        return .usage
    }
}

/// Columns of the terminal on stdout, $COLUMNS, or 80.
func terminalWidth() -> Int {
    var size = winsize()
    if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), columns > 0 { return columns }
    return 80
}
