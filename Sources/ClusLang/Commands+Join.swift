import ClusData

extension Interpreter {
    /// `join PATH on=FIELD`: the file's fields and aliases attached to the
    /// current dataset by a key; a failed join leaves the dataset as it was.
    func join(_ arguments: BoundArguments) throws -> JoinResult {
        guard let path = arguments.text(at: 0) else { throw Diagnostic("join needs a file") }
        let key = arguments.text("on") ?? "_id"
        let d = try session.currentDataset()
        if let bytes = DatasetLoader.memoryEstimate(path: path) {
            try session.requireMemory(bytes, for: "reading \(path)", instead: "join a file with fewer columns",
                                      at: arguments.positionals.first?.range)
        }
        let joined: Dataset, report: JoinReport
        do {
            (joined, report) = try DatasetJoin.join(
                d, path: path, on: key, fields: arguments.list("fields"),
                format: arguments.text("format").flatMap(DataFormat.init(rawValue:)), cancellation: session.cancellation)
        } catch let error as DataError {
            // point at the option the message is about, else at the file
            let option = error.line == nil && error.message.contains("to join on") ? "on"
                : error.message.hasPrefix("fields=") || error.message.contains(" already; ") ? "fields" : nil
            throw Diagnostic(error.description, at: option.flatMap(arguments.range(of:)) ?? arguments.positionals.first?.range)
        }
        session.update(joined)
        return JoinResult(dataset: d.name, path: path, key: key, documents: d.count, report: report)
    }
}
