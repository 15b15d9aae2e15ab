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
