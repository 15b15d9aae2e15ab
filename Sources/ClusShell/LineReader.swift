/// What one read from the user gave.
public enum LineInput: Sendable, Equatable {
    case line(String)
    /// Ctrl-D or the end of a pipe.
    case end
    /// Ctrl-C while reading: discard what was typed.
    case interrupted
}

/// Reads lines with a prompt (libedit on a terminal; a script or pipe is read
/// whole and never touches the line editor).
public protocol LineReader: AnyObject {
    func readLine(prompt: String) -> LineInput
    /// Remembers a complete (possibly multi-line) entry in the history.
    func addHistory(_ entry: String)
    /// Saves the history, if this reader keeps one.
    func saveHistory()
}
