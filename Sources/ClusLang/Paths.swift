import ClusData

extension Interpreter {
    /// `~/x` as the user's home; every path a command is given goes through here.
    func expandingTilde(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = getenvString("HOME") else { return path }
        return home + path.dropFirst()
    }

    /// Writes a whole file or nothing (temporary file, fsync, rename): charts,
    /// reports and `into=` results.
    func writeFile(_ text: String, to path: String, at range: SourceRange?) throws(Diagnostic) {
        do {
            var file = try AtomicFile(path: expandingTilde(path))
            try file.write(text)
            try file.commit()
        } catch {
            throw Diagnostic(error.description, at: range)
        }
    }
}
