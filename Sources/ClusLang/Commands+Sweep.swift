import ClusCore
import ClusData
import Synchronization

/// How `sweep` clusters and scores, from its options.
private struct SweepPlan {
    /// The values of k, increasing, each once.
    let ks: [Int]
    /// `k=` as written (`k=2..40 step=2`, `k=[10, 20, 25]`), for the progress bar.
    let kText: String
    let method: String
    /// The metric as given; `cosine` makes k-means spherical.
    let metricName: String
    let metric: DistanceMetric
    let linkage: Linkage
    /// Seeds k-means and draws the silhouette's sample.
    let seed: UInt64
    /// The silhouette's sample size when below the documents' count; nil: exact.
    let sample: Int?
    let keep: Bool

    func alias(_ k: Int) -> String {
        (ClusteringMethod(rawValue: method) ?? .kmeans).defaultAlias(k: k, metric: metricName, linkage: linkage)
    }
}

extension Interpreter {
    /// `sweep k=A..B`: one clustering per k, scored by each index.
    func sweep(_ arguments: BoundArguments) throws -> SweepResult {
        var dataset = try session.currentDataset()
        let vectors = try vectorColumn(in: dataset, named: arguments.text("field"), range: arguments.range(of: "field"))
        // documents without a usable vector are left out, and get no label
        let (embeddings, usableRows) = try usableVectors(vectors, of: dataset)
        let (ks, kText) = try sweepValues(arguments)
        let high = ks[ks.count - 1]
        guard high < embeddings.count else {
            throw Diagnostic("k=\(high) needs more than the \(Format.count(embeddings.count)) documents of \(dataset.name)"
                             + (usableRows != nil ? " with a usable \(vectors.name)" : ""), at: arguments.range(of: "k"))
        }
        let method = arguments.text("method") ?? "kmeans"
        let metricName = arguments.text("metric") ?? "euclidean"
        if arguments.has("linkage"), method != "agglomerative" {
            throw Diagnostic("linkage= is for method=agglomerative", at: arguments.range(of: "linkage"))
        }
        let sample = try arguments.integer("sample", atLeast: 2) ?? session.settings.sample
        let plan = SweepPlan(ks: ks, kText: kText, method: method, metricName: metricName,
                             metric: DistanceMetric(rawValue: metricName) ?? .euclidean,
                             linkage: Linkage(rawValue: arguments.text("linkage") ?? "ward") ?? .ward,
                             seed: try arguments.integer("seed", atLeast: 0).map(UInt64.init) ?? session.settings.seed,
                             sample: sample.flatMap { $0 < embeddings.count ? $0 : nil },
                             keep: arguments.flag("keep") ?? true)
        let truthField = try truthColumn(in: dataset, arguments)
        let truth = truthField?.interned().codes
        let usable = UsableDocuments(name: vectors.name, embeddings: embeddings, rows: usableRows,
                                     truth: truth.map { codes in usableRows.map { $0.map { codes[$0] } } ?? codes })

        if plan.sample == nil {
            try session.requireSilhouetteMemory(documents: embeddings.count, dimension: vectors.dimension, clusters: high, metric: plan.metric,
                                                at: arguments.range(of: "k"))
        }
        let (rows, interrupted) = try sweepRows(plan, usable, into: &dataset, arguments)
        if plan.keep, let last = rows.last {
            session.update(dataset)
            session.currentAliases[dataset.name] = AliasReference(vectorField: vectors.name, alias: plan.alias(last.k))
        }
        // labels read from a file stay, and the footer says so
        let notReplaced = plan.keep ? rows.map { plan.alias($0.k) }.filter {
            dataset.clustering(alias: $0, vectorField: vectors.name)?.details == nil
        } : []
        return SweepResult(dataset: dataset.name, vectorField: vectors.name, documents: dataset.count, method: method, metric: metricName,
                           spherical: plan.metric == .cosine && method != "agglomerative", truth: truthField?.name, rows: rows,
                           kValues: plan.ks, sample: plan.sample, seed: plan.seed,
                           sampleCoveringAll: plan.sample == nil ? sample : nil,
                           keptAliases: plan.keep ? rows.map { plan.alias($0.k) } : [], notReplaced: notReplaced, interrupted: interrupted,
                           withoutVector: WithoutVector(vectors))
    }

    /// The values of k from `k=` and `step=`, increasing and each once, and
    /// `k=` as written: every `step=`-th value of a range A..B from A up to B
    /// (default 2..10), the values of a list, or one value.
    private func sweepValues(_ arguments: BoundArguments) throws(Diagnostic) -> (ks: [Int], text: String) {
        let at = arguments.range(of: "k")
        let step = try arguments.integer("step", atLeast: 1)
        if step != nil, let value = arguments.value("k") {
            guard case .range = value else {
                throw Diagnostic("step= takes every N-th k of a range, like k=2..40 step=2", at: arguments.range(of: "step"))
            }
        }
        var ks: [Int]
        switch arguments.value("k") {
        case .list(let items)?:
            guard !items.isEmpty else { throw Diagnostic("k=[] lists no values of k", at: at, hint: "list some, like k=[10, 20, 25]") }
            ks = try items.map { item throws(Diagnostic) in
                guard case .integer(let k) = item else {
                    throw Diagnostic("k= lists whole numbers, like k=[10, 20, 25]; got '\(item)'", at: at)
                }
                guard k >= 2 else { throw Diagnostic("every k must be at least 2; the list has k=\(k)", at: at) }
                return k
            }
            ks = Array(Set(ks)).sorted()
        case .range(let a, let b)?:
            guard a >= 2, b >= a else { throw Diagnostic("sweep needs k from 2 up, like k=2..20", at: at) }
            ks = Array(stride(from: a, through: b, by: step ?? 1))
        case .integer(let a)?:
            guard a >= 2 else { throw Diagnostic("sweep needs k from 2 up, like k=2..20", at: at) }
            ks = [a]
        default:
            ks = Array(stride(from: 2, through: 10, by: step ?? 1))
        }
        let written = arguments.value("k").map { "k=\($0)" } ?? "k=2..10"
        return (ks, written + (step.map { " step=\($0)" } ?? ""))
    }

