import ClusCore
import ClusData

extension Interpreter {
    func cluster(_ arguments: BoundArguments) throws -> CommandResult {
        var dataset = try session.currentDataset()
        let vectors = try vectorColumn(in: dataset, named: arguments.text("field"), range: arguments.range(of: "field"))
        let method = arguments.text("method") ?? "kmeans"
        let metric = arguments.text("metric") ?? "euclidean"
        let k = try arguments.integer("k", atLeast: 1) ?? 8
        let alias = arguments.text("alias") ?? "\(method)_\(k)"
        let seed = try arguments.integer("seed", atLeast: 0).map(UInt64.init) ?? session.settings.seed
        if vectors.missingCount > 0 {
            throw Diagnostic("\(Format.count(vectors.missingCount)) documents have no \(vectors.name); \(method) needs a vector for every document")
        }
        if k > dataset.count {
            throw Diagnostic("k=\(k) exceeds the \(Format.count(dataset.count)) documents of \(dataset.name)", at: arguments.range(of: "k"))
        }
        try refuseOptions(["batch"], unless: method == "minibatch", arguments)
        try refuseOptions(["n_init", "tol"], unless: method == "kmeans", arguments)
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try runKMeansFamily(method: method, k: k, seed: seed, spherical: metric == "cosine",
                                          embeddings: vectors.embeddings, arguments)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let details = ClusteringDetails(
            method: method,
            parameters: [("k", String(k)), ("metric", metric), ("seed", String(seed))] + outcome.parameters,
            iterations: outcome.result.iterations, inertia: outcome.result.inertia, seconds: seconds)
        // the dataset changes only after the clustering succeeded
        dataset.store(Clustering(vectorField: vectors.name, alias: alias, clusterIndices: outcome.result.labels, details: details))
        session.update(dataset)
        session.currentAliases[dataset.name] = AliasReference(vectorField: vectors.name, alias: alias)
        let result = outcome.result
        let objective = metric == "cosine" ? "cosine objective" : "inertia"
        let steps = method == "minibatch" ? "step" : "iteration"
        let line = "\(alias) on \(vectors.name): \(method)\(metric == "cosine" ? " (cosine)" : ""), k=\(k), \(result.iterations) \(steps)\(result.iterations == 1 ? "" : "s"), \(objective) \(Format.groupedDecimal(result.inertia, 2)), \(Format.seconds(seconds))"
        return CommandResult(command: "cluster", values: [
            JSONMember("dataset", .string(dataset.name)),
            JSONMember("vector_field", .string(vectors.name)),
            JSONMember("alias", .string(alias)),
            JSONMember("method", .string(method)),
            JSONMember("metric", .string(metric)),
            JSONMember("k", .int(k)),
            JSONMember("iterations", .int(result.iterations)),
            JSONMember("inertia", .number(result.inertia)),
            JSONMember("objective", .string(metric == "cosine" ? "sum_cosine_distance" : "sum_squared_distance")),
            JSONMember("seed", .int(Int(seed))),
        ] + outcome.parameters.compactMap { name, value in Int(value).map { JSONMember(name, .int($0)) } },
        blocks: [.text(line)], isStatus: true)
    }

    /// k-means (spherical with cosine) or mini-batch k-means, with the
    /// method's own parameters for display.
    private func runKMeansFamily(method: String, k: Int, seed: UInt64, spherical: Bool, embeddings: Embeddings,
                                 _ arguments: BoundArguments) throws -> (result: KMeansResult, parameters: [(String, String)]) {
        let maxIterations = try arguments.integer("max_iter", atLeast: 1)
        if method == "minibatch" {
            let batch = try arguments.integer("batch", atLeast: 1) ?? 1024
            let options = MiniBatchKMeansOptions(clusterCount: k, batchSize: batch, maxIterations: maxIterations ?? 100,
                                                 seed: seed, spherical: spherical)
            let result = try miniBatchKMeans(embeddings, options: options, parallelism: session.parallelism,
                                             cancellation: session.cancellation)
            return (result, [("batch", String(batch)), ("max_iter", String(options.maxIterations))])
        }
        let runs = try arguments.integer("n_init", atLeast: 1) ?? 1
        let tolerance = arguments.number("tol") ?? 1e-4
        if tolerance < 0 { throw Diagnostic("tol must not be negative", at: arguments.range(of: "tol")) }
        let options = KMeansOptions(clusterCount: k, runs: runs, maxIterations: maxIterations ?? 300,
                                    tolerance: tolerance, seed: seed, spherical: spherical)
        let result = try kMeans(embeddings, options: options, parallelism: session.parallelism,
                                cancellation: session.cancellation)
        return (result, [("n_init", String(runs)), ("max_iter", String(options.maxIterations)), ("tol", String(tolerance))])
    }

