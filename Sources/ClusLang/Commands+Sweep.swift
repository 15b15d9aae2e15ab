import ClusCore
import ClusData
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A value a sweep gives one option of the clustering (`k`, `min_cluster_size`, ...).
struct SweptValue {
    let name: String
    let value: Int
}

/// How `sweep` clusters and scores, from its options.
private struct SweepPlan {
    /// The option swept: `k`, `min_cluster_size`, `min_samples`, `n_init`, `max_iter` or `batch`.
    let parameter: String
    /// Its values, increasing, each once.
    let values: [Int]
    /// The swept option as written (`k=2..40 step=2`, `k=[10, 20, 25]`), for the progress bar.
    let valuesText: String
    let method: ClusteringMethod
    /// The metric as given; `cosine` makes k-means spherical.
    let metricName: String
    let metric: DistanceMetric
    let linkage: Linkage
    /// k when another option is swept (`k=` or cluster's 8).
    let fixedK: Int
    /// min_cluster_size when another option is swept (`min_cluster_size=` or 5).
    let fixedMinClusterSize: Int
    /// Seeds k-means and draws the silhouette's sample.
    let seed: UInt64
    /// The silhouette's sample size when below the documents' count; nil: exact.
    let sample: Int?
    let keep: Bool
    /// `stability=on`: clusterboot's resamples per value; nil: off.
    let stabilityRuns: Int?
    /// `gap=on`: the reference sets per value and where they are drawn; nil: off.
    let gap: (sets: Int, space: GapReferenceSpace)?

    func k(_ value: Int) -> Int { parameter == "k" ? value : fixedK }
    func minClusterSize(_ value: Int) -> Int { parameter == "min_cluster_size" ? value : fixedMinClusterSize }

    /// cluster's default alias; another option than k or min_cluster_size adds its value (`kmeans_8_n_init3`).
    func alias(_ value: Int) -> String {
        method.defaultAlias(k: k(value), metric: metricName, linkage: linkage, minClusterSize: minClusterSize(value))
            + (parameter == "k" || parameter == "min_cluster_size" ? "" : "_\(parameter)\(value)")
    }
}

/// The options a sweep can vary, with their least values and the methods they belong to.
private let sweepable: [(name: String, least: Int, methods: [ClusteringMethod])] = [
    ("k", 2, [.kmeans, .minibatch, .agglomerative]), ("min_cluster_size", 2, [.hdbscan]), ("min_samples", 1, [.hdbscan]),
    ("n_init", 1, [.kmeans]), ("max_iter", 1, [.kmeans, .minibatch]), ("batch", 1, [.minibatch]),
]

