/// The principal axes of a set of vectors: their mean, and the eigenvectors of
/// their covariance matrix by decreasing eigenvalue.
public struct PrincipalComponents: Sendable, Equatable {
    /// The mean of the vectors, per dimension.
    public let mean: [Double]
    /// `dimension` unit eigenvectors, each of `dimension` values, by
    /// decreasing variance; each one's largest component (by magnitude,
    /// the first of equals) is positive, so the axes are reproducible.
    public let components: [[Double]]
    /// The variance along each component (the eigenvalues, with n − 1).
    public let variances: [Double]

    /// The coordinates of `vector` on the components, after subtracting the mean.
    public func project(_ vector: some Collection<Float>) -> [Double] {
        let centred = zip(vector, mean).map { Double($0) - $1 }
        return components.map { axis in zip(axis, centred).reduce(0) { $0 + $1.0 * $1.1 } }
    }
}

/// The principal components of `x`, all d of them: `projectOnPrincipalComponents`'
/// covariance (summed in Double) and eigenvectors (LAPACK, or Jacobi without
/// OpenBLAS), without projecting any row.
/// - Complexity: O(n·d²) for the covariance, O(d³) for its eigenvectors.
public func principalComponents(_ x: Embeddings) -> PrincipalComponents {
    let projection = projectOnPrincipalComponents(x, rows: [], count: x.dimension)
    return PrincipalComponents(mean: projection.mean, components: projection.components,
                               variances: projection.variances.map { max(0, $0) })
}
