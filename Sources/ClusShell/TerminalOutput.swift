import ClusLang

/// Writes rendered results to stdout and errors to stderr (stdout in json
/// mode, so one NDJSON stream carries both).
public final class TerminalOutput: OutputSink {
    /// The settings in force: `set format=json` changes the next output.
    private let settings: () -> Settings
    /// Whether a CSV block was printed, so the next result starts after a blank line.
    private var wroteCSV = false

    public init(settings: @escaping () -> Settings) {
        self.settings = settings
    }

    private var renderer: Renderer {
        let s = settings()
        return Renderer(format: s.format, color: s.color && s.format == .table)
    }

    public func emit(_ result: TimedOutput) {
        let s = settings()
        let renderer = self.renderer
        if s.quiet, result.output.isStatus, s.format != .json { return }
        let text = renderer.render(result)
        // CSV: one blank line between consecutive results' blocks
        if s.format == .csv, !text.isEmpty {
            if wroteCSV { Console.out("\n") }
            wroteCSV = true
        }
        Console.out(text)
        if s.timer { Console.out(renderer.note("time: \(Format.seconds(result.elapsed))")) }
    }

    public func emit(_ error: LocatedDiagnostic) {
        let renderer = self.renderer
        let text = renderer.render(error)
        if settings().format == .json { Console.out(text) } else { Console.error(text) }
    }

    /// In json and csv output the echo goes to stderr, so stdout stays machine-readable.
    public func echo(_ commandText: String) {
        let line = "> " + commandText + "\n"
        if settings().format == .json || settings().format == .csv { Console.error(line) } else { Console.out(line) }
    }
}
