/// What one read from the user gave.
public enum LineInput: Sendable, Equatable {
    case line(String)
    /// Ctrl-D or the end of a pipe.
    case end
    /// Ctrl-C while reading: discard what was typed.
    case interrupted
}

/// Reads lines with a prompt: libedit on a terminal, plain reads otherwise,
/// so golden tests and pipes never touch the line editor.
public protocol LineReader: AnyObject {
    func readLine(prompt: String) -> LineInput
    /// Remembers a complete (possibly multi-line) entry in the history.
    func addHistory(_ entry: String)
    /// Saves the history, if this reader keeps one.
    func saveHistory()
}

/// Reads standard input line by line, with no prompt and no editing.
public final class PlainLineReader: LineReader {
    public init() {}

    public func readLine(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else {
            return Interrupt.flag.isCancelled ? .interrupted : .end
        }
        return .line(line)
    }

    public func addHistory(_ entry: String) {}
    public func saveHistory() {}
}
