import ClusData

/// The indices `metrics` reports, in its order: each one's json key and the
/// name people read, written here once.
enum ClusteringIndex: String, CaseIterable, Sendable {
    case silhouette
    case calinskiHarabasz = "calinski_harabasz"
    case daviesBouldin = "davies_bouldin"
    case adjustedRandIndex = "adjusted_rand_index"
    case randIndex = "rand_index"
    case normalizedMutualInfo = "normalized_mutual_info"
    case adjustedMutualInfo = "adjusted_mutual_info"
    case homogeneity
    case completeness
    case vMeasure = "v_measure"
    case fowlkesMallows = "fowlkes_mallows"
    case purity

    /// The json key and CSV name.
    var key: String { rawValue }

    /// The name in tables.
    var label: String {
        switch self {
        case .silhouette: "Silhouette"
        case .calinskiHarabasz: "Calinski-Harabasz"
        case .daviesBouldin: "Davies-Bouldin"
        case .adjustedRandIndex: "ARI"
        case .randIndex: "Rand index"
        case .normalizedMutualInfo: "NMI"
        case .adjustedMutualInfo: "AMI"
        case .homogeneity: "Homogeneity"
        case .completeness: "Completeness"
        case .vMeasure: "V-measure"
        case .fowlkesMallows: "Fowlkes-Mallows"
        case .purity: "Purity"
        }
    }

    /// The usual short names, besides the key and the label.
    var abbreviations: [String] {
        switch self {
        case .silhouette: ["sil"]
        case .calinskiHarabasz: ["ch", "calinski"]
        case .daviesBouldin: ["db", "davies"]
        case .adjustedRandIndex: ["ari", "adjusted_rand"]
        case .randIndex: ["ri", "rand"]
        case .normalizedMutualInfo: ["nmi"]
        case .adjustedMutualInfo: ["ami"]
        case .homogeneity: []
        case .completeness: []
        case .vMeasure: ["v"]
        case .fowlkesMallows: ["fmi", "fm"]
        case .purity: []
        }
    }

    /// Every name a user may write for it: the key, the label, the abbreviations.
    var names: [String] { [key, label] + abbreviations }

    /// The index a name means, as printed anywhere (`ARI`, `adjusted_rand_index`,
    /// `Davies-Bouldin`, `db`), case and punctuation aside.
    static func named(_ name: String) -> ClusteringIndex? {
        let wanted = normalizedName(name)
        return allCases.first { $0.names.contains { normalizedName($0) == wanted } }
    }

    /// Indices that compare with a ground truth.
    static let external: [ClusteringIndex] = [.adjustedRandIndex, .randIndex, .normalizedMutualInfo, .adjustedMutualInfo,
                                              .homogeneity, .completeness, .vMeasure, .fowlkesMallows, .purity]

    /// `value`'s one-line reading; `truth` names what external indices
    /// compare with, `noun` one of its values (`truthValueNoun`).
    func reading(_ value: Double, truth: String, noun: String? = nil) -> String {
        let noun = noun ?? truth
        return switch self {
        case .silhouette: Reading.silhouette(value)
        case .calinskiHarabasz: Reading.calinskiHarabasz
        case .daviesBouldin: Reading.daviesBouldin(value)
        case .adjustedRandIndex: Reading.ari(value, truth)
        case .randIndex: Reading.rand(value, truth)
        case .normalizedMutualInfo: Reading.information(value, truth, "shared information with")
        case .adjustedMutualInfo: Reading.information(value, truth, "shared information, beyond chance, with")
        case .homogeneity: Reading.scale(value) + ": clusters hold a single \(noun) (1 = pure clusters)"
        case .completeness: Reading.scale(value) + ": each \(noun) stays in one cluster (1 = never split)"
        case .vMeasure: Reading.scale(value) + ": harmonic mean of homogeneity and completeness"
        case .fowlkesMallows: Reading.scale(value) + ": pairs in one cluster that share their \(noun), and vice versa"
        case .purity: "\(Format.percent(value)) of documents carry their cluster's most frequent \(noun)"
        }
    }
}

/// How the readings name one value of the truth field: the field's own name
/// when its values are words (`species`, `topic`: "clusters hold a single
/// species"), else "NAME value" (a bool `relevant`, a numeric `target`:
/// "clusters hold a single relevant value").
func truthValueNoun(_ field: FieldColumn) -> String {
    field.typeDescription == "string" ? field.name : "\(field.name) value"
}

/// A name with case and punctuation dropped: `Davies-Bouldin`, `davies_bouldin`
/// and `DaviesBouldin` are one name.
func normalizedName(_ name: String) -> String {
    String(name.lowercased().filter { $0.isLetter || $0.isNumber })
}
