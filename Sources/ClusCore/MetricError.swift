/// Why a metric could not be computed for the given input.
public struct MetricError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a category callers can match on.
    public enum Kind: Sendable, Equatable {
        /// Fewer than 2 or more than n-1 clusters.
        case clusterCount
        /// Labels and vectors differ in number.
        case lengthMismatch
        /// No documents at all.
        case emptyInput
    }

    /// The category of the failure.
    public let kind: Kind
    /// One-line message for the user.
    public let description: String

    /// The measure needs 2 to n-1 clusters, as scikit-learn's `check_number_of_labels`.
    public static func clusterCount(clusters: Int, samples: Int, measure: String = "silhouette") -> MetricError {
        let noun = clusters == 1 ? "cluster" : "clusters"
        let docs = samples == 1 ? "document" : "documents"
        return MetricError(
            kind: .clusterCount,
            description: "\(measure) needs 2 to n-1 clusters; got \(clusters) \(noun) for \(samples) \(docs)"
        )
    }

    /// The labels do not pair up one to one with the vectors.
    public static func lengthMismatch(labels: Int, vectors: Int) -> MetricError {
        MetricError(kind: .lengthMismatch, description: "got \(labels) labels for \(vectors) vectors; they must match one to one")
    }

    /// There is nothing to measure.
    public static func emptyInput(measure: String = "the metric") -> MetricError {
        MetricError(kind: .emptyInput, description: "\(measure) needs at least one document; got none")
    }
}