extension Interpreter {
    /// `sweep k=A..B`, or any other option of the method: one clustering per value, scored by each index.
    func sweep(_ arguments: BoundArguments) throws -> SweepResult {
        var dataset = try session.currentDataset()
        let vectors = try vectorColumn(in: dataset, named: arguments.text("field"), range: arguments.range(of: "field"))
        // documents without a usable vector are left out, and get no label
        let (embeddings, usableRows) = try usableVectors(vectors, of: dataset)
        let method = ClusteringMethod(rawValue: arguments.text("method") ?? "kmeans") ?? .kmeans
        for option in sweepable where !option.methods.contains(method) {
            try refuseOptions([option.name], unless: false, arguments)
        }
        try refuseOptions(["linkage"], unless: method == .agglomerative, arguments)
        let (parameter, values, valuesText) = try sweepValues(arguments, method: method, gap: arguments.flag("gap") == true)
        let high = values[values.count - 1]
        if parameter == "k", high >= embeddings.count {
            throw Diagnostic("k=\(high) needs more than the \(Format.count(embeddings.count, "document", "documents")) of \(dataset.name)"
                             + (usableRows != nil ? " with a usable \(vectors.name)" : ""), at: arguments.range(of: "k"))
        }
        let metricName = arguments.text("metric") ?? "euclidean"
        let sample = try arguments.integer("sample", atLeast: 2) ?? session.settings.sample
        let fixedK = parameter == "k" ? 8 : try arguments.integer("k", atLeast: 2) ?? 8
        let fixedMinClusterSize = parameter == "min_cluster_size" ? 5 : try arguments.integer("min_cluster_size", atLeast: 2) ?? 5
        if method != .hdbscan, parameter != "k", fixedK >= embeddings.count {
            throw Diagnostic("k=\(fixedK) needs more than the \(Format.count(embeddings.count, "document", "documents")) of \(dataset.name)",
                             at: arguments.range(of: "k") ?? arguments.range(of: parameter))
        }
        let plan = SweepPlan(parameter: parameter, values: values, valuesText: valuesText, method: method, metricName: metricName,
                             metric: DistanceMetric(rawValue: metricName) ?? .euclidean,
                             linkage: Linkage(rawValue: arguments.text("linkage") ?? "ward") ?? .ward,
                             fixedK: fixedK, fixedMinClusterSize: fixedMinClusterSize,
                             seed: try arguments.integer("seed", atLeast: 0).map(UInt64.init) ?? session.settings.seed,
                             sample: sample.flatMap { $0 < embeddings.count ? $0 : nil },
                             keep: arguments.flag("keep") ?? true,
                             stabilityRuns: arguments.flag("stability") == true ? try arguments.integer("runs", atLeast: 2) ?? 10 : nil,
                             gap: arguments.flag("gap") == true
                                 ? (try arguments.integer("B", atLeast: 2) ?? 50,
                                    GapReferenceSpace(rawValue: arguments.text("reference") ?? "pca") ?? .scaledPCA) : nil)
        if arguments.has("runs"), plan.stabilityRuns == nil {
            throw Diagnostic("runs= counts the resamples of stability=on; give stability=on too", at: arguments.range(of: "runs"))
        }
        try checkGap(plan, arguments)
        if method != .hdbscan, plan.stabilityRuns != nil, values.map(plan.k).max() ?? 0 >= embeddings.count * 4 / 5 {
            throw Diagnostic("stability=on clusters subsets of 80% of the documents: every k must be below \(Format.count(embeddings.count * 4 / 5))",
                             at: arguments.range(of: "stability"))
        }
        let truthField = try truthColumn(in: dataset, arguments)
        let truth = truthField?.interned().codes
        let usable = UsableDocuments(name: vectors.name, embeddings: embeddings, rows: usableRows,
                                     truth: truth.map { codes in usableRows.map { $0.map { codes[$0] } } ?? codes })

        if plan.sample == nil {
            // HDBSCAN finds at most n / min_cluster_size clusters
            let clusters = method == .hdbscan ? max(2, embeddings.count / max(2, values.map(plan.minClusterSize).min() ?? 2))
                                              : values.map(plan.k).max() ?? 2
            try session.requireSilhouetteMemory(documents: embeddings.count, dimension: vectors.dimension, clusters: clusters,
                                                metric: plan.metric, at: arguments.range(of: parameter))
        }
        let (rows, interrupted) = try sweepRows(plan, usable, into: &dataset, arguments)
        let gaps = rows.compactMap(\.gap)
        let bestGap = gaps.count == rows.count ? gapBest(gaps) : nil
        if plan.keep, let last = rows.last {
            session.update(dataset)
            session.currentAliases[dataset.name] = AliasReference(vectorField: vectors.name, alias: plan.alias(last.value))
        }
        // labels read from a file stay, and the footer says so
        let notReplaced = plan.keep ? rows.map { plan.alias($0.value) }.filter {
            dataset.clustering(alias: $0, vectorField: vectors.name)?.details == nil
        } : []
        return SweepResult(dataset: dataset.name, vectorField: vectors.name, documents: dataset.count, method: method.rawValue,
                           metric: metricName, spherical: plan.metric == .cosine && method != .agglomerative, truth: truthField?.name,
                           parameter: parameter, rows: rows, values: plan.values, sample: plan.sample, seed: plan.seed,
                           gap: plan.gap.map { SweepResult.GapSettings(sets: $0.sets, space: $0.space, best: bestGap) },
                           sampleCoveringAll: plan.sample == nil ? sample : nil,
                           keptAliases: plan.keep ? rows.map { plan.alias($0.value) } : [], notReplaced: notReplaced,
                           interrupted: interrupted, withoutVector: WithoutVector(vectors))
    }

