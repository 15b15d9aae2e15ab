/// Why a metric could not be computed for the given input; the words a user
/// reads are the caller's.
public enum MetricError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer than 2 or more than n-1 clusters, as scikit-learn's `check_number_of_labels`.
    case clusterCount(clusters: Int, documents: Int, measure: Measure)
    /// Labels and vectors differ in number.
    case lengthMismatch(labels: Int, vectors: Int)
    /// No documents at all.
    case emptyInput(measure: Measure)

    /// The internal index that refused its input.
    public enum Measure: String, Sendable, Equatable {
        case silhouette
        case calinskiHarabasz
        case daviesBouldin
        /// Calinski-Harabasz and Davies-Bouldin computed together.
        case centroidIndices
    }

    /// In the API's terms, for tests and debugging.
    public var description: String {
        switch self {
        case .clusterCount(let k, let n, let measure): "\(measure) needs 2 to n-1 clusters, got \(k) for \(n) documents"
        case .lengthMismatch(let labels, let vectors): "\(labels) labels for \(vectors) vectors"
        case .emptyInput(let measure): "\(measure) needs at least one document"
        }
    }
}
