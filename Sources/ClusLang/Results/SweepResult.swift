import ClusCore

/// What `sweep` computed: for each value of the swept option (k,
/// min_cluster_size, ...) the clustering's inertia, indices and fit time, the
/// best value by each index and the elbow of the inertia curve.
struct SweepResult: CommandOutput {
    /// One value of the swept option.
    struct Row: Sendable {
        /// The swept option's value.
        let value: Int
        /// Clusters found, the noise not counted.
        let k: Int
        /// HDBSCAN's outliers; nil for the other methods.
        let noise: Int?
        /// Seconds the clustering took (not the scoring).
        let fitSeconds: Double
        /// nil for methods without iterations (agglomerative).
        let iterations: Int?
        /// nil for methods without an objective (agglomerative).
        let inertia: Double?
        let silhouette: Double?
        /// Set when the silhouette was estimated from a sample.
        var silhouetteEstimate: SilhouetteEstimate? = nil
        let calinskiHarabasz: Double?
        let daviesBouldin: Double?
        /// nil without `truth=`.
        let adjustedRandIndex: Double?
        let normalizedMutualInfo: Double?
        /// `stability=on`: the mean Jaccard of clusterboot's resamples; nil: off.
        var stability: Double? = nil
        /// `gap=on`: gap(k) and its standard error; nil: off, or no value (a W of 0).
        var gap: GapValue? = nil

        func value(of index: ClusteringIndex) -> Double? {
            switch index {
            case .silhouette: silhouette
            case .calinskiHarabasz: calinskiHarabasz
            case .daviesBouldin: daviesBouldin
            case .adjustedRandIndex: adjustedRandIndex
            case .normalizedMutualInfo: normalizedMutualInfo
            default: nil
            }
        }
    }

    /// How `gap=on` drew its reference sets, and the best k it gives.
    struct GapSettings {
        /// B, the reference sets per value of k.
        let sets: Int
        let space: GapReferenceSpace
        /// Row indices of the best k by Tibshirani's rule and by firstSEmax;
        /// nil when a row has no gap.
        let best: (tibshirani: Int, firstSEmax: Int)?
    }

    let command = "sweep"
    let dataset: String
    let vectorField: String
    /// Documents clustered.
    let documents: Int
    let method: String
    /// The metric as given (`euclidean`, `cosine`).
    let metric: String
    /// k-means on cosine: spherical k-means.
    let spherical: Bool
    let truth: String?
    /// The option swept: `k`, `min_cluster_size`, `min_samples`, `n_init`, `max_iter` or `batch`.
    let parameter: String
    let rows: [Row]
    /// The values asked for, increasing.
    let values: [Int]
    /// The silhouette's sample size (`sample=`); nil: exact.
    let sample: Int?
    /// The seed that drew the samples.
    let seed: UInt64
    /// `gap=on`; nil: off.
    let gap: GapSettings?
    /// `sample=N` that covered every document, so the silhouette is exact.
    let sampleCoveringAll: Int?
    /// The aliases the labels were kept under, one per row (empty with `keep=off`).
    let keptAliases: [String]
    /// Aliases read from the file, which a sweep never replaces.
    let notReplaced: [String]
    /// Ctrl-C stopped the sweep: `rows` are those done.
    let interrupted: Bool
    /// Documents left out of every clustering and score, without a label.
    let withoutVector: WithoutVector

    var notes: [String] {
        withoutVector.count == 0 ? [] : ["\(withoutVector.phrase("is", "are")) left out of the clusterings and the scores"]
    }

    /// The indices a sweep computes, in its columns' order; the external ones need `truth=`.
    static let indices: [ClusteringIndex] = [.silhouette, .calinskiHarabasz, .daviesBouldin, .adjustedRandIndex, .normalizedMutualInfo]

    /// The row with the best value of `index`: the lowest Davies-Bouldin, the highest of the others.
    func best(_ index: ClusteringIndex) -> Int? {
        let present = rows.enumerated().compactMap { i, row in row.value(of: index).map { (i, $0) } }
        return (index == .daviesBouldin ? present.min { $0.1 < $1.1 } : present.max { $0.1 < $1.1 })?.0
    }

    /// The row at the knee of the inertia curve over k (kneedle); nil when
    /// another option is swept, without inertia or with fewer than 3 rows.
    var elbow: Int? {
        let inertia = rows.compactMap(\.inertia)
        return parameter == "k" && inertia.count == rows.count ? elbowIndex(rows.map { Double($0.k) }, inertia) : nil
    }

