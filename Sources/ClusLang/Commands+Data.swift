import ClusCore
import ClusData

extension Interpreter {
    func load(_ arguments: BoundArguments) throws -> CommandResult {
        guard let path = arguments.text(at: 0) else { throw Diagnostic("load needs a path") }
        let options = LoadOptions(
            name: arguments.text(at: 1),
            vectorField: arguments.text("vector"),
            format: arguments.text("format").flatMap(DataFormat.init(rawValue:)),
            labelsPath: arguments.text("labels").map(expandingTilde)
        )
        if let bytes = DatasetLoader.memoryEstimate(path: expandingTilde(path)) {
            try session.requireMemory(bytes, for: "loading \(path)",
                                      instead: "load a part of it (head -n 100000 for JSON Lines) or raise memory_limit if the machine has the memory",
                                      at: arguments.positionals.first?.range)
        }
        let dataset: Dataset
        do {
            dataset = try session.withProgress("loading \(path)", unit: .bytes) { progress in
                try DatasetLoader.load(path: expandingTilde(path), options: options, cancellation: session.cancellation, progress: progress)
            }
        } catch let error as DataError {
            let range = options.labelsPath == error.path ? arguments.range(of: "labels") : arguments.positionals.first?.range
            throw Diagnostic(error.description, at: range)
        }
        try session.add(dataset)
        var summary = "loaded \(dataset.name): \(Format.count(dataset.count)) documents"
        if !dataset.vectors.isEmpty {
            summary += " · vector fields: " + dataset.vectors.map { "\($0.name) (\($0.dimension)-d)" }.joined(separator: ", ")
        }
        if !dataset.fields.isEmpty {
            summary += " · fields: " + dataset.fields.prefix(12).map(\.name).joined(separator: ", ")
            if dataset.fields.count > 12 { summary += ", … (\(dataset.fields.count) in all)" }
        }
        if !dataset.clusterings.isEmpty {
            summary += " · aliases: " + dataset.clusterings.map(\.alias).joined(separator: ", ")
        }
        for note in dataset.notes { summary += "\nnote: " + note }
        if dataset.vectors.isEmpty {
            summary += "\nno vector field found: clustering needs a field holding an array of numbers of one length"
        }
        return CommandResult(command: "load", values: [
            JSONMember("dataset", .string(dataset.name)),
            JSONMember("path", .string(dataset.path)),
            JSONMember("documents", .int(dataset.count)),
            JSONMember("vector_fields", .array(dataset.vectors.map {
                .object([JSONMember("name", .string($0.name)), JSONMember("dimension", .int($0.dimension))])
            })),
            JSONMember("fields", .array(dataset.fields.map { .string($0.name) })),
            JSONMember("aliases", .array(dataset.clusterings.map { .string($0.alias) })),
        ], blocks: [.text(summary)], isStatus: true)
    }

    func datasets() -> CommandResult {
        var table = TextTable(columns: [.init(""), .init("dataset"), .init("documents", .right), .init("vector fields"), .init("aliases"), .init("path")])
        for d in session.datasets {
            table.rows.append([
                d.name == session.currentDatasetName ? "*" : "",
                d.name,
                Format.count(d.count),
                d.vectors.map { "\($0.name) (\($0.dimension)-d)" }.joined(separator: ", "),
                String(d.clusterings.count),
                d.path,
            ])
        }
        if session.datasets.isEmpty { table.footer.append("no datasets loaded") }
        return CommandResult(command: "datasets", values: [
            JSONMember("current", .text(session.currentDatasetName)),
            JSONMember("datasets", .array(session.datasets.map { d in
                .object([
                    JSONMember("name", .string(d.name)),
                    JSONMember("documents", .int(d.count)),
                    JSONMember("vector_fields", .array(d.vectors.map { .string($0.name) })),
                    JSONMember("aliases", .int(d.clusterings.count)),
                    JSONMember("path", .string(d.path)),
                ])
            })),
        ], blocks: [.table(table)])
    }

    func use(_ arguments: BoundArguments) throws -> CommandResult {
        let name = try knownDataset(arguments)
        session.use(name)
        return CommandResult(command: "use", values: [JSONMember("dataset", .string(name))],
                             blocks: [.text("using \(name)")], isStatus: true)
    }

