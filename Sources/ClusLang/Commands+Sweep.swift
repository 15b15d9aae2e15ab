import ClusCore
import ClusData

extension Interpreter {
    func sweep(_ arguments: BoundArguments) throws -> CommandResult {
        var dataset = try session.currentDataset()
        let vectors = try vectorColumn(in: dataset, named: arguments.text("field"), range: arguments.range(of: "field"))
        if vectors.missingCount > 0 {
            throw Diagnostic("\(Format.count(vectors.missingCount)) documents have no \(vectors.name); k-means needs a vector for every document")
        }
        let (low, high): (Int, Int)
        switch arguments.value("k") {
        case .range(let a, let b)?: (low, high) = (a, b)
        case .integer(let a)?: (low, high) = (a, a)
        default: (low, high) = (2, 10)
        }
        guard low >= 2, high >= low else {
            throw Diagnostic("sweep needs k from 2 up, like k=2..20", at: arguments.range(of: "k"))
        }
        guard high < dataset.count else {
            throw Diagnostic("k=\(high) needs more than the \(Format.count(dataset.count)) documents of \(dataset.name)", at: arguments.range(of: "k"))
        }
        let method = arguments.text("method") ?? "kmeans"
        let metricName = arguments.text("metric") ?? "euclidean"
        let metric = DistanceMetric(rawValue: metricName) ?? .euclidean
        if arguments.has("linkage"), method != "agglomerative" {
            throw Diagnostic("linkage= is for method=agglomerative", at: arguments.range(of: "linkage"))
        }
        let seed = try arguments.integer("seed", atLeast: 0).map(UInt64.init) ?? session.settings.seed
        let keep = arguments.flag("keep") ?? true
        let truthField = try truthColumn(in: dataset, arguments)
        let truth = truthField?.interned()

        try session.requireSilhouetteMemory(documents: dataset.count, dimension: vectors.dimension, clusters: high,
                                            at: arguments.range(of: "k"))
        if method == "agglomerative" {
            let linkage = Linkage(rawValue: arguments.text("linkage") ?? "ward") ?? .ward
            let bytes = agglomerativeMemory(documents: dataset.count, dimension: vectors.dimension, linkage: linkage,
                                            metric: AgglomerativeMetric(rawValue: metricName) ?? .euclidean)
            try session.requireMemory(bytes, for: "agglomerative \(linkage.rawValue) on \(Format.count(dataset.count)) documents",
                                      instead: "use method=minibatch or kmeans, or load a sample", at: arguments.range(of: "method"))
        }
        struct Row { let k: Int; let iterations: Int?; let inertia: Double?; let silhouette, ch, db: Double; let ari, nmi: Double? }
        var rows: [Row] = []
        var interrupted = false
        let reporter = session.settings.format == .table ? session.progress : nil
        reporter?.start("sweep k=\(low)..\(high)", total: high - low + 1, unit: .iterations)
        defer { reporter?.finish() }
        for k in low ... high {
            do {
                let result = method == "agglomerative"
                    ? try runAgglomerative(k: k, metric: metricName, embeddings: vectors.embeddings, arguments)
                    : try runKMeansFamily(method: method, k: k, seed: seed, spherical: metric == .cosine, embeddings: vectors.embeddings, arguments)
                let s = try silhouetteScore(vectors.embeddings, labels: result.labels, metric: metric, parallelism: session.parallelism,
                                            cancellation: session.cancellation)
                let centroid = try centroidIndices(vectors.embeddings, labels: result.labels, parallelism: session.parallelism,
                                                   cancellation: session.cancellation)
                let ch = centroid.calinskiHarabasz, db = centroid.daviesBouldin
                var ari: Double? = nil, nmi: Double? = nil
                if let truth {
                    let kept = truth.codes.indices.filter { truth.codes[$0] >= 0 }
                    let table = ContingencyTable(truth: kept.map { truth.codes[$0] }, predicted: kept.map { result.labels[$0] })
                    ari = adjustedRandIndex(table)
                    nmi = normalizedMutualInformation(table)
                }
                rows.append(Row(k: k, iterations: result.iterations, inertia: result.inertia, silhouette: s, ch: ch, db: db, ari: ari, nmi: nmi))
                // labels read from a file are never replaced by a sweep
                if keep, dataset.clustering(alias: "\(method)_\(k)", vectorField: vectors.name).map({ $0.details != nil }) ?? true {
                    let details = ClusteringDetails(method: method, parameters: [("k", String(k)), ("metric", metricName)] + result.parameters,
                                                    iterations: result.iterations, inertia: result.inertia, seconds: nil)
                    dataset.store(Clustering(vectorField: vectors.name, alias: "\(method)_\(k)", clusterIndices: result.labels, details: details))
                }
                reporter?.update(done: k - low + 1)
            } catch is Cancelled {
                interrupted = true  // the rows done so far are kept
                break
            }
        }
        if keep, !rows.isEmpty {
            session.update(dataset)
            session.currentAliases[dataset.name] = AliasReference(vectorField: vectors.name, alias: "\(method)_\(rows[rows.count - 1].k)")
        }

        // the best k by each index, and the elbow of the inertia curve
        func best(_ values: [Double?], highest: Bool) -> Int? {
            let present = values.enumerated().compactMap { i, v in v.map { (i, $0) } }
            return (highest ? present.max { $0.1 < $1.1 } : present.min { $0.1 < $1.1 })?.0
        }
        let bestSilhouette = best(rows.map(\.silhouette), highest: true)
        let bestCH = best(rows.map(\.ch), highest: true)
        let bestDB = best(rows.map(\.db), highest: false)
        let bestARI = best(rows.map(\.ari), highest: true)
        let bestNMI = best(rows.map(\.nmi), highest: true)
        let elbow = rows.allSatisfy({ $0.inertia != nil }) ? elbowIndex(rows.map { Double($0.k) }, rows.map { $0.inertia ?? 0 }) : nil

        var columns: [TextTable.Column] = [.init("k", .right), .init("inertia", .right), .init(""), .init("silhouette", .right),
                                           .init("Calinski-Harabasz", .right), .init("Davies-Bouldin", .right)]
        if truthField != nil { columns += [.init("ARI", .right), .init("NMI", .right)] }
        var table = TextTable(columns: columns)
        func mark(_ text: String, _ isBest: Bool) -> String { isBest ? text + " *" : text + "  " }
        for (i, row) in rows.enumerated() {
            var cells = [String(row.k), row.inertia.map { Format.groupedDecimal($0, 2) } ?? "—", i == elbow ? "← elbow" : "",
                         mark(Format.fixed(row.silhouette, 4), i == bestSilhouette), mark(Format.groupedDecimal(row.ch, 2), i == bestCH),
                         mark(Format.fixed(row.db, 4), i == bestDB)]
            if truthField != nil {
                cells += [mark(Format.score(row.ari), i == bestARI), mark(Format.score(row.nmi), i == bestNMI)]
            }
            table.rows.append(cells)
        }
        table.footer.append("* best k by each index (silhouette, Calinski-Harabasz, ARI, NMI: highest; Davies-Bouldin: lowest)")
        let loaded = rows.filter { row in dataset.clustering(alias: "\(method)_\(row.k)", vectorField: vectors.name)?.details == nil }.map { "\(method)_\($0.k)" }
        table.footer.insert("\(method) on \(vectors.name), \(metricName)\(metric == .cosine && method != "agglomerative" ? " (spherical)" : "")", at: 0)
        if keep { table.footer.append("labels kept as \(method)_\(low)…\(method)_\(rows.last?.k ?? low); keep=false keeps none") }
        if keep, !loaded.isEmpty { table.footer.append("not replaced (read from the file): " + loaded.joined(separator: ", ")) }
        if interrupted { table.footer.append("interrupted: \(rows.count) of \(high - low + 1) values of k done") }

        func pick(_ index: Int?) -> JSONValue { index.map { .int(rows[$0].k) } ?? .null }
        return CommandResult(command: "sweep", values: [
            JSONMember("dataset", .string(dataset.name)),
            JSONMember("vector_field", .string(vectors.name)),
            JSONMember("method", .string(method)),
            JSONMember("metric", .string(metricName)),
            JSONMember("truth", .text(truthField?.name)),
            JSONMember("rows", .array(rows.map { row in
                .object([
                    JSONMember("k", .int(row.k)), JSONMember("iterations", row.iterations.map(JSONValue.int) ?? .null), JSONMember("inertia", .number(row.inertia)),
                    JSONMember("silhouette", .number(row.silhouette)), JSONMember("calinski_harabasz", .number(row.ch)),
                    JSONMember("davies_bouldin", .number(row.db)), JSONMember("adjusted_rand_index", .number(row.ari)),
                    JSONMember("normalized_mutual_info", .number(row.nmi)),
                ])
            })),
            JSONMember("best", .object([
                JSONMember("silhouette", pick(bestSilhouette)), JSONMember("calinski_harabasz", pick(bestCH)),
                JSONMember("davies_bouldin", pick(bestDB)), JSONMember("adjusted_rand_index", pick(bestARI)),
                JSONMember("normalized_mutual_info", pick(bestNMI)), JSONMember("elbow", pick(elbow)),
            ])),
            JSONMember("interrupted", .bool(interrupted)),
        ], blocks: [.table(table)])
    }
}

/// The knee of a decreasing curve: the point farthest below the straight line
/// from its first to its last point, both axes scaled to 0…1.
func elbowIndex(_ xs: [Double], _ ys: [Double]) -> Int? {
    guard xs.count >= 3, let x0 = xs.first, let x1 = xs.last, let y0 = ys.first, let y1 = ys.last, x1 > x0, y0 != y1 else { return nil }
    var bestIndex: Int? = nil
    var bestGap = 0.0
    for i in 1 ..< xs.count - 1 {
        let x = (xs[i] - x0) / (x1 - x0), y = (ys[i] - y1) / (y0 - y1)
        let gap = (1 - x) - y  // the line runs from (0, 1) to (1, 0)
        if gap > bestGap { bestGap = gap; bestIndex = i }
    }
    return bestIndex
}
