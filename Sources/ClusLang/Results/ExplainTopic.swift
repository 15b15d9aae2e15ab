import ClusCore

/// What `explain` explains, in the order `help` lists them: the indices
/// `metrics` reports, the sampled silhouette's interval, inertia and its
/// elbow, the clustering methods, HDBSCAN's noise, and the analyses
/// `describe`, `stability` and the gap statistic.
enum ExplainTopic: String, CaseIterable, Sendable {
    case silhouette, ari, rand, nmi, ami, homogeneity, completeness
    case vMeasure = "v_measure"
    case fmi, purity, ch, db, sample, inertia, elbow
    case kmeans, spherical, minibatch, agglomerative, hdbscan, noise
    case describe, ctfidf, stability, gap

    /// The index the worked example ends with; its key names the value in json.
    var index: ClusteringIndex? {
        switch self {
        case .silhouette: .silhouette
        case .ari: .adjustedRandIndex
        case .rand: .randIndex
        case .fmi: .fowlkesMallows
        case .nmi: .normalizedMutualInfo
        case .ami: .adjustedMutualInfo
        case .homogeneity: .homogeneity
        case .completeness: .completeness
        case .vMeasure: .vMeasure
        case .purity: .purity
        case .ch: .calinskiHarabasz
        case .db: .daviesBouldin
        default: nil
        }
    }

    /// Names besides the topic's own and its index's: how results, options
    /// and the literature call it (`cluster linkage=ward`, `silhouette_ci_low`).
    private var otherNames: [String] {
        switch self {
        case .sample: ["sampled_silhouette", "silhouette_ci_low", "silhouette_ci_high", "confidence_interval", "ci"]
        case .inertia: ["sse", "wcss"]
        case .elbow: ["knee"]
        case .kmeans: ["lloyd"]
        case .spherical: ["spherical_kmeans", "cosine_kmeans"]
        case .minibatch: ["minibatch_kmeans"]
        case .agglomerative: ["hierarchical", "linkage"] + Linkage.allCases.map(\.rawValue)
        case .noise: ["outliers", "outlier"]
        case .describe: ["typical", "doubtful", "centroid_documents"]
        case .ctfidf: ["c_tf_idf", "terms", "distinctive_terms"]
        case .stability: ["clusterboot", "jaccard"]
        case .gap: ["gap_statistic", "clusgap", "gap_se"]
        default: []
        }
    }

    /// Every name a user may write for it: the topic, every name of its index
    /// (`ARI`, `adjusted_rand_index`, `Davies-Bouldin`), the others.
    var names: [String] { [rawValue] + (index?.names ?? []) + otherNames }

    /// The topic a name means, as any result prints it, case and punctuation aside.
    static func named(_ name: String) -> ExplainTopic? {
        if let index = ClusteringIndex.named(name) { return allCases.first { $0.index == index } }
        let wanted = normalizedName(name)
        return allCases.first { $0.names.contains { normalizedName($0) == wanted } }
    }

    /// The spellings closest to an unknown name, one per topic, for "did you mean".
    static func suggestions(for name: String) -> [String] {
        // compared without case and punctuation, as `named` compares
        var spelling: [String: String] = [:]
        for topic in allCases {
            for n in topic.names where spelling[normalizedName(n)] == nil { spelling[normalizedName(n)] = n }
        }
        var seen = Set<ExplainTopic>()
        let typed = normalizedName(name)
        return closestNames(to: typed, in: Array(spelling.keys)).compactMap { close in
            // a name that shares nothing with it is no suggestion (`3` is not a slip for `v`)
            guard editDistance(typed, close) < typed.count, let shown = spelling[close], let topic = named(shown),
                  seen.insert(topic).inserted else { return nil }
            return shown
        }
    }

    /// What tab completion offers: the topics, the indices' json keys and the linkages.
    static var completions: [String] {
        var out: [String] = []
        for name in allCases.map(\.rawValue) + ClusteringIndex.allCases.map(\.key) + Linkage.allCases.map(\.rawValue)
        where !out.contains(name) { out.append(name) }
        return out
    }

    /// The first line: what the index or method is.
    var title: String {
        switch self {
        case .silhouette: "Silhouette: how much closer each document is to its own cluster than to the next one."
        case .ari: "Adjusted Rand Index (ARI): pair agreement with the truth, corrected for chance."
        case .rand: "Rand index: the share of document pairs the clustering and the truth treat alike."
        case .fmi: "Fowlkes-Mallows: the geometric mean of pair precision and pair recall."
        case .nmi: "Normalized Mutual Information: the information the clusters and the truth share, scaled to 0..1."
        case .ami: "Adjusted Mutual Information: NMI corrected for the information random labels would share."
        case .homogeneity: "Homogeneity: does each cluster hold documents of a single truth value?"
        case .completeness: "Completeness: do the documents of each truth value stay in a single cluster?"
        case .vMeasure: "V-measure: the harmonic mean of homogeneity and completeness (equal to NMI with the arithmetic mean)."
        case .purity: "Purity: the share of documents that carry their cluster's most frequent truth value."
        case .ch: "Calinski-Harabasz: spread between clusters against spread within them."
        case .db: "Davies-Bouldin: how much each cluster looks like its most similar neighbour."
        case .sample: "Sampled silhouette (sample=N): the silhouette estimated from about N documents, with a 95% confidence interval."
        case .inertia: "Inertia: the sum of squared distances of the documents to their cluster's centre, what k-means minimises."
        case .elbow: "Elbow: the k after which more clusters stop lowering the inertia much, the knee sweep marks."
        case .kmeans: "k-means: k centres that minimise the squared distance of each document to its centre (inertia)."
        case .spherical:
            "Spherical k-means: k-means on unit vectors with cosine distance; the consistent choice for CLIP and sentence embeddings."
        case .minibatch: "Mini-batch k-means: k-means that moves its centres by small random batches of documents; for millions of them."
        case .agglomerative: "Agglomerative clustering: start with every document alone and merge the two closest clusters until k remain."
        case .hdbscan: "HDBSCAN: clusters as dense regions; documents in sparse regions are noise (label -1)."
        case .noise: "Noise: the documents HDBSCAN puts in no cluster (label -1): outliers, not a group, never to be scored as a cluster."
        case .describe: "describe: each cluster's typical documents (nearest its centroid) and doubtful ones (lowest silhouette)."
        case .ctfidf: "Class-based TF-IDF (c-TF-IDF): the terms that set a cluster's texts apart from the other clusters'."
        case .stability: "Stability (clusterboot): does each cluster come back when the documents are resampled?"
        case .gap: "Gap statistic: how much tighter k clusters are than those of data without clusters."
        }
    }
}

extension Commands {
    /// What `explain` takes, for tab completion: the topics, the indices'
    /// json keys and the linkages (any name a result prints works too).
    public static var explainTopics: [String] { ExplainTopic.completions }
}
