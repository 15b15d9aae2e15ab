/// How a clustering was made, for clusterings computed in the session.
public struct ClusteringDetails: Sendable {
    /// The method's name, e.g. `kmeans`.
    public var method: String
    /// The parameters as given or defaulted, in display order.
    public var parameters: [(String, String)]
    public var iterations: Int?
    public var inertia: Double?
    /// Wall-clock seconds the clustering took.
    public var seconds: Double?

    public init(
        method: String, parameters: [(String, String)] = [],
        iterations: Int? = nil, inertia: Double? = nil, seconds: Double? = nil
    ) {
        self.method = method
        self.parameters = parameters
        self.iterations = iterations
        self.inertia = inertia
        self.seconds = seconds
    }
}

/// Cluster labels of a dataset's documents under one alias of one vector
/// field: Relevance AI's `doc["_cluster_"][vectorField][alias]`.
public struct Clustering: Sendable {
    public let vectorField: String
    public let alias: String
    /// Cluster code per document; -1 where the document has no label for the alias.
    public var labels: [Int]
    /// Code → cluster name as stored in `_cluster_`, e.g. `cluster_3`.
    public var clusterNames: [String]
    /// How the clustering was made; nil for aliases read from a file.
    public var details: ClusteringDetails?
    /// Made on the fly from a scalar field's values (`init(field:)`), not stored in the dataset.
    public private(set) var isField = false
    /// Number of clusters.
    public var k: Int { clusterNames.count }

    /// Labels with their names; every label must be -1 or a valid code.
    public init(vectorField: String, alias: String, labels: [Int], clusterNames: [String], details: ClusteringDetails?) {
        precondition(labels.allSatisfy { $0 >= -1 && $0 < clusterNames.count }, "label outside the cluster names")
        self.vectorField = vectorField
        self.alias = alias
        self.labels = labels
        self.clusterNames = clusterNames
        self.details = details
    }

    /// From cluster indices `0..<k` (k = largest index + 1), named
    /// `cluster_0` … `cluster_{k-1}`; -1 stays "no label".
    public init(vectorField: String, alias: String, clusterIndices: [Int], details: ClusteringDetails?) {
        let k = (clusterIndices.max() ?? -1) + 1
        self.init(
            vectorField: vectorField, alias: alias, labels: clusterIndices,
            clusterNames: (0..<k).map { "cluster_\($0)" }, details: details
        )
    }

    /// A scalar field's values as cluster labels, interned by the rule of
    /// truth values (`LabelValue`): documents without a value are unlabelled.
    /// `alias` is the field's name; `vectorField` the one internal indices use.
    public init(field: FieldColumn, vectorField: String) {
        let interned = field.interned()
        self.init(vectorField: vectorField, alias: field.name, labels: interned.codes, clusterNames: interned.names, details: nil)
        isField = true
    }

    /// Documents that have a label.
    public var labelledCount: Int { labels.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
}

extension Clustering {
    /// The clustering a whole `_cluster_.FIELD.ALIAS` column holds, as the
    /// typed readers (Parquet, .npz) give their columns; nil for any other name.
    init?(aliasColumn field: FieldColumn) {
        guard field.name.hasPrefix("_cluster_.") else { return nil }
        let rest = field.name.dropFirst("_cluster_.".count)
        guard let dot = rest.lastIndex(of: "."), dot != rest.startIndex, rest.index(after: dot) != rest.endIndex else { return nil }
        let interned = field.interned()
        self.init(vectorField: String(rest[..<dot]), alias: String(rest[rest.index(after: dot)...]),
                  labels: interned.codes, clusterNames: interned.names, details: nil)
    }
}
