import ClusData

/// The documents of a dataset with no usable vector in one vector field
/// (absent, null, wrong length, ...): kept in the dataset, left out of
/// clustering and of the internal indices. Results count them and say why.
struct WithoutVector: Sendable {
    let field: String
    let count: Int
    /// How many for each reason, `absent` first.
    let reasons: [(reason: String, count: Int)]

    init(_ vectors: VectorColumn) {
        field = vectors.name
        count = vectors.missingCount
        reasons = vectors.missingByReason
    }

    /// `3 documents without a usable vector (1 absent, 2 null)`.
    var phrase: String {
        "\(Format.count(count, "document", "documents")) without a usable \(field) ("
            + reasons.map { "\(Format.count($0.count)) \($0.reason)" }.joined(separator: ", ") + ")"
    }

    /// The phrase, then the words that agree with its count: `… (1 absent) is`.
    func phrase(_ one: String, _ many: String) -> String { phrase + " " + (count == 1 ? one : many) }

    /// `"without_vector": 3`.
    var jsonMember: JSONMember { JSONMember("without_vector", .int(count)) }
}