    /// `gap=on` compares within-cluster sums of squares over k: refused with
    /// another option swept, HDBSCAN (no k to give), or a metric other than
    /// euclidean; `B=` and `reference=` only with it.
    private func checkGap(_ plan: SweepPlan, _ arguments: BoundArguments) throws(Diagnostic) {
        guard plan.gap != nil else {
            for option in ["B", "reference"] where arguments.has(option) {
                throw Diagnostic("\(option)= sets the gap statistic's reference sets; give gap=on too", at: arguments.range(of: option))
            }
            return
        }
        let at = arguments.range(of: "gap")
        if plan.method == .hdbscan {
            throw Diagnostic("the gap statistic compares clusterings with k clusters; HDBSCAN chooses its own", at: at,
                             hint: "use method=kmeans, minibatch or agglomerative")
        }
        if plan.parameter != "k" {
            throw Diagnostic("the gap statistic is a curve over k; this sweep varies \(plan.parameter)", at: at,
                             hint: "sweep k with gap=on, like sweep k=2..10 gap=on")
        }
        if plan.metric != .euclidean {
            throw Diagnostic("the gap statistic compares within-cluster sums of squared euclidean distances: it needs metric=euclidean",
                             at: arguments.range(of: "metric") ?? at)
        }
    }

    /// The option swept, its values (increasing, each once) and the option
    /// as written: the one sweepable option given a range or a list (every
    /// `step=`-th value of a range A..B from A up to B, or the values of a
    /// list); else k (one value, or 2..10), or HDBSCAN's min_cluster_size
    /// given one value. With `gap` k may start at 1, as clusGap's does: gap(1)
    /// is how Tibshirani's rule says the data has no clusters.
    private func sweepValues(_ arguments: BoundArguments, method: ClusteringMethod, gap: Bool) throws(Diagnostic)
        -> (parameter: String, values: [Int], text: String) {
        let candidates = sweepable.filter { option in
            switch arguments.value(option.name) {
            case .range?, .list?: true
            default: false
            }
        }
        if candidates.count > 1 {
            throw Diagnostic("a sweep varies one option; \(candidates[0].name)= and \(candidates[1].name)= both give several values",
                             at: arguments.range(of: candidates[1].name))
        }
        let parameter: (name: String, least: Int, methods: [ClusteringMethod])
        if let swept = candidates.first {
            parameter = swept
        } else if method == .hdbscan {
            guard arguments.has("min_cluster_size") else {
                throw Diagnostic("sweep method=hdbscan needs the option to vary", at: arguments.range(of: "method"),
                                 hint: "like min_cluster_size=5..50 step=5 or min_samples=[1, 5, 10]")
            }
            parameter = sweepable[1]
        } else {
            parameter = sweepable[0]
        }
        let name = parameter.name, least = name == "k" && gap ? 1 : parameter.least
        let at = arguments.range(of: name)
        let example = name == "k" ? "k=2..20" : "\(name)=\(max(least, 5))..\(max(least, 5) * 4)"
        let step = try arguments.integer("step", atLeast: 1)
        if step != nil, let value = arguments.value(name) {
            guard case .range = value else {
                throw Diagnostic("step= takes every N-th value of a range, like \(name == "k" ? "k=2..40" : example) step=2",
                                 at: arguments.range(of: "step"))
            }
        }
        var values: [Int]
        switch arguments.value(name) {
        case .list(let items)?:
            guard !items.isEmpty else {
                throw Diagnostic("\(name)=[] lists no values", at: at, hint: "list some, like \(name)=[10, 20, 25]")
            }
            values = try items.map { item throws(Diagnostic) in
                guard case .integer(let v) = item else {
                    throw Diagnostic("\(name)= lists whole numbers, like \(name)=[10, 20, 25]; got '\(item)'", at: at)
                }
                guard v >= least else { throw Diagnostic("every \(name) must be at least \(least); the list has \(name)=\(v)", at: at) }
                return v
            }
            values = Array(Set(values)).sorted()
        case .range(let a, let b)?:
            guard a >= least, b >= a else {
                throw Diagnostic("sweep needs \(name) from \(least) up, like \(example)", at: at,
                                 hint: name == "k" && !gap && a == 1 ? "k=1 is swept only with gap=on" : nil)
            }
            values = Array(stride(from: a, through: b, by: step ?? 1))
        case .integer(let a)?:
            guard a >= least else { throw Diagnostic("sweep needs \(name) from \(least) up, like \(example)", at: at) }
            values = [a]
        default:
            values = Array(stride(from: 2, through: 10, by: step ?? 1))
        }
        let written = arguments.value(name).map { "\(name)=\($0)" } ?? "k=2..10"
        return (name, values, written + (step.map { " step=\($0)" } ?? ""))
    }

