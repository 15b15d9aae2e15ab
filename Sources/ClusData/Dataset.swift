/// A loaded dataset: documents as columns of scalar fields and vectors, and
/// the clusterings known for them.
public struct Dataset: Sendable {
    /// The session's name for it (default: the file's base name).
    public var name: String
    /// The file it came from, as given.
    public var path: String
    /// Number of documents.
    public var count: Int
    /// Scalar fields in first-seen order. Neither `_cluster_` nor vector
    /// fields are here.
    public var fields: [FieldColumn]
    /// Vector fields; the default one (chosen with `vector=`) first, the
    /// others in first-seen order.
    public var vectors: [VectorColumn]
    /// Clusterings in first-seen order.
    public var clusterings: [Clustering]
    /// Things the loader noticed and the user should hear about, one line
    /// each, e.g. why an array field is not a vector field.
    public var notes: [String]
    /// For a subset (`filter`, `sample`): where its documents come from; nil for a loaded dataset.
    public var view: DatasetView?

    public init(
        name: String, path: String, count: Int, fields: [FieldColumn] = [],
        vectors: [VectorColumn] = [], clusterings: [Clustering] = [], notes: [String] = []
    ) {
        self.name = name
        self.path = path
        self.count = count
        self.fields = fields
        self.vectors = vectors
        self.clusterings = clusterings
        self.notes = notes
    }

    /// The scalar field called `name`.
    public func field(named name: String) -> FieldColumn? {
        fields.first { $0.name == name }
    }

    /// The vector field called `name`.
    public func vector(named name: String) -> VectorColumn? {
        vectors.first { $0.name == name }
    }

    /// The clustering stored under `alias` for `vectorField` (any field, the
    /// first match, when nil).
    public func clustering(alias: String, vectorField: String?) -> Clustering? {
        clusterings.first { $0.alias == alias && (vectorField == nil || $0.vectorField == vectorField) }
    }

    /// Replaces the clustering with the same vector field and alias, or appends it.
    public mutating func store(_ clustering: Clustering) {
        precondition(clustering.labels.count == count, "labels do not match the document count")
        if let i = clusterings.firstIndex(where: {
            $0.vectorField == clustering.vectorField && $0.alias == clustering.alias
        }) {
            clusterings[i] = clustering
        } else {
            clusterings.append(clustering)
        }
    }

    /// Document `index` for display (`head`), or nil when out of range.
    ///
    /// Keys in order: the scalar fields the document has (values as
    /// `FieldValue.description`, so strings are bare), then its vectors
    /// abbreviated (`[0.1, 0.2, 0.3, … 64 values]`), then its cluster labels
    /// keyed `_cluster_.{vectorField}.{alias}`.
    public func document(at index: Int) -> [(key: String, value: String)]? {
        guard index >= 0 && index < count else { return nil }
        var row: [(key: String, value: String)] = []
        for field in fields {
            if let value = field.values[index] { row.append((field.name, value.description)) }
        }
        for vector in vectors where vector.present[index] {
            row.append((vector.name, Dataset.abbreviate(vector.embeddings[row: index])))
        }
        for c in clusterings where c.labels[index] >= 0 {
            row.append(("_cluster_.\(c.vectorField).\(c.alias)", c.clusterNames[c.labels[index]]))
        }
        return row
    }

    /// The first few components of a vector and its length.
    static func abbreviate(_ v: ArraySlice<Float>, shown: Int = 3) -> String {
        let head = v.prefix(shown).map { $0.description }.joined(separator: ", ")
        return v.count <= shown ? "[\(head)]" : "[\(head), … \(v.count) values]"
    }
}