    /// `stability=on`: the rows have clusterboot's mean Jaccard.
    private var hasStability: Bool { rows.contains { $0.stability != nil } }

    /// HDBSCAN: the rows count its outliers.
    private var hasNoise: Bool { rows.contains { $0.noise != nil } }

    /// The indices computed: the external ones only with `truth=`.
    var computed: [ClusteringIndex] { truth == nil ? Array(SweepResult.indices.prefix(3)) : SweepResult.indices }

    /// Whether the method has an objective (the k-means family's inertia).
    private var hasObjective: Bool { rows.contains { $0.inertia != nil } }

    var jsonMembers: [JSONMember] {
        func value(_ row: Int?) -> JSONValue { row.map { .int(rows[$0].value) } ?? .null }
        return [
            JSONMember("dataset", .string(dataset)),
            JSONMember("vector_field", .string(vectorField)),
            JSONMember("method", .string(method)),
            JSONMember("metric", .string(metric)),
            JSONMember("truth", .text(truth)),
            JSONMember("parameter", .string(parameter)),
            JSONMember("objective", hasObjective ? .string(spherical ? "sum_cosine_distance" : "sum_squared_distance") : .null),
            JSONMember("sample", sample.map(JSONValue.int) ?? .null),
            JSONMember("gap_reference", gap.map { .string($0.space.rawValue) } ?? .null),
            JSONMember("gap_B", gap.map { .int($0.sets) } ?? .null),
            withoutVector.jsonMember,
            JSONMember("rows", .array(rows.map { row in
                .object((parameter == "k" ? [] : [JSONMember(parameter, .int(row.value))])
                        + [JSONMember("k", .int(row.k))] + (hasNoise ? [JSONMember("noise", row.noise.map(JSONValue.int) ?? .null)] : [])
                        + [JSONMember("fit_s", .double(rounded(row.fitSeconds, digits: 6))),
                           JSONMember("iterations", row.iterations.map(JSONValue.int) ?? .null),
                         JSONMember("inertia", .number(row.inertia))]
                        + SweepResult.indices.map { JSONMember($0.key, .number(row.value(of: $0))) }
                        + [JSONMember("silhouette_ci_low", .number(row.silhouetteEstimate?.low)),
                           JSONMember("silhouette_ci_high", .number(row.silhouetteEstimate?.high)),
                           JSONMember("stability", .number(row.stability)),
                           JSONMember("gap", .number(row.gap?.gap)), JSONMember("gap_se", .number(row.gap?.standardError))])
            })),
            JSONMember("best", .object(SweepResult.indices.map { JSONMember($0.key, value(best($0))) }
                                       + [JSONMember("elbow", value(elbow)), JSONMember("gap", value(gap?.best?.tibshirani)),
                                          JSONMember("gap_first_se_max", value(gap?.best?.firstSEmax))])),
            JSONMember("elbow_method", hasObjective && parameter == "k" ? .string("kneedle") : .null),
            JSONMember("interrupted", .bool(interrupted)),
        ]
    }

    var blocks: [Block] {
        let shown = computed
        // people read the elbow as an arrow in a column without a header; CSV as a true/false column
        let objective: [Table.Column] = hasObjective
            ? [.number(spherical ? "cosine objective" : "inertia", key: "inertia")]
                + (parameter == "k" ? [Table.Column("", key: "elbow")] : []) : []
        let swept: [Table.Column] = [.number(parameter)] + (parameter == "k" ? [] : [.number("k")]) + (hasNoise ? [.number("noise")] : [])
        var table = Table(columns: swept + objective + shown.map { .number(SweepResult.header($0), key: $0.key) }
                          + (hasStability ? [.number("stability")] : [])
                          + (gap != nil ? [.number("gap"), .number("gap SE", key: "gap_se")] : [])
                          + [Table.Column("fit", key: "", .right)])  // wall time: in json (fit_s), not in CSV, which tests compare whole
        let bests = shown.map(best)
        let elbow = elbow
        for (i, row) in rows.enumerated() {
            // k is a count of clusters, written as given (never grouped)
            let objectiveCells: [Cell] = hasObjective ? [row.inertia.map(Cell.grouped) ?? .score(nil)]
                + (parameter == "k" ? [.tag("← elbow (kneedle)", i == elbow)] : []) : []
            let sweptCells: [Cell] = [.text(String(row.value))] + (parameter == "k" ? [] : [.text(String(row.k))])
                + (hasNoise ? [row.noise.map(Cell.count) ?? .empty] : [])
            let indexCells: [Cell] = zip(shown, bests).map { index, best in .marked(SweepResult.cell(index, of: row), i == best) }
            var gapCells: [Cell] = []
            if gap != nil {
                let value: Cell = row.gap.map { .fixed($0.gap, digits: 4) } ?? .score(nil)
                let error: Cell = row.gap.map { .fixed($0.standardError, digits: 4) } ?? .score(nil)
                gapCells = [.marked(value, i == gap?.best?.tibshirani), error]
            }
            let stabilityCells: [Cell] = hasStability ? [.score(row.stability)] : []
            table.append(sweptCells + objectiveCells + indexCells + stabilityCells + gapCells + [.seconds(row.fitSeconds)])
        }
        table.footer = footer
        return [.table(table)]
    }

