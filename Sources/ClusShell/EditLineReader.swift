import CEditLine
import ClusLang
#if canImport(Glibc)
import Glibc
#endif

/// Line editing, history and tab completion through libedit's readline API.
public final class EditLineReader: LineReader {
    private let historyPath: String?
    private static let historyLimit: Int32 = 2000

    /// - Parameter historyPath: where history persists; nil keeps none.
    public init(historyPath: String?, completion: Completion) {
        self.historyPath = historyPath
        setlocale(LC_CTYPE, "")  // or non-ASCII input breaks
        rl_initialize()  // before the settings below, which it would reset
        // libedit keeps these pointers: give it copies that live as long as the process
        clus_rl_set_readline_name(strdup("clus"))
        if isatty(STDOUT_FILENO) == 0 { clus_rl_set_outstream(clus_stderr()) }
        EditLineReader.completion = completion
        clus_rl_set_word_break_characters(strdup(" \t\n=;{}[],"))
        clus_rl_set_completion { text, start, _ in
            guard let text else { return nil }
            let line = String(cString: clus_rl_line_buffer())
            let prefix = String(decoding: Array(line.utf8).prefix(Int(start)), as: UTF8.self)
            let candidates = EditLineReader.completion?.candidates(before: prefix, word: String(cString: text)) ?? []
            clus_rl_suppress_default_completion()
            guard !candidates.isEmpty else { return nil }
            // "truth=" wants its value next to it, not after a space
            clus_rl_set_append_character(candidates.allSatisfy { $0.hasSuffix("=") || $0.hasSuffix("/") } ? 0 : 32)
            EditLineReader.pending = candidates
            return clus_rl_completion_matches(text) { _, state in
                let list = EditLineReader.pending
                guard Int(state) < list.count else { return nil }
                return strdup(list[Int(state)])
            }
        }
        stifle_history(EditLineReader.historyLimit)
        if let historyPath { _ = read_history(historyPath) }
    }

    // libedit calls back through C function pointers, which cannot capture:
    // the completion source and the candidates live here.
    nonisolated(unsafe) private static var completion: Completion?
    nonisolated(unsafe) private static var pending: [String] = []
    nonisolated(unsafe) private static var lastEntry: String?

    public func readLine(prompt: String) -> LineInput {
        guard let raw = readline(prompt) else {
            if Interrupt.flag.isCancelled { return .interrupted }
            return .end
        }
        defer { free(raw) }
        if Interrupt.flag.isCancelled { return .interrupted }
        return .line(String(cString: raw))
    }

    public func addHistory(_ entry: String) {
        let trimmed = entry.trimmingSpaces
        guard !trimmed.isEmpty, trimmed != EditLineReader.lastEntry else { return }  // skip repeats
        EditLineReader.lastEntry = trimmed
        add_history(trimmed)
        saveHistory()
    }

    public func saveHistory() {
        guard let historyPath else { return }
        _ = write_history(historyPath)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
