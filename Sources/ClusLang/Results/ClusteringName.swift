import ClusData

/// Which clustering a result is about — its dataset, vector field and alias —
/// with their json keys and the way footers name it written once.
struct ClusteringName: Sendable {
    let dataset: String
    let vectorField: String
    let alias: String
    /// The alias is a scalar field's name: its values serve as the labels.
    let isField: Bool

    init(dataset: String, vectorField: String, alias: String, isField: Bool = false) {
        self.dataset = dataset
        self.vectorField = vectorField
        self.alias = alias
        self.isField = isField
    }

    init(_ clustering: Clustering, of dataset: Dataset) {
        self.init(dataset: dataset.name, vectorField: clustering.vectorField, alias: clustering.alias, isField: clustering.isField)
    }

    /// `"dataset"`, `"vector_field"`, `"alias"`, and `"field_as_clustering": true` for a field's values.
    var jsonMembers: [JSONMember] {
        [JSONMember("dataset", .string(dataset)), JSONMember("vector_field", .string(vectorField)), JSONMember("alias", .string(alias))]
            + (isField ? [JSONMember("field_as_clustering", .bool(true))] : [])
    }

    /// `kmeans_10 on embedding`; `cluster (a field's values as clusters) on embedding`.
    var title: String {
        (isField ? "\(alias) (a field's values as clusters)" : alias) + (vectorField.isEmpty ? "" : " on \(vectorField)")
    }
}
