import ClusLang

/// Writes rendered results to stdout and errors to stderr (stdout in json
/// mode, so one NDJSON stream carries both).
public final class TerminalOutput: OutputSink {
    /// The settings in force: `set format=json` changes the next output.
    private let settings: () -> Settings

    public init(settings: @escaping () -> Settings) {
        self.settings = settings
    }

    private var renderer: Renderer {
        let s = settings()
        return Renderer(format: s.format, color: s.color && s.format == .table)
    }

    public func emit(_ result: CommandResult, elapsed: Double) {
        let s = settings()
        let renderer = self.renderer
        if s.quiet, result.isStatus, s.format != .json { return }
        Console.out(renderer.render(result, elapsed: elapsed))
        if s.timer, s.format == .table || s.format == .markdown {
            Console.out(renderer.render(CommandResult(command: "timer", values: [], blocks: [.text("time: \(formatSeconds(elapsed))", .dim)])))
        }
    }

    public func emit(_ error: LocatedDiagnostic) {
        let renderer = self.renderer
        let text = renderer.render(error)
        if settings().format == .json { Console.out(text) } else { Console.error(text) }
    }

    public func echo(_ commandText: String) {
        if settings().format == .json { return }
        Console.out("> " + commandText + "\n")
    }
}

/// 0.4 ms, 413 ms, 2.051 s
func formatSeconds(_ s: Double) -> String {
    if s < 0.01 { return String(Double(Int(s * 10_000)) / 10) + " ms" }
    return s < 1 ? String(Int((s * 1000).rounded())) + " ms" : String(Double(Int(s * 1000)) / 1000) + " s"
}
