import ClusData

/// Tells `load "-"` that the script itself is read from standard input, so
/// it says so rather than finding the documents missing.
public func reserveStandardInputForScript() { StandardInput.reserveForScript() }

extension Interpreter {
    func load(_ arguments: BoundArguments) throws -> LoadResult {
        guard let path = arguments.text(at: 0) else { throw Diagnostic("load needs a path") }
        try rejectQueryOptions(arguments)
        let options = LoadOptions(
            name: arguments.text(at: 1),
            vectorField: arguments.text("vector"),
            format: arguments.text("format").flatMap(DataFormat.init(rawValue:)),
            labelsPath: arguments.text("labels"),
            strict: arguments.flag("strict") ?? false
        )
        if let bytes = DatasetLoader.memoryEstimate(path: path) {
            try session.requireMemory(bytes, for: "loading \(path)",
                                      instead: "load a part of it (head -n 100000 for JSON Lines) or raise memory_limit if the machine has the memory",
                                      at: arguments.positionals.first?.range)
        }
        let dataset: Dataset
        do {
            dataset = try session.withProgress("loading \(path)", unit: .bytes) { progress in
                try DatasetLoader.load(path: path, options: options, cancellation: session.cancellation, progress: progress)
            }
        } catch let error as DataError {
            let range = options.labelsPath == error.path ? arguments.range(of: "labels") : arguments.positionals.first?.range
            throw Diagnostic(error.description, at: range)
        }
        try session.add(dataset)
        return LoadResult(dataset: DatasetSummary(dataset), notes: dataset.notes)
    }

    func datasets() -> DatasetsResult {
        DatasetsResult(current: session.currentDatasetName, datasets: session.datasets.map { d in
            // a subset's vector fields are its source's: named without gathering them
            var shown = d
            if let view = d.view { shown.vectors = view.sourceVectors }
            return DatasetsResult.Entry(summary: DatasetSummary(shown), source: d.view?.source, expression: d.view?.expression)
        })
    }

    func use(_ arguments: BoundArguments) throws -> StatusOutput {
        let name = try knownDataset(arguments)
        session.use(name)
        return StatusOutput(command: "use", jsonMembers: [JSONMember("dataset", .string(name))], lines: ["using \(name)"])
    }

    func drop(_ arguments: BoundArguments) throws -> StatusOutput {
        let name = try knownDataset(arguments)
        session.drop(name)
        return StatusOutput(command: "drop", jsonMembers: [JSONMember("dataset", .string(name))], lines: ["dropped \(name)"])
    }

    func schema() throws -> SchemaResult {
        let d = try session.currentDataset()
        return SchemaResult(dataset: d.name, path: d.path, documents: d.count, entries: SchemaEntry.all(of: d),
                            withoutVector: d.vectors.filter { $0.missingCount > 0 }.map(WithoutVector.init))
    }

    func head(_ arguments: BoundArguments) throws -> HeadResult {
        let d = try session.currentDataset()
        return HeadResult(d, count: min(try arguments.integer("n", atLeast: 0) ?? 5, d.count))
    }
}
