import ClusData

extension Interpreter {
    func export(_ arguments: BoundArguments) throws -> ExportResult {
        guard let path = arguments.text(at: 0) else { throw Diagnostic("export needs a path") }
        let d = try session.currentDataset()
        let options = ExportOptions(
            format: arguments.text("format").flatMap(ExportFormat.init(rawValue:)),
            aliases: arguments.list("aliases"),
            fields: arguments.list("fields")
        )
        do {
            try DatasetWriter.write(d, to: path, options: options, cancellation: session.cancellation)
        } catch let error as DataError {
            let range = error.message.hasPrefix("no alias") ? arguments.range(of: "aliases")
                : error.message.hasPrefix("no field") ? arguments.range(of: "fields") : arguments.positionals.first?.range
            throw Diagnostic(error.description, at: range)
        }
        return ExportResult(dataset: d.name, path: path, format: options.format ?? ExportFormat(path: path), documents: d.count,
                            aliases: options.aliases ?? d.clusterings.map(\.alias))
    }
}
