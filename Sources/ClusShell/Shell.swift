import ClusLang
#if canImport(Glibc)
import Glibc
#endif

/// The read–run–print loop and the script runner, with their exit codes.
public struct Shell {
    /// Exit statuses, as the README gives them.
    public enum ExitStatus: Int32, Sendable {
        case ok = 0, scriptError = 1, usage = 2, interrupted = 130
    }

    public let session: Session
    public let output: TerminalOutput

    public init(session: Session, output: TerminalOutput) {
        self.session = session
        self.output = output
    }

    private var interpreter: Interpreter { Interpreter(session: session, output: output) }

    /// Runs a whole script (a file, `-c` text, or piped stdin).
    public func runScript(_ source: SourceFile) -> ExitStatus {
        switch interpreter.run(source) {
        case .completed, .quit: return .ok
        case .failed: return .scriptError
        case .interrupted: return .interrupted
        }
    }

    /// The interactive loop: prompt, read until the input is complete, run.
    public func runInteractive(reader: LineReader, completion: Completion?) -> ExitStatus {
        if !session.settings.quiet {
            Console.error("clus — evaluate clusterings of embeddings. 'help' lists the commands, Ctrl-D leaves.\n")
        }
        var entry = 1
        var pending = ""
        while true {
            completion.map(refresh)
            Interrupt.flag.reset()
            let prompt = pending.isEmpty ? "clus> " : " ...> "
            switch reader.readLine(prompt: prompt) {
            case .end:
                if !pending.isEmpty { Console.error("\n") }
                reader.saveHistory()
                return .ok
            case .interrupted:
                // Ctrl-C discards the pending input and keeps the shell
                pending = ""
                Console.error("^C\n")
                continue
            case .line(let line):
                pending += pending.isEmpty ? line : "\n" + line
            }
            let source = SourceFile(name: "<input \(entry)>", text: pending)
            do throws(ParseFailure) {
                _ = try Parser.parse(source)
            } catch {
                // an open block, list or string: read another line; errors
                // are reported by the interpreter, with the caret
                if case .incomplete = error { continue }
            }
            reader.addHistory(redactingPasswords(pending))   // a connection string's password stays out of ~/.clus_history
            pending = ""
            entry += 1
            if interpreter.run(source) == .quit {
                reader.saveHistory()
                return .ok
            }
        }
    }

    private func refresh(_ completion: Completion) {
        let names = session.namesForCompletion()
        completion.fields = names.fields
        completion.vectorFields = names.vectorFields
        completion.aliases = names.aliases
        completion.datasets = names.datasets
    }
}
