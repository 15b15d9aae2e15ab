import ClusCore
import ClusData

/// Finding what a command names in the session: datasets, vector fields,
/// clusterings and truth fields, with "did you mean" when a name is unknown.
extension Interpreter {
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
