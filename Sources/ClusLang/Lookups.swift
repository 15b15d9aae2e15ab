import ClusCore
import ClusData

/// Finding what a command names in the session: datasets, vector fields,
/// clusterings and truth fields, with "did you mean" when a name is unknown.
extension Interpreter {
    /// The vector field named, or the dataset's default (its first).
    func vectorColumn(in dataset: Dataset, named name: String?, range: SourceRange?) throws(Diagnostic) -> VectorColumn {
        if let name, !name.isEmpty {  // "": a field's labels on a dataset without vectors
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
            return try clustering(named: alias, in: dataset, vectorField: field, at: arguments.range(of: "alias") ?? SourceRange(0, 0))
        }
        if let current = session.currentAliases[dataset.name], field == nil || field == current.vectorField,
           let c = dataset.clustering(alias: current.alias, vectorField: current.vectorField) {
            return c
        }
        if let c = dataset.clusterings.last(where: { field == nil || $0.vectorField == field }) { return c }
        throw Diagnostic("\(dataset.name) has no clustering yet", hint: "run 'cluster k=N' first, or load documents with _cluster_ labels")
    }

    /// The clustering an alias names (of `vectorField` when given); when no
    /// alias has the name, a scalar field of that name, its values as cluster
    /// labels (`Clustering(field:)`, made here and not stored).
    func clustering(named name: String, in dataset: Dataset, vectorField: String?, at range: SourceRange) throws(Diagnostic) -> Clustering {
        if let c = dataset.clustering(alias: name, vectorField: vectorField) { return c }
        let aliases = dataset.clusterings.filter { vectorField == nil || $0.vectorField == vectorField }.map(\.alias)
        if !dataset.clusterings.contains(where: { $0.alias == name }), let field = dataset.field(named: name) {
            guard field.values.contains(where: { $0.flatMap(LabelValue.init) != nil }) else {
                throw Diagnostic("the field \(name) has no values to use as cluster labels", at: range)
            }
            // internal indices of a field's labels use the vector field named, or the default one
            return Clustering(field: field, vectorField: vectorField ?? dataset.vectors.first?.name ?? "")
        }
        let fields = dataset.fields.map(\.name)
        throw Diagnostic.unknown("alias or field", name, at: range, known: aliases + fields)
            .withFallbackHint(aliases.isEmpty ? "no clusterings yet: run 'cluster k=N', or name a field whose values are cluster labels"
                                              : "aliases: " + aliases.joined(separator: ", "))
    }

    /// The field named by `truth=`, with "did you mean" when it is unknown.
    func truthColumn(in dataset: Dataset, _ arguments: BoundArguments) throws(Diagnostic) -> FieldColumn? {
        guard let name = arguments.text("truth") else { return nil }
        guard let field = dataset.field(named: name) else {
            throw Diagnostic.unknown("field", name, at: arguments.range(of: "truth") ?? SourceRange(0, 0), known: dataset.fields.map(\.name))
                .withFallbackHint("fields: " + dataset.fields.prefix(20).map(\.name).joined(separator: ", "))
        }
        return field
    }

    /// The dataset named by the first positional (`use`, `drop`).
    func knownDataset(_ arguments: BoundArguments) throws(Diagnostic) -> String {
        guard let name = arguments.text(at: 0), let range = arguments.positionals.first?.range else {
            throw Diagnostic("a dataset name is needed")
        }
        guard session.datasets.contains(where: { $0.name == name }) else {
            throw Diagnostic.unknown("dataset", name, at: range, known: session.datasets.map(\.name))
        }
        return name
    }
}

/// How a clustering is scored unless the command says otherwise: with the
/// metric it was made with, leaving out the noise label it knows it has.
extension Interpreter {
    /// `metric=` as given, else the metric the clustering was made with, else the session's.
    func scoringMetric(_ arguments: BoundArguments, for c: Clustering) -> DistanceMetric {
        arguments.text("metric").flatMap(DistanceMetric.init(rawValue:)) ?? madeWith(c) ?? session.settings.metric
    }

    /// The metric a clustering was made with (nil for labels read from a file).
    func madeWith(_ c: Clustering) -> DistanceMetric? {
        c.details?.parameters.first { $0.0 == "metric" }.flatMap { DistanceMetric(rawValue: $0.1) }
    }

    /// The noise label to leave out: `noise=` as given (`none`: none), else the clustering's own.
    func scoringNoise(_ arguments: BoundArguments, for c: Clustering) -> NoiseChoice {
        switch arguments.text("noise") {
        case "none"?: .off
        case let name?: .given(name)
        case nil: knownNoise(of: c).map { .own($0) } ?? .none
        }
    }

    /// The noise label a clustering knows it has: HDBSCAN's outliers, the cluster named -1.
    func knownNoise(of c: Clustering) -> String? {
        c.details?.method == ClusteringMethod.hdbscan.rawValue && c.clusterNames.contains("-1") ? "-1" : nil
    }

    /// Clusters of a clustering; k never counts its known noise label.
    func clusterCount(_ c: Clustering) -> Int { c.k - (knownNoise(of: c) == nil ? 0 : 1) }
}

/// Which cluster is left out as noise, and why.
enum NoiseChoice: Sendable, Equatable {
    /// No noise label is known: every cluster is scored.
    case none
    /// `noise=none`: every cluster is scored, the clustering's own noise label too.
    case off
    /// `noise=NAME`.
    case given(String)
    /// The clustering's own noise label (HDBSCAN's -1), left out by default.
    case own(String)

    var name: String? {
        switch self {
        case .none, .off: nil
        case .given(let name), .own(let name): name
        }
    }
}

/// The noise label a score left out and how many documents it held (nil:
/// none set, or no cluster has it), for the footers.
struct NoiseLeftOut: Sendable {
    let choice: NoiseChoice
    let count: Int?

    /// The footer line, if there is something to say.
    func note(alias: String) -> String? {
        switch (choice, count) {
        case (.own(let label), let count?):
            "\(Format.count(count, "document", "documents")) under the noise label \(label) (HDBSCAN's outliers) \(count == 1 ? "is" : "are") left out of all indices; noise=none scores \(count == 1 ? "it" : "them") as a cluster"
        case (.given(let label), let count?):
            "\(Format.count(count, "document", "documents")) under the noise label \(label) \(count == 1 ? "is" : "are") left out of all indices"
        case (.given(let label), nil):
            "no cluster of \(alias) is named \(label): no documents are left out as noise"
        default: nil
        }
    }
}

extension Clustering {
    /// The cluster code of a noise label (`-1` also finds Relevance AI's `cluster_-1`), or nil.
    func code(ofNoise name: String?) -> Int? {
        guard let name else { return nil }
        return clusterNames.firstIndex(of: name) ?? clusterNames.firstIndex(of: "cluster_" + name)
    }
}
