import ClusData

/// What `load` and `datasets` say about a dataset: its names and sizes, not its documents.
struct DatasetSummary: Sendable {
    let name: String
    let path: String
    let documents: Int
    let vectorFields: [VectorFieldShape]
    /// Scalar field names, in the dataset's order.
    let fields: [String]
    let aliases: [String]

    init(_ d: Dataset) {
        name = d.name
        path = d.path
        documents = d.count
        vectorFields = d.vectors.map { VectorFieldShape(name: $0.name, dimension: $0.dimension, withoutVector: $0.missingCount) }
        fields = d.fields.map(\.name)
        aliases = d.clusterings.map(\.alias)
    }
}

/// A vector field's name and dimension.
struct VectorFieldShape: Sendable {
    let name: String
    let dimension: Int
    /// Documents without a usable vector in it.
    var withoutVector = 0

    /// `features (4-d)`
    var label: String { "\(name) (\(dimension)-d)" }
}
