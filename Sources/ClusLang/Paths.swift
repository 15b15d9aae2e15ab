import ClusData

/// A path as the user wrote it, with `~/` read as the home folder: every
/// `.path` parameter is resolved once when its command's arguments are bound
/// (and `into=` when it is written).
func resolvedPath(_ path: String) -> String {
    guard path.hasPrefix("~/"), let home = getenvString("HOME") else { return path }
    return home + path.dropFirst()
}

extension Interpreter {
    /// Writes a whole file or nothing (temporary file, fsync, rename): charts,
    /// reports and `into=` results.
    func writeFile(_ text: String, to path: String, at range: SourceRange?) throws(Diagnostic) {
        do {
            var file = try AtomicFile(path: resolvedPath(path))
            try file.write(text)
            try file.commit()
        } catch {
            throw Diagnostic(error.description, at: range)
        }
    }
}