    /// Clusters and scores for each value of the plan, keeping the labels in
    /// `dataset` when asked; Ctrl-C stops the sweep with the rows done.
    ///
    /// One bar counts the values done; the clusterings' and silhouettes' own
    /// progress only keeps it drawn, so no bar replaces it.
    private func sweepRows(_ plan: SweepPlan, _ usable: UsableDocuments, into dataset: inout Dataset,
                           _ arguments: BoundArguments) throws -> (rows: [SweepResult.Row], interrupted: Bool) {
        var rows: [SweepResult.Row] = []
        let terminal = session.progress
        let bar = session.settings.format == .table ? terminal.map(SweepProgress.init) : nil
        if let bar {
            bar.begin("sweep \(plan.valuesText)", values: plan.values.count)
            session.progress = bar
        }
        // the bar is gone before the table or the note of Ctrl-C is printed
        defer {
            bar?.end()
            session.progress = terminal
        }
        let clock = ContinuousClock()
        // one box for every k: the same reference sets (seed + b) serve each value, as in clusGap
        let box = plan.gap.map { GapReferenceBox(usable.embeddings, space: $0.space, parallelism: session.parallelism) }
        for value in plan.values {
            do {
                let swept = SweptValue(name: plan.parameter, value: value)
                let start = clock.now
                let result: ClusterOutcome
                switch plan.method {
                case .agglomerative:
                    result = try runAgglomerative(k: plan.k(value), metric: plan.metricName, embeddings: usable.embeddings, arguments)
                case .hdbscan:
                    result = try runHDBSCAN(minClusterSize: plan.minClusterSize(value), metric: plan.metricName,
                                            embeddings: usable.embeddings, arguments, swept: swept)
                case .kmeans, .minibatch:
                    result = try runKMeansFamily(method: plan.method.rawValue, k: plan.k(value), seed: plan.seed,
                                                 spherical: plan.metric == .cosine, embeddings: usable.embeddings, arguments, swept: swept)
                }
                let fitSeconds = (clock.now - start).inSeconds
                var row = try sweepRow(value: value, fitSeconds: fitSeconds, result, plan, usable)
                if let runs = plan.stabilityRuns {
                    let recipe = ClusteringRecipe(method: plan.method, k: plan.k(value), minClusterSize: plan.minClusterSize(value),
                                                  metric: plan.metricName, seed: plan.seed, swept: swept)
                    row.stability = try measureStability(recipe, usable.embeddings, runs: runs, size: usable.embeddings.count * 4 / 5,
                                                         bootstrap: false, arguments, label: nil).stability.meanJaccard
                }
                if let box, let sets = plan.gap?.sets {
                    row.gap = try gapValue(box, sets: sets, labels: result.labels, plan, swept, usable.embeddings, arguments)
                }
                rows.append(row)
                // labels read from a file are never replaced by a sweep
                let alias = plan.alias(value)
                if plan.keep, dataset.clustering(alias: alias, vectorField: usable.name).map({ $0.details != nil }) ?? true {
                    let details = ClusteringDetails(method: plan.method.rawValue,
                                                    parameters: [("k", String(result.clusterCount)), ("metric", plan.metricName)]
                                                        + (plan.method.isSeeded ? [("seed", String(plan.seed))] : []) + result.parameters,
                                                    iterations: result.iterations, inertia: result.inertia, seconds: fitSeconds)
                    let labels = spread(result.labels, over: usable.rows, count: dataset.count)
                    dataset.store(Clustering(vectorField: usable.name, alias: alias, labels: labels, clusterNames: result.clusterNames,
                                             details: details))
                }
                bar?.completed(rows.count)
            } catch is Cancelled {
                return (rows, true)  // the rows done so far are kept
            }
        }
        return (rows, false)
    }