    /// Clusters and scores for each k of the plan, keeping the labels in
    /// `dataset` when asked; Ctrl-C stops the sweep with the rows done.
    ///
    /// One bar counts the values of k done; the clusterings' and
    /// silhouettes' own progress only keeps it drawn, so no bar replaces it.
    private func sweepRows(_ plan: SweepPlan, _ usable: UsableDocuments, into dataset: inout Dataset,
                           _ arguments: BoundArguments) throws -> (rows: [SweepResult.Row], interrupted: Bool) {
        var rows: [SweepResult.Row] = []
        let terminal = session.progress
        let bar = session.settings.format == .table ? terminal.map(SweepProgress.init) : nil
        if let bar {
            bar.begin("sweep \(plan.kText)", values: plan.ks.count)
            session.progress = bar
        }
        // the bar is gone before the table or the note of Ctrl-C is printed
        defer {
            bar?.end()
            session.progress = terminal
        }
        for k in plan.ks {
            do {
                let result = plan.method == "agglomerative"
                    ? try runAgglomerative(k: k, metric: plan.metricName, embeddings: usable.embeddings, arguments)
                    : try runKMeansFamily(method: plan.method, k: k, seed: plan.seed, spherical: plan.metric == .cosine,
                                          embeddings: usable.embeddings, arguments)
                rows.append(try sweepRow(k: k, result, plan, usable))
                // labels read from a file are never replaced by a sweep
                if plan.keep, dataset.clustering(alias: plan.alias(k), vectorField: usable.name).map({ $0.details != nil }) ?? true {
                    let details = ClusteringDetails(method: plan.method, parameters: [("k", String(k)), ("metric", plan.metricName)] + result.parameters,
                                                    iterations: result.iterations, inertia: result.inertia, seconds: nil)
                    let labels = spread(result.labels, over: usable.rows, count: dataset.count)
                    dataset.store(Clustering(vectorField: usable.name, alias: plan.alias(k), clusterIndices: labels, details: details))
                }
                bar?.completed(rows.count)
            } catch is Cancelled {
                return (rows, true)  // the rows done so far are kept
            }
        }
        return (rows, false)
    }

    /// The indices of one clustering of the sweep: the silhouette exact, or
    /// estimated as `metrics sample= seed=` would for the kept alias.
    private func sweepRow(k: Int, _ result: ClusterOutcome, _ plan: SweepPlan, _ usable: UsableDocuments) throws -> SweepResult.Row {
        let (scores, estimate) = try internalIndices(usable.embeddings, labels: result.labels, metric: plan.metric,
                                                     sample: plan.sample, seed: plan.seed)
        var ari: Double? = nil, nmi: Double? = nil
        if let truth = usable.truth {
            let kept = truth.indices.filter { truth[$0] >= 0 }
            let table = ContingencyTable(truth: kept.map { truth[$0] }, predicted: kept.map { result.labels[$0] })
            ari = adjustedRandIndex(table)
            nmi = normalizedMutualInformation(table)
        }
        return SweepResult.Row(k: k, iterations: result.iterations, inertia: result.inertia, silhouette: scores[.silhouette] ?? .nan,
                               silhouetteEstimate: estimate,
                               calinskiHarabasz: scores[.calinskiHarabasz] ?? .nan, daviesBouldin: scores[.daviesBouldin] ?? .nan,
                               adjustedRandIndex: ari, normalizedMutualInfo: nmi)
    }
}

/// What a sweep clusters: the documents with a usable vector.
private struct UsableDocuments {
    /// The vector field.
    let name: String
    let embeddings: Embeddings
    /// Their rows in the dataset; nil when every document has a vector.
    let rows: [Int]?
    /// Their truth codes (-1: none), with `truth=`.
    let truth: [Int]?
}

/// The sweep's one progress bar: the values of k done of all. While the
/// sweep runs it stands in for the terminal's reporter, so each clustering's
/// and silhouette's own bar never replaces the sweep's: their reports only
/// redraw it (elapsed time, time left), which keeps it shown during a long k.
private final class SweepProgress: ProgressReporter {
    private let terminal: ProgressReporter
    private let done = Atomic<Int>(0)

    init(_ terminal: ProgressReporter) { self.terminal = terminal }

    func begin(_ label: String, values: Int) { terminal.start(label, total: values, unit: .iterations) }

    /// `count` values of k are done.
    func completed(_ count: Int) {
        done.store(count, ordering: .relaxed)
        terminal.update(done: count)
    }

    /// Erases the bar.
    func end() { terminal.finish() }

    // A clustering's or silhouette's report, from any thread.
    func start(_ label: String, total: Int, unit: ProgressUnit) {}
    func update(done _: Int) { terminal.update(done: done.load(ordering: .relaxed)) }
    func finish() {}
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