/// A subset's link to the documents it was drawn from.
///
/// The subset's scalar fields and labels are its own (copied when it is
/// made: O(rows) each); its vectors stay in the loaded dataset's matrices,
/// shared here, and `rows` says which of their rows are its documents.
public struct DatasetView: Sendable {
    /// The dataset it was drawn from.
    public let source: String
    /// How: the filter's condition, or `sample n=... seed=...`.
    public let expression: String
    /// The subset's documents as rows of `sourceVectors`' matrices, in order.
    public let rows: [Int]
    /// The loaded dataset's vector columns (shared, never copied).
    public let sourceVectors: [VectorColumn]
}

extension Dataset {
    /// The documents at `rows` (indices into this dataset, in order) as a new
    /// dataset: scalar fields and clusterings restricted to them, vectors left
    /// in place. A clustering keeps only the clusters that still have a document.
    public func subset(rows: [Int], name: String, expression: String) -> Dataset {
        var out = Dataset(
            name: name, path: path, count: rows.count,
            fields: fields.map { $0.restricted(to: rows) },
            clusterings: clusterings.map { $0.restricted(to: rows) }
        )
        // a subset of a subset indexes the loaded matrices directly
        let sourceRows = view.map { v in rows.map { v.rows[$0] } } ?? rows
        out.view = DatasetView(source: self.name, expression: expression, rows: sourceRows,
                               sourceVectors: view?.sourceVectors ?? vectors)
        return out
    }

    /// The dataset with its vectors gathered into contiguous matrices, for a
    /// command to use; a loaded dataset as it is. The copy lives as long as the
    /// command's value.
    /// - Complexity: O(rows × dimension) for a subset.
    public func withVectors() -> Dataset {
        guard let view else { return self }
        var out = self
        out.vectors = view.sourceVectors.map { column in
            // unusable values (kept for export and the counts) follow their rows
            var unusable: [Int: UnusableVector] = [:]
            for (i, row) in view.rows.enumerated() { if let value = column.unusable[row] { unusable[i] = value } }
            var gathered = VectorColumn(name: column.name, embeddings: column.embeddings.rows(view.rows),
                                        present: view.rows.map { column.present[$0] }, unusable: unusable)
            gathered.roundedToFloat32 = column.roundedToFloat32
            return gathered
        }
        return out
    }

    /// The dataset as a session keeps it: a subset without gathered vectors.
    public func withoutGatheredVectors() -> Dataset {
        guard view != nil else { return self }
        var out = self
        out.vectors = []
        return out
    }

    /// Vector field names and dimensions without gathering a subset's vectors.
    public var vectorShapes: [(name: String, dimension: Int)] {
        (view?.sourceVectors ?? vectors).map { ($0.name, $0.dimension) }
    }
}

extension FieldColumn {
    /// The values of documents `rows`, in that order; the type text is the subset's own.
    func restricted(to rows: [Int]) -> FieldColumn {
        var arrays = Set<Int>()
        for (i, row) in rows.enumerated() where arrayDocuments.contains(row) { arrays.insert(i) }
        let values = rows.map { self.values[$0] }
        let plainString = values.indices.contains { i in
            if case .string? = values[i], !arrays.contains(i) { return true } else { return false }
        }
        return FieldColumn(name: name, values: values,
                           typeDescription: FieldColumn.describe(values: values, arrays: !arrays.isEmpty, allArrays: !plainString),
                           arrayDocuments: arrays)
    }
}

extension Clustering {
    /// The labels of documents `rows`, in that order; clusters left without a
    /// document are dropped, the others keep their names and order.
    func restricted(to rows: [Int]) -> Clustering {
        var used = [Bool](repeating: false, count: k)
        for row in rows where labels[row] >= 0 { used[labels[row]] = true }
        var code = [Int](repeating: -1, count: k)
        var names: [String] = []
        for c in 0 ..< k where used[c] {
            code[c] = names.count
            names.append(clusterNames[c])
        }
        return Clustering(vectorField: vectorField, alias: alias, labels: rows.map { labels[$0] < 0 ? -1 : code[labels[$0]] },
                          clusterNames: names, details: details)
    }
}