    /// The column headers, as people have read them since the first sweep.
    private static func header(_ index: ClusteringIndex) -> String { index == .silhouette ? "silhouette" : index.label }

    /// Silhouette and Davies-Bouldin with 4 decimals (a sampled silhouette
    /// with its 95% CI), Calinski-Harabasz grouped; `—` when missing.
    private static func cell(_ index: ClusteringIndex, of row: Row) -> Cell {
        guard let value = row.value(of: index) else { return .score(nil) }
        switch index {
        case .silhouette:
            return row.silhouetteEstimate.map { .estimate($0.value, halfWidth: $0.halfWidth) } ?? .fixed(value, digits: 4)
        case .daviesBouldin: return .fixed(value, digits: 4)
        case .calinskiHarabasz: return .grouped(value)
        default: return .score(value)
        }
    }

    private var footer: [String] {
        var lines = ["\(method) on \(vectorField), \(metric)\(spherical ? " (spherical)" : ""), " + silhouetteKind]
        if hasObjective, spherical {
            lines.append("cosine objective: the sum over the documents of 1 − cos to their cluster's unit-length centroid")
        }
        let highest = computed.filter { $0 != .daviesBouldin }.map(SweepResult.header)
        lines.append("* best \(parameter) by each index (\(highest.joined(separator: ", ")): highest; Davies-Bouldin: lowest)")
        if let first = keptAliases.first, let last = keptAliases.last {
            lines.append("labels kept as \(first == last ? first : first + "…" + last); keep=off keeps none")
        }
        if !keptAliases.isEmpty, !notReplaced.isEmpty { lines.append("not replaced (read from the file): " + notReplaced.joined(separator: ", ")) }
        if let all = sampleCoveringAll {
            lines.append("sample=\(all) covers all \(Format.count(documents - withoutVector.count)) documents: the silhouette is exact")
        }
        if elbow != nil {
            lines.append("← elbow: the knee of the \(spherical ? "cosine objective" : "inertia") curve by kneedle (Satopää et al. 2011)")
        }
        if hasNoise { lines.append("noise: HDBSCAN's outliers, left out of the indices; k: the clusters found") }
        if hasStability {
            lines.append("stability: mean Jaccard of each cluster with its best match in subsets of 80% (clusterboot; ≥ 0.75 stable, ≤ 0.5 dissolved)")
        }
        if let gap {
            let box = gap.space == .scaledPCA ? "the box of the data's principal-component coordinates" : "the data's bounding box"
            lines.append("gap: mean log W of \(gap.sets) reference sets uniform in \(box), minus log W (W: within-cluster sum of squares; Tibshirani et al. 2001)")
            if let best = gap.best {
                lines.append("gap *: the first \(parameter) with gap ≥ the next gap − its SE (Tibshirani's rule); by firstSEmax: \(parameter)=\(rows[best.firstSEmax].value)")
            } else {
                lines.append("gap: no best \(parameter): some clustering has a within-cluster sum of squares of 0")
            }
        }
        lines.append("fit: seconds each clustering took")
        if interrupted { lines.append("interrupted: \(rows.count) of \(values.count) values of \(parameter) done") }
        return lines + notes
    }

    /// "exact silhouette", or how the sample was drawn.
    private var silhouetteKind: String {
        guard let sample else { return "exact silhouette" }
        return "silhouette estimated from a stratified sample of about \(Format.count(sample)) documents per k (seed=\(seed)), ± its 95% CI"
    }
}