    /// gap(k) of one clustering: log W_k of the documents against the mean
    /// log W*_k of `sets` reference sets from `box` (set b drawn with seed + b),
    /// each clustered by the sweep's method with the same k and options. nil
    /// when some W is 0 (as many distinct points as clusters): its log has no value.
    private func gapValue(_ box: GapReferenceBox, sets: Int, labels: [Int], _ plan: SweepPlan, _ swept: SweptValue,
                          _ x: Embeddings, _ arguments: BoundArguments) throws -> GapValue? {
        let w = withinClusterDispersion(x, labels: labels)
        var referenceLogW: [Double] = []
        for b in 0 ..< sets {
            try session.cancellation.check()
            var rng = SeededGenerator(seed: plan.seed &+ UInt64(b))
            let reference = box.referenceSet(count: x.count, using: &rng)
            let outcome = plan.method == .agglomerative
                ? try runAgglomerative(k: swept.value, metric: plan.metricName, embeddings: reference, arguments)
                : try runKMeansFamily(method: plan.method.rawValue, k: swept.value, seed: plan.seed, spherical: false,
                                      embeddings: reference, arguments, swept: swept)
            referenceLogW.append(log(withinClusterDispersion(reference, labels: outcome.labels)))
        }
        guard w > 0, referenceLogW.allSatisfy(\.isFinite) else { return nil }
        return GapValue(logW: log(w), referenceLogW: referenceLogW)
    }

    /// The indices of one clustering of the sweep: the silhouette exact, or
    /// estimated as `metrics sample= seed=` would for the kept alias. HDBSCAN's
    /// outliers are left out, as `metrics` leaves them out; fewer than two
    /// clusters have no internal indices.
    private func sweepRow(value: Int, fitSeconds: Double, _ result: ClusterOutcome, _ plan: SweepPlan,
                          _ usable: UsableDocuments) throws -> SweepResult.Row {
        let noiseCode = (result.noise ?? 0) > 0 ? result.clusterNames.count - 1 : nil
        let kept = result.labels.indices.filter { result.labels[$0] != noiseCode }
        let labels = kept.map { result.labels[$0] }
        let k = result.clusterCount
        var scores: [ClusteringIndex: Double] = [:]
        var estimate: SilhouetteEstimate? = nil
        if k >= 2, k < labels.count {
            let x = kept.count == result.labels.count ? usable.embeddings : usable.embeddings.rows(kept)
            (scores, estimate) = try internalIndices(x, labels: labels, metric: plan.metric, sample: plan.sample, seed: plan.seed)
        }
        var ari: Double? = nil, nmi: Double? = nil
        if let truth = usable.truth {
            let scored = kept.filter { truth[$0] >= 0 }
            let table = ContingencyTable(truth: scored.map { truth[$0] }, predicted: scored.map { result.labels[$0] })
            ari = adjustedRandIndex(table)
            nmi = normalizedMutualInformation(table)
        }
        return SweepResult.Row(value: value, k: k, noise: result.noise, fitSeconds: fitSeconds, iterations: result.iterations,
                               inertia: result.inertia, silhouette: scores[.silhouette], silhouetteEstimate: estimate,
                               calinskiHarabasz: scores[.calinskiHarabasz], daviesBouldin: scores[.daviesBouldin],
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
final class SweepProgress: ProgressReporter {
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

/// The knee of a decreasing curve by kneedle (Satopää et al. 2011): both axes
/// scaled to 0…1, the point farthest below the straight line from the first
/// point to the last (the maximum of kneedle's difference curve).
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