    func drop(_ arguments: BoundArguments) throws -> CommandResult {
        let name = try knownDataset(arguments)
        session.drop(name)
        return CommandResult(command: "drop", values: [JSONMember("dataset", .string(name))],
                             blocks: [.text("dropped \(name)")], isStatus: true)
    }

    func schema() throws -> CommandResult {
        let d = try session.currentDataset()
        var table = TextTable(columns: [.init("field"), .init("type"), .init("missing", .right), .init("distinct", .right)])
        var json: [JSONValue] = []
        for v in d.vectors {
            let type = "vector \(v.dimension)-d float32" + (v.roundedToFloat32 ? " (rounded from more precise input)" : "")
            table.rows.append([v.name, type, Format.count(v.missingCount), ""])
            json.append(.object([JSONMember("name", .string(v.name)), JSONMember("type", .string("vector")),
                                 JSONMember("dimension", .int(v.dimension)), JSONMember("missing", .int(v.missingCount)),
                                 JSONMember("rounded_to_float32", .bool(v.roundedToFloat32))]))
        }
        for f in d.fields {
            let distinct = Set(f.values.compactMap { $0 }.filter { $0 != .null }).count  // null counts as missing, not as a value
            table.rows.append([f.name, f.typeDescription, Format.count(f.missingCount), Format.count(distinct)])
            json.append(.object([JSONMember("name", .string(f.name)), JSONMember("type", .string(f.typeDescription)),
                                 JSONMember("missing", .int(f.missingCount)), JSONMember("distinct", .int(distinct))]))
        }
        for c in d.clusterings {
            let unlabelled = c.labels.count { $0 < 0 }
            table.rows.append(["_cluster_.\(c.vectorField).\(c.alias)", "alias, \(c.k) clusters", Format.count(unlabelled), Format.count(c.k)])
            json.append(.object([JSONMember("name", .string("_cluster_.\(c.vectorField).\(c.alias)")), JSONMember("type", .string("alias")),
                                 JSONMember("k", .int(c.k)), JSONMember("missing", .int(unlabelled))]))
        }
        table.footer.append("\(d.name): \(Format.count(d.count)) documents from \(d.path)")
        return CommandResult(command: "schema", values: [
            JSONMember("dataset", .string(d.name)), JSONMember("documents", .int(d.count)), JSONMember("fields", .array(json)),
        ], blocks: [.table(table)])
    }

    func head(_ arguments: BoundArguments) throws -> CommandResult {
        let d = try session.currentDataset()
        let n = min(try arguments.integer("n", atLeast: 0) ?? 5, d.count)
        var columns: [TextTable.Column] = [.init("#", .right)]
        columns += d.fields.map { .init($0.name) }
        columns += d.vectors.map { .init($0.name) }
        columns += d.clusterings.map { .init($0.alias) }
        var table = TextTable(columns: columns)
        var documents: [JSONValue] = []
        for i in 0 ..< n {
            var row = [String(i)]
            var members: [JSONMember] = []
            for f in d.fields {
                let value = f.values[i]
                row.append(value.map { abbreviate($0.description, 40) } ?? "")
                members.append(JSONMember(f.name, value.map(jsonValue) ?? .null))
            }
            for v in d.vectors {
                let values = v.embeddings[row: i]
                let shown = values.prefix(3).map { Format.fixed(Double($0), 3) }.joined(separator: ", ")
                row.append("[\(shown)\(values.count > 3 ? ", …" : "")] \(v.dimension)-d")
                members.append(JSONMember(v.name, .array(values.prefix(8).map { .double(Double($0)) })))
            }
            for c in d.clusterings {
                let label = c.labels[i]
                row.append(label >= 0 ? c.clusterNames[label] : "")
                members.append(JSONMember("_cluster_.\(c.vectorField).\(c.alias)", label >= 0 ? .string(c.clusterNames[label]) : .null))
            }
            table.rows.append(row)
            documents.append(.object(members))
        }
        return CommandResult(command: "head", values: [
            JSONMember("dataset", .string(d.name)), JSONMember("documents", .array(documents)),
        ], blocks: [.table(table)])
    }
}

func jsonValue(_ value: FieldValue) -> JSONValue {
    switch value {
    case .null: .null
    case .bool(let b): .bool(b)
    case .int(let i): .int(i)
    case .double(let d): .number(d)
    case .string(let s): .string(s)
    }
}

func abbreviate(_ text: String, _ limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
}
