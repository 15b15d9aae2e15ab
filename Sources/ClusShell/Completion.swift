import ClusLang
#if canImport(Glibc)
import Glibc
#endif

/// Tab completion from the command specs: command names, then the options of
/// the command being typed, then known values (fields, aliases, datasets).
public final class Completion {
    /// Names known in the session, refreshed by the shell after each command.
    public var fields: [String] = []
    public var vectorFields: [String] = []
    public var aliases: [String] = []
    public var datasets: [String] = []

    public init() {}

    /// Candidates for `word`, given the text of the line before it.
    public func candidates(before prefix: String, word: String) -> [String] {
        let statement = prefix.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ";" || $0 == "{" || $0 == "}" }).last ?? ""
        let words = statement.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let commandName = words.first else {
            return (Commands.all.map(\.name) + Commands.keywords).filter { $0.hasPrefix(word) }.sorted()
        }
        guard let spec = Commands.spec(named: commandName) else { return [] }
        if statement.hasSuffix("=") || (words.last?.hasSuffix("=") == true && !statement.hasSuffix(" ")) {
            let optionName = String((words.last ?? "").dropLast())
            return values(for: spec.option(optionName)?.kind).filter { $0.hasPrefix(word) }.sorted()
        }
        if word.hasPrefix("\"") || word.hasPrefix("'"),
           spec.positionals.first?.kind == .path, words.count == 1 || (words.count == 2 && !statement.hasSuffix(" ")) {
            return paths(completing: word)
        }
        let used = Set(words.compactMap { $0.split(separator: "=").first.map(String.init) })
        let options = spec.options.map { $0.name + "=" }.filter { !used.contains(String($0.dropLast())) }
        let positional = spec.positionals.first.map { values(for: $0.kind) } ?? []
        return (options + positional).filter { $0.hasPrefix(word) }.sorted()
    }

    /// Files and folders for a quoted path: `"Tests/Go` → `"Tests/Golden/`;
    /// a file gets its closing quote.
    func paths(completing word: String) -> [String] {
        let quote = String(word.prefix(1))
        let typed = String(word.dropFirst())
        let slash = typed.lastIndex(of: "/")
        let folder = slash.map { String(typed[...$0]) } ?? ""
        let stem = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        guard let dir = opendir(folder.isEmpty ? "." : folder) else { return [] }
        defer { closedir(dir) }
        var found: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasPrefix(stem), name != ".", name != "..", !name.hasPrefix(".") || stem.hasPrefix(".") else { continue }
            var info = stat()
            let isFolder = stat(folder + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            found.append(quote + folder + name + (isFolder ? "/" : quote))
        }
        return found.sorted()
    }

    private func values(for kind: CommandSpec.ValueKind?) -> [String] {
        switch kind {
        case .field: fields
        case .vectorField: vectorFields
        case .alias: aliases
        case .dataset: datasets
        case .choice(let options): options
        case .flag: ["on", "off"]
        case .text: Commands.all.map(\.name)
        default: []
        }
    }
}
