#if canImport(Glibc)
import Glibc
#endif

/// `pause` on a terminal: the text, then a wait for Enter.
public enum TerminalPause {
    /// Shows `text` and reads standard input up to a newline. Ctrl-C ends the
    /// read (the SIGINT handler has no SA_RESTART) and sets the session's
    /// flag, so the script stops; at the end of input (Ctrl-D) it goes on.
    public static func wait(_ text: String) {
        Console.out("\(text) ⏎ ")
        var byte: UInt8 = 0
        // byte by byte through the descriptor: nothing is read beyond the line
        while read(STDIN_FILENO, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return }
        }
        Console.out("\n")
    }
}
