import ClusLang

/// Writes rendered results to stdout and errors to stderr (stdout in json
/// mode, so one NDJSON stream carries both).
public final class TerminalOutput: OutputSink {
    public var renderer: Renderer
    public var quiet: Bool
    /// Whether any error was reported.
    public private(set) var sawError = false

    public init(renderer: Renderer, quiet: Bool) {
        self.renderer = renderer
        self.quiet = quiet
    }

    public func emit(_ result: CommandResult, elapsed: Double) {
        if quiet, result.isStatus, renderer.format != .json { return }
        Console.out(renderer.render(result, elapsed: elapsed))
    }

    public func emit(_ error: LocatedDiagnostic) {
        sawError = true
        let text = renderer.render(error)
        if renderer.format == .json { Console.out(text) } else { Console.error(text) }
    }

    public func echo(_ commandText: String) {
        if renderer.format == .json { return }
        Console.out("> " + commandText + "\n")
    }

}
