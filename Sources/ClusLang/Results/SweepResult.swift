/// What `sweep` computed: for each k the clustering's inertia and indices,
/// the best k by each index and the elbow of the inertia curve.
struct SweepResult: CommandOutput {
    /// One value of k.
    struct Row: Sendable {
        let k: Int
        /// nil for methods without iterations (agglomerative).
        let iterations: Int?
        /// nil for methods without an objective (agglomerative).
        let inertia: Double?
        let silhouette: Double?
        let calinskiHarabasz: Double?
        let daviesBouldin: Double?
        /// nil without `truth=`.
        let adjustedRandIndex: Double?
        let normalizedMutualInfo: Double?

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

    let command = "sweep"
    let dataset: String
    let vectorField: String
    let method: String
    /// The metric as given (`euclidean`, `cosine`).
    let metric: String
    /// k-means on cosine: spherical k-means.
    let spherical: Bool
    let truth: String?
    let rows: [Row]
    /// The values of k asked for, from the first.
    let kRange: ClosedRange<Int>
    /// The aliases the labels were kept under, one per row (empty with `keep=off`).
    let keptAliases: [String]
    /// Aliases read from the file, which a sweep never replaces.
    let notReplaced: [String]
    /// Ctrl-C stopped the sweep: `rows` are those done.
    let interrupted: Bool

    /// The indices a sweep computes, in its columns' order; the external ones need `truth=`.
    static let indices: [ClusteringIndex] = [.silhouette, .calinskiHarabasz, .daviesBouldin, .adjustedRandIndex, .normalizedMutualInfo]

    /// The row with the best value of `index`: the lowest Davies-Bouldin, the highest of the others.
    func best(_ index: ClusteringIndex) -> Int? {
        let present = rows.enumerated().compactMap { i, row in row.value(of: index).map { (i, $0) } }
        return (index == .daviesBouldin ? present.min { $0.1 < $1.1 } : present.max { $0.1 < $1.1 })?.0
    }

    /// The row at the knee of the inertia curve; nil without inertia or with fewer than 3 rows.
    var elbow: Int? {
        let inertia = rows.compactMap(\.inertia)
        return inertia.count == rows.count ? elbowIndex(rows.map { Double($0.k) }, inertia) : nil
    }

    var jsonMembers: [JSONMember] {
        func k(_ row: Int?) -> JSONValue { row.map { .int(rows[$0].k) } ?? .null }
        return [
            JSONMember("dataset", .string(dataset)),
            JSONMember("vector_field", .string(vectorField)),
            JSONMember("method", .string(method)),
            JSONMember("metric", .string(metric)),
            JSONMember("truth", .text(truth)),
            JSONMember("rows", .array(rows.map { row in
                .object([JSONMember("k", .int(row.k)), JSONMember("iterations", row.iterations.map(JSONValue.int) ?? .null),
                         JSONMember("inertia", .number(row.inertia))]
                        + SweepResult.indices.map { JSONMember($0.key, .number(row.value(of: $0))) })
            })),
            JSONMember("best", .object(SweepResult.indices.map { JSONMember($0.key, k(best($0))) } + [JSONMember("elbow", k(elbow))])),
            JSONMember("interrupted", .bool(interrupted)),
        ]
    }

    var blocks: [Block] {
        let shown = truth == nil ? Array(SweepResult.indices.prefix(3)) : SweepResult.indices
        // people read the elbow as an arrow in a column without a header; CSV as a true/false column
        var table = Table(columns: [.number("k"), .number("inertia"), Table.Column("", key: "elbow")]
                          + shown.map { .number(SweepResult.header($0), key: $0.key) })
        let bests = shown.map(best)
        let elbow = elbow
        for (i, row) in rows.enumerated() {
            // k is a count of clusters, written as given (never grouped)
            table.append([.text(String(row.k)), row.inertia.map(Cell.grouped) ?? .score(nil), .tag("← elbow", i == elbow)]
                         + zip(shown, bests).map { index, best in .marked(SweepResult.cell(index, row.value(of: index)), i == best) })
        }
        table.footer = footer
        return [.table(table)]
    }

    /// The column headers, as people have read them since the first sweep.
    private static func header(_ index: ClusteringIndex) -> String { index == .silhouette ? "silhouette" : index.label }

    /// Silhouette and Davies-Bouldin with 4 decimals, Calinski-Harabasz grouped; `—` when missing.
    private static func cell(_ index: ClusteringIndex, _ value: Double?) -> Cell {
        guard let value else { return .score(nil) }
        switch index {
        case .silhouette, .daviesBouldin: return .fixed(value, digits: 4)
        case .calinskiHarabasz: return .grouped(value)
        default: return .score(value)
        }
    }

    private var footer: [String] {
        var lines = ["\(method) on \(vectorField), \(metric)\(spherical ? " (spherical)" : "")",
                     "* best k by each index (silhouette, Calinski-Harabasz, ARI, NMI: highest; Davies-Bouldin: lowest)"]
        if let first = keptAliases.first, let last = keptAliases.last {
            lines.append("labels kept as \(first == last ? first : first + "…" + last); keep=off keeps none")
        }
        if !keptAliases.isEmpty, !notReplaced.isEmpty { lines.append("not replaced (read from the file): " + notReplaced.joined(separator: ", ")) }
        if interrupted { lines.append("interrupted: \(rows.count) of \(kRange.count) values of k done") }
        return lines
    }
}
