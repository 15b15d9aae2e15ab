import ClusCore
import ClusData

extension Interpreter {
    func export(_ arguments: BoundArguments) throws -> CommandResult {
        guard let path = arguments.text(at: 0) else { throw Diagnostic("export needs a path") }
        let d = try session.currentDataset()
        let options = ExportOptions(
            format: arguments.text("format").flatMap(ExportFormat.init(rawValue:)),
            aliases: names(arguments, "aliases"),
            fields: names(arguments, "fields")
        )
        let format = options.format ?? ExportFormat(path: path)
        do {
            try DatasetWriter.write(d, to: expandingTilde(path), options: options, cancellation: session.cancellation)
        } catch let error as DataError {
            let range = error.message.hasPrefix("no alias") ? arguments.range(of: "aliases")
                : error.message.hasPrefix("no field") ? arguments.range(of: "fields") : arguments.positionals.first?.range
            throw Diagnostic(error.description, at: range)
        }
        let aliases = options.aliases ?? d.clusterings.map(\.alias)
        var summary = "exported \(d.name): \(Format.count(d.count)) documents to \(path) (\(format.rawValue))"
        if !aliases.isEmpty { summary += " · aliases: " + aliases.joined(separator: ", ") }
        return CommandResult(command: "export", values: [
            JSONMember("dataset", .string(d.name)),
            JSONMember("path", .string(path)),
            JSONMember("format", .string(format.rawValue)),
            JSONMember("documents", .int(d.count)),
            JSONMember("aliases", .array(aliases.map(JSONValue.string))),
        ], blocks: [.text(summary)], isStatus: true)
    }

    /// A list option given as `[a, b]` or `"a,b"`.
    private func names(_ arguments: BoundArguments, _ option: String) -> [String]? {
        guard let value = arguments.value(option) else { return nil }
        let items: [String] = if case .list(let values) = value { values.map(\.description) }
            else { value.description.split(separator: ",").map(String.init) }
        return items.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }
}

private extension String {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
