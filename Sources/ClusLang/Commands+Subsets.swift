import ClusCore
import ClusData

/// `filter` and `sample`: subsets of the current dataset, kept as new datasets
/// that view its documents (see `DatasetView` for what is copied).
extension Interpreter {
    func filter(_ arguments: BoundArguments) throws -> SubsetResult {
        guard let condition = arguments.call.arguments.first, let expression = condition.expression else {
            throw Diagnostic("filter needs a condition, as in: filter price < 10", at: arguments.call.nameRange,
                             hint: "usage: \(arguments.spec.usage)")
        }
        // has(vector) reads the vectors' presence: the subset's are gathered
        let source = try session.currentDataset()
        let keep = try FilterEvaluator(dataset: source, resolve: resolve).matches(expression)
        let rows = keep.indices.filter { keep[$0] }
        let text = FilterText(resolve: resolve).text(expression)
        guard !rows.isEmpty else {
            throw Diagnostic("no document of \(source.name) matches \(text)", at: condition.value.range,
                             hint: "a subset needs at least one document")
        }
        return try addSubset(of: source, rows: rows, expression: text, arguments, nameAt: 1, defaultName: source.name + "_filtered")
    }

    func sample(_ arguments: BoundArguments) throws -> SubsetResult {
        // drawing needs no vectors: the stored dataset, not gathered
        let source = try session.currentStoredDataset()
        guard let n = try arguments.integer("n", atLeast: 1) else {
            throw Diagnostic("sample needs n=N, the number of documents to draw", at: arguments.call.nameRange,
                             hint: "usage: \(arguments.spec.usage)")
        }
        guard n <= source.count else {
            throw Diagnostic("n=\(n) is more than the \(Format.count(source.count, "document", "documents")) of \(source.name)",
                             at: arguments.range(of: "n"), hint: "a sample is drawn without replacement")
        }
        let seed = try arguments.integer("seed", atLeast: 0).map(UInt64.init) ?? session.settings.seed
        let strata = try sampleStrata(of: source, arguments)
        var rng = SeededGenerator(seed: seed)
        // at least one document of every value when n allows it, the rest in proportion
        let drawn = StratifiedSample(labels: strata.codes, size: n, minimumPerCluster: n >= strata.names.count ? 1 : 0, using: &rng)
        var expression = "sample n=\(n)"
        if let by = arguments.text("by") { expression += " by=\(by)" }
        expression += " seed=\(seed)"
        var result = try addSubset(of: source, rows: drawn.indices.sorted(), expression: expression, arguments,
                                   nameAt: 0, defaultName: source.name + "_sample")
        if arguments.has("by") {
            result.strata = zip(strata.names, drawn.strata).map { ($0, $1.size, $1.members.count) }
        }
        return result
    }

    /// A code per document for `by=` (documents without the value form one
    /// more stratum), or one stratum without it.
    private func sampleStrata(of d: Dataset, _ arguments: BoundArguments) throws(Diagnostic) -> (codes: [Int], names: [String]) {
        guard let by = arguments.text("by"), let range = arguments.range(of: "by") else {
            return ([Int](repeating: 0, count: d.count), ["all"])
        }
        // a subset is kept without its vectors: name them for the lookup's messages
        var named = d
        if let view = d.view { named.vectors = view.sourceVectors }
        let interned: InternedLabels
        switch try FilterEvaluator(dataset: named, resolve: resolve).operand(FieldReference(name: by, range: range)) {
        case .field(let column): interned = column.interned()
        case .labels(let c): interned = InternedLabels(codes: c.labels, names: c.clusterNames)
        case .vector: throw Diagnostic("'\(by)' is a vector field; by= takes a field or a clustering", at: range)
        }
        // StratifiedSample's strata are the codes present, in order: -1 (no value) first
        let present = Set(interned.codes).sorted()
        return (interned.codes, present.map { $0 < 0 ? "(none)" : interned.names[$0] })
    }

    /// Names the subset (`as NAME`, or `source_filtered`, `_2` …), adds it and makes it current.
    private func addSubset(of source: Dataset, rows: [Int], expression: String, _ arguments: BoundArguments,
                           nameAt index: Int, defaultName: String) throws -> SubsetResult {
        let name: String
        if let given = arguments.text(at: index) {
            guard !session.datasets.contains(where: { $0.name == given }) else {
                throw Diagnostic("a dataset named '\(given)' already exists", at: arguments.positionals[index].range,
                                 hint: "choose another name, or 'drop \(given)' first")
            }
            name = given
        } else {
            name = session.unusedDatasetName(defaultName)
        }
        let subset = source.subset(rows: rows, name: name, expression: expression)
        try session.add(subset)
        // the source's current clustering stays current when it came along
        if let current = session.currentAliases[source.name],
           subset.clustering(alias: current.alias, vectorField: current.vectorField) != nil {
            session.currentAliases[name] = current
        }
        return SubsetResult(command: arguments.spec.name, dataset: name, source: source.name, expression: expression,
                            documents: rows.count, sourceDocuments: source.count, strata: [])
    }
}
