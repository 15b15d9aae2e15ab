import ClusCore

// How ClusCore's typed errors read to a user of the DSL: the numbers come
// from the error, the words (option names as the user writes them, counts
// grouped) are written here, once. ClusCore's own descriptions are for tests.

extension Diagnostic {
    /// The message for any of ClusCore's errors; nil for other errors.
    init?(coreError error: any Error, at range: SourceRange? = nil) {
        switch error {
        case let e as KMeansError: self.init(e, at: range)
        case let e as AgglomerativeError: self.init(e, at: range)
        case let e as HDBSCANError: self.init(e, at: range)
        case let e as MetricError: self.init(e, at: range)
        default: return nil
        }
    }

    init(_ error: KMeansError, at range: SourceRange? = nil) {
        let message = switch error {
        case .clusterCountTooSmall(let k): "k must be at least 1, got \(k)"
        case .clusterCountExceedsDocuments(let k, let n): "k=\(k) exceeds the \(documents(n))"
        case .noDimensions: "the vectors have no components"
        case .invalidRuns(let runs): "n_init must be at least 1, got \(runs)"
        case .invalidMaxIterations(let count): "max_iter must be at least 1, got \(count)"
        case .invalidTolerance(let tolerance): "tol must be a finite number >= 0, got \(tolerance)"
        case .invalidBatchSize(let size): "batch must be at least 1, got \(size)"
        case .zeroVector(let i): Diagnostic.zeroVector(document: i)
        case .nonFinite(let i): Diagnostic.nonFinite(document: i)
        }
        self.init(message, at: range)
    }

    init(_ error: AgglomerativeError, at range: SourceRange? = nil) {
        switch error {
        case .wardNeedsEuclidean:
            self.init("linkage=ward works only with metric=euclidean", at: range,
                      hint: "use linkage=average, complete or single with metric=cosine")
        case .clusterCount(let k, let n): self.init("k must be between 1 and the \(documents(n)), got \(k)", at: range)
        case .zeroVector(let i): self.init(Diagnostic.zeroVector(document: i), at: range)
        case .nonFinite(let i): self.init(Diagnostic.nonFinite(document: i), at: range)
        }
    }

    init(_ error: HDBSCANError, at range: SourceRange? = nil) {
        let message = switch error {
        case .minClusterSize(let m): "min_cluster_size must be at least 2, got \(m)"
        case .minSamples(let m, let n): "min_samples must be between 1 and the \(documents(n)), got \(m)"
        case .zeroVector(let i): Diagnostic.zeroVector(document: i)
        case .nonFinite(let i): Diagnostic.nonFinite(document: i)
        }
        self.init(message, at: range)
    }

    init(_ error: MetricError, at range: SourceRange? = nil) {
        let message = switch error {
        case .clusterCount(let k, let n, let measure):
            "\(measure.name) needs 2 to n-1 clusters; got \(Format.count(k, "cluster", "clusters")) for \(documents(n))"
        case .lengthMismatch(let labels, let vectors):
            "got \(Format.count(labels, "label", "labels")) for \(Format.count(vectors, "vector", "vectors")); they must match one to one"
        case .emptyInput(let measure): "\(measure.name) needs at least one document; got none"
        }
        self.init(message, at: range)
    }

    private static func zeroVector(document: Int) -> String {
        "document \(document) has a zero vector; cosine distance is undefined for it"
    }

    private static func nonFinite(document: Int) -> String {
        "document \(document) has a non-finite vector component"
    }
}

/// `1 document`, `12,000 documents`.
private func documents(_ n: Int) -> String { Format.count(n, "document", "documents") }

extension MetricError.Measure {
    /// The index's name as people read it.
    var name: String {
        switch self {
        case .silhouette: "silhouette"
        case .calinskiHarabasz: "Calinski-Harabasz"
        case .daviesBouldin: "Davies-Bouldin"
        case .centroidIndices: "Calinski-Harabasz and Davies-Bouldin"
        }
    }
}

/// Runs ClusCore work; its typed errors come out as diagnostics at `range`
/// (the statement when nil), anything else as it was thrown.
func reportingCoreErrors<T>(at range: SourceRange? = nil, _ work: () throws -> T) throws -> T {
    do {
        return try work()
    } catch {
        throw Diagnostic(coreError: error, at: range) ?? error
    }
}
