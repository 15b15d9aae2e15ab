import ClusLang

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
        let used = Set(words.compactMap { $0.split(separator: "=").first.map(String.init) })
        let options = spec.options.map { $0.name + "=" }.filter { !used.contains(String($0.dropLast())) }
        let positional = spec.positionals.first.map { values(for: $0.kind) } ?? []
        return (options + positional).filter { $0.hasPrefix(word) }.sorted()
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