    /// Refuses options that belong to another method.
    func refuseOptions(_ names: [String], unless allowed: Bool, _ arguments: BoundArguments) throws(Diagnostic) {
        guard !allowed, let name = names.first(where: arguments.has) else { return }
        let method = arguments.text("method") ?? "kmeans"
        throw Diagnostic("\(name)= does not apply to method=\(method)", at: arguments.range(of: name))
    }

    func aliases() throws -> CommandResult {
        let d = try session.currentDataset()
        var table = TextTable(columns: [.init(""), .init("alias"), .init("field"), .init("k", .right), .init("method"),
                                        .init("iterations", .right), .init("inertia", .right), .init("time", .right), .init("parameters")])
        let current = session.currentAliases[d.name]
        for c in d.clusterings {
            let isCurrent = current == AliasReference(vectorField: c.vectorField, alias: c.alias)
            table.rows.append([
                isCurrent ? "*" : "", c.alias, c.vectorField, String(c.k), c.details?.method ?? "loaded",
                c.details?.iterations.map(String.init) ?? "", c.details?.inertia.map { Format.groupedDecimal($0, 2) } ?? "",
                c.details?.seconds.map(Format.seconds) ?? "",
                c.details?.parameters.filter { $0.0 != "k" }.map { "\($0.0)=\($0.1)" }.joined(separator: " ") ?? "",
            ])
        }
        if d.clusterings.isEmpty { table.footer.append("no clusterings yet: run 'cluster k=N'") }
        return CommandResult(command: "aliases", values: [
            JSONMember("dataset", .string(d.name)),
            JSONMember("aliases", .array(d.clusterings.map { c in
                .object([
                    JSONMember("alias", .string(c.alias)),
                    JSONMember("vector_field", .string(c.vectorField)),
                    JSONMember("k", .int(c.k)),
                    JSONMember("method", .text(c.details?.method)),
                    JSONMember("iterations", c.details?.iterations.map(JSONValue.int) ?? .null),
                    JSONMember("inertia", .number(c.details?.inertia)),
                    JSONMember("seconds", .number(c.details?.seconds)),
                    JSONMember("parameters", .object((c.details?.parameters ?? []).map { JSONMember($0.0, .string($0.1)) })),
                ])
            })),
        ], blocks: [.table(table)])
    }

    /// The vector field named, or the dataset's default (its first).
    func vectorColumn(in dataset: Dataset, named name: String?, range: SourceRange?) throws(Diagnostic) -> VectorColumn {
        if let name {
            guard let column = dataset.vector(named: name) else {
                throw Diagnostic.unknown("vector field", name, at: range ?? SourceRange(0, 0), known: dataset.vectors.map(\.name))
                    .withFallbackHint(dataset.vectors.isEmpty ? "\(dataset.name) has no vector fields" : "vector fields: " + dataset.vectors.map(\.name).joined(separator: ", "))
            }
            return column
        }
        guard let first = dataset.vectors.first else {
            throw Diagnostic("\(dataset.name) has no vector field: no field holds arrays of numbers of one length")
        }
        return first
    }

    /// The clustering named by `alias=`/`field=`, or the current one.
    func clustering(in dataset: Dataset, _ arguments: BoundArguments) throws(Diagnostic) -> Clustering {
        let field = arguments.text("field")
        if let field, dataset.vector(named: field) == nil, !dataset.clusterings.contains(where: { $0.vectorField == field }) {
            throw Diagnostic.unknown("vector field", field, at: arguments.range(of: "field") ?? SourceRange(0, 0), known: dataset.vectors.map(\.name))
        }
        if let alias = arguments.text("alias") {
            guard let c = dataset.clustering(alias: alias, vectorField: field) else {
                let known = dataset.clusterings.filter { field == nil || $0.vectorField == field }.map(\.alias)
                throw Diagnostic.unknown("alias", alias, at: arguments.range(of: "alias") ?? SourceRange(0, 0), known: known)
                    .withFallbackHint(known.isEmpty ? "no clusterings yet: run 'cluster k=N'" : "aliases: " + known.joined(separator: ", "))
            }
            return c
        }
        if let current = session.currentAliases[dataset.name], field == nil || field == current.vectorField,
           let c = dataset.clustering(alias: current.alias, vectorField: current.vectorField) {
            return c
        }
        if let c = dataset.clusterings.last(where: { field == nil || $0.vectorField == field }) { return c }
        throw Diagnostic("\(dataset.name) has no clustering yet", hint: "run 'cluster k=N' first, or load documents with _cluster_ labels")
    }
}
