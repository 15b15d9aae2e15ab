import ClusCore
import ClusData

/// What `metrics` computed for one clustering.
struct MetricsResult: CommandOutput {
    let command = "metrics"
    /// The clustering scored.
    let name: ClusteringName
    let truth: String?
    /// One value of the truth field, as the readings name it (`truthValueNoun`).
    let truthNoun: String?
    /// Documents scored: labelled, outside the noise label.
    let n: Int
    let k: Int
    let metric: DistanceMetric
    /// Whether the clustering has the 2 to n-1 clusters the internal indices need.
    let internalComputed: Bool
    /// False with `silhouette=off` (or without the internal indices).
    let silhouetteComputed: Bool
    /// Set when the silhouette is a sampled estimate.
    let estimate: SilhouetteEstimate?
    /// `sample=N` that covered every document, so the silhouette is exact.
    let sampleCoveringAll: Int?
    /// The values computed, by index.
    let scores: [ClusteringIndex: Double]
    let average: MutualInformationAverage
    let beta: Double
    /// Documents without the truth field, left out of the external indices.
    let missingTruth: Int
    /// The noise label left out, and how many documents it held.
    let noise: NoiseLeftOut
    /// A cluster name that looks like a noise label, scored as a cluster.
    let suspectedNoise: String?
    /// Documents without a label for the alias.
    let unlabelled: Int
    /// Documents without a usable vector in the clustering's vector field
    /// (nil when it is no vector field of the dataset).
    let withoutVector: LeftOut?

    /// The documents without a usable vector, and how many of them have a label.
    struct LeftOut: Sendable {
        let documents: WithoutVector
        /// Of them, those with a label: scored by the external indices only.
        let labelled: Int

        init(_ vectors: VectorColumn, labels: [Int]) {
            documents = WithoutVector(vectors)
            labelled = labels.indices.count { !vectors.present[$0] && labels[$0] >= 0 }
        }
    }

    var notes: [String] {
        guard let w = withoutVector, w.documents.count > 0 else { return [] }
        var note = "\(w.documents.phrase("is", "are")) left out of the internal indices"
        if w.labelled == 0 {
            if unlabelled >= w.documents.count { note += "; \(w.documents.count == 1 ? "it has" : "they have") no label for \(name.alias)" }
        } else if truth != nil {
            note += "; the external indices score the \(Format.count(w.labelled)) of them with a label"
        }
        return [note]
    }

    var jsonMembers: [JSONMember] {
        name.jsonMembers + [
            JSONMember("truth", .text(truth)),
            JSONMember("n", .int(n)),
            JSONMember("k", .int(k)),
            JSONMember("metric", .string(metric.rawValue)),
        ]
        + ClusteringIndex.allCases.map { JSONMember($0.key, .number(scores[$0])) }
        + [
            JSONMember("silhouette_ci_low", .number(estimate?.low)),
            JSONMember("silhouette_ci_high", .number(estimate?.high)),
            JSONMember("sample", estimate.map { .int($0.sampled) } ?? .null),
            JSONMember("missing_truth", .int(missingTruth)),
            JSONMember("noise", noise.choice.name == nil ? .null : .int(noise.count ?? 0)),
            JSONMember("unlabelled", .int(unlabelled)),
            JSONMember("without_vector", .int(withoutVector?.documents.count ?? 0)),
        ]
    }

    var blocks: [Block] {
        var table = Table(columns: [Table.Column("index"), .number("value"), .decoration("reading")])
        let truthName = truth ?? "the truth"
        for index in ClusteringIndex.allCases {
            guard let value = scores[index] else { continue }
            let term = Cell.labelled(index.label, plain: index.key)
            if index == .silhouette, let e = estimate {
                // silhouette 0.271 ± 0.004 (95% CI, 2,000 of 50,000 sampled)
                table.append([term, .estimate(e.value, halfWidth: e.halfWidth),
                              .text("(95% CI, \(Format.count(e.sampled)) of \(Format.count(e.population)) sampled) " + index.reading(value, truth: truthName, noun: truthNoun))])
            } else {
                table.append([term, .score(value), .text(index.reading(value, truth: truthName, noun: truthNoun))])
            }
        }
        table.footer = footer
        return [.table(table)]
    }

    private var footer: [String] {
        let internalPart = !internalComputed ? "internal indices left out"
            : silhouetteComputed ? "\(metric.rawValue), \(estimate == nil ? "exact" : "sampled") silhouette" : "silhouette left out"
        var first = "\(name.title): \(Format.count(k, "cluster", "clusters")), \(Format.count(n, "document", "documents")), \(internalPart)"
        if let truth { first += "; truth: \(truth)" }
        if truth != nil, average != .arithmetic || beta != 1 {
            first += " (NMI and AMI with the \(average.rawValue) mean" + (beta != 1 ? ", V-measure with beta \(beta))" : ")")
        }
        var lines = [first]
        if !internalComputed {
            lines.append("the silhouette, Calinski-Harabasz and Davies-Bouldin need 2 to n-1 clusters (\(name.alias) has \(Format.count(k)) for \(Format.count(n, "document", "documents"))); the external indices are defined for any number")
        }
        if missingTruth > 0, let truth {
            lines.append("\(Format.count(missingTruth, "document without \(truth) is", "documents without \(truth) are")) left out of the external indices")
        }
        if let note = noise.note(alias: name.alias) { lines.append(note) }
        if let suspect = suspectedNoise {
            lines.append("note: cluster \(suspect) looks like a noise label (e.g. HDBSCAN's outliers) and is scored as a cluster; noise=\(suspect) leaves it out")
        }
        if let sample = sampleCoveringAll {
            lines.append("sample=\(sample) covers all \(Format.count(n)) documents: the silhouette is exact")
        }
        lines += notes
        // the documents without a vector and without a label are counted above
        let otherUnlabelled = unlabelled - ((withoutVector?.documents.count ?? 0) - (withoutVector?.labelled ?? 0))
        if otherUnlabelled > 0 {
            let other = otherUnlabelled < unlabelled ? "other " : ""
            lines.append(Format.count(otherUnlabelled, "\(other)document without a label for \(name.alias) is left out",
                                      "\(other)documents without a label for \(name.alias) are left out"))
        }
        return lines
    }
}
