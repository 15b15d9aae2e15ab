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
            if optionName == "into" { return paths(completing: word) }
            return values(for: optionName, spec.option(optionName)?.kind).filter { $0.hasPrefix(word) }.sorted()
        }
        if let last = words.last, last.hasPrefix("into="), !statement.hasSuffix(" ") { return paths(completing: word) }
        if wantsPath(spec, words: words, statement: statement) {
            // `load sq<TAB>`: the database words beside the files
            let first = words.count == (statement.hasSuffix(" ") ? 1 : 2)
            return (first ? spec.sources.filter { $0.hasPrefix(word) } : []) + paths(completing: word)
        }
        let used = Set(words.compactMap { $0.split(separator: "=").first.map(String.init) })
        // into= keeps any command's result in a file
        let options = (spec.options.map(\.name) + (spec.givesResult ? ["into"] : []))
            .filter { !used.contains($0) }.map { $0 + "=" }
        let positional = spec.positionals.first.map { values(for: $0.name, $0.kind) } ?? []
        return (options + positional).filter { $0.hasPrefix(word) }.sorted()
    }

    /// Whether the word being typed is a path: a path positional (`load PATH`,
    /// `plot silhouette into PATH`), quoted or not, or any word after `into`.
    private func wantsPath(_ spec: CommandSpec, words: [String], statement: Substring) -> Bool {
        let typing = statement.hasSuffix(" ") ? words.count : words.count - 1  // index of the word being typed
        let previous = typing >= 1 && typing - 1 < words.count ? words[typing - 1] : ""
        if previous == "into" { return true }
        var positionals = words.dropFirst().prefix(max(0, typing - 1)).filter { !$0.contains("=") && $0 != "into" && $0 != "as" }
        if let first = positionals.first, spec.sources.contains(first) { positionals.removeFirst() }
        guard positionals.count < spec.positionals.count else { return false }
        let parameter = spec.positionals[positionals.count]
        return parameter.kind == .path && parameter.keyword == nil
    }

    /// Files and folders for a path, quoted or not: `"Tests/Go` →
    /// `"Tests/Golden/`; a quoted file gets its closing quote.
    func paths(completing word: String) -> [String] {
        let quote = word.hasPrefix("\"") || word.hasPrefix("'") ? String(word.prefix(1)) : ""
        let typed = String(word.dropFirst(quote.count))
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

    /// What a parameter can take: names of the session for field, alias and
    /// dataset parameters (`fields=` and `aliases=` lists too), command names for `help`,
    /// topics for `explain` (which takes any name a result prints, so its parameter is text).
    private func values(for name: String, _ kind: CommandSpec.ValueKind?) -> [String] {
        switch name {
        case "fields": return fields + vectorFields
        case "aliases": return aliases
        case "command": return Commands.all.map(\.name) + Commands.keywords
        case "topic": return Commands.explainTopics
        default: break
        }
        return switch kind {
        case .field: fields
        case .vectorField: vectorFields
        case .alias: aliases
        case .dataset: datasets
        case .choice(let options): options
        case .flag: ["on", "off"]
        default: []
        }
    }
}
