import ClusData

/// Which clustering a result is about — its dataset, vector field and alias —
/// with their json keys and the way footers name it written once.
struct ClusteringName: Sendable {
    let dataset: String
    let vectorField: String
    let alias: String

    init(dataset: String, vectorField: String, alias: String) {
        self.dataset = dataset
        self.vectorField = vectorField
        self.alias = alias
    }

    init(_ clustering: Clustering, of dataset: Dataset) {
        self.init(dataset: dataset.name, vectorField: clustering.vectorField, alias: clustering.alias)
    }

    /// `"dataset"`, `"vector_field"`, `"alias"`.
    var jsonMembers: [JSONMember] {
        [JSONMember("dataset", .string(dataset)), JSONMember("vector_field", .string(vectorField)), JSONMember("alias", .string(alias))]
    }

    /// `kmeans_10 on embedding`
    var title: String { "\(alias) on \(vectorField)" }
}
