import CBLASLoader

/// The first principal axes of a set of vectors and the coordinates of some
/// of them on those axes.
public struct PrincipalProjection: Sendable {
    /// The mean vector the axes start from.
    public let mean: [Double]
    /// Unit principal axes, largest variance first; each axis's largest
    /// entry (in magnitude) is positive, as scikit-learn's PCA signs them.
    public let components: [[Double]]
    /// Variance along each axis (divided by n − 1, scikit-learn's `explained_variance_`).
    public let variances: [Double]
    /// The total variance of the vectors (the covariance matrix's trace).
    public let totalVariance: Double
    /// Coordinates of the projected rows, one array of `components.count` values per row.
    public let coordinates: [[Double]]

    /// Each axis's share of the total variance (scikit-learn's `explained_variance_ratio_`).
    public var varianceShares: [Double] { variances.map { totalVariance > 0 ? $0 / totalVariance : 0 } }

    /// The coordinates of any vector of the same dimension on the axes.
    public func coordinates(of vector: [Double]) -> [Double] {
        components.map { axis in
            var sum = 0.0
            for j in axis.indices { sum += (vector[j] - mean[j]) * axis[j] }
            return sum
        }
    }
}

/// Exact PCA of `x`: the covariance matrix summed in Double (OpenBLAS's
/// dsyrk when loaded), its eigenvectors by LAPACK; then the coordinates of
/// `rows` (all rows when nil) on the first `count` axes.
/// - Complexity: O(n·d²) for the covariance, O(d³) for its eigenvectors,
///   O(d²) memory per chunk (8 chunks, fixed so the sums do not depend on
///   the thread count).
public func projectOnPrincipalComponents(_ x: Embeddings, rows: [Int]? = nil, count: Int = 2,
                                         parallelism: Parallelism = .serial) -> PrincipalProjection {
    let n = x.count, d = x.dimension
    var mean = [Double](repeating: 0, count: d)
    x.values.withUnsafeBufferPointer { values in
        for i in 0 ..< n { for j in 0 ..< d { mean[j] += Double(values[i * d + j]) } }
    }
    if n > 0 { for j in 0 ..< d { mean[j] /= Double(n) } }
    let chunks = min(8, max(1, n / 256))
    var partial = [[Double]](repeating: [], count: chunks)
    partial.withUnsafeMutableBufferPointer { slots in
        let slots = UncheckedBox(slots)
        parallelism.forEach(chunks: chunks) { chunk in
            let start = n * chunk / chunks, end = n * (chunk + 1) / chunks
            slots.value[chunk] = scatter(x, rows: start ..< end, mean: mean)
        }
    }
    var covariance = [Double](repeating: 0, count: d * d)
    for sums in partial { for i in 0 ..< d * d { covariance[i] += sums[i] } }
    let denominator = Double(max(n - 1, 1))
    for i in 0 ..< d * d { covariance[i] /= denominator }
    let total = (0 ..< d).reduce(0.0) { $0 + covariance[$1 * d + $1] }
    let pairs = symmetricEigenpairs(covariance, size: d)
    let kept = min(count, d)
    let components = Array(pairs.vectors.prefix(kept))
    let coordinates = x.values.withUnsafeBufferPointer { values in
        (rows ?? Array(0 ..< n)).map { row in
            components.map { axis in
                var sum = 0.0
                for j in 0 ..< d { sum += (Double(values[row * d + j]) - mean[j]) * axis[j] }
                return sum
            }
        }
    }
    return PrincipalProjection(mean: mean, components: components, variances: pairs.values.prefix(kept).map { max($0, 0) },
                               totalVariance: total, coordinates: coordinates)
}

/// The upper triangle of Σ (x − mean)ᵀ(x − mean) over `rows`, row-major d×d.
private func scatter(_ x: Embeddings, rows: Range<Int>, mean: [Double]) -> [Double] {
    let d = x.dimension
    var sums = [Double](repeating: 0, count: d * d)
    let block = 256
    var centred = [Double](repeating: 0, count: block * d)
    x.values.withUnsafeBufferPointer { values in
        var start = rows.lowerBound
        while start < rows.upperBound {
            let end = min(start + block, rows.upperBound)
            for r in start ..< end { for j in 0 ..< d { centred[(r - start) * d + j] = Double(values[r * d + j]) - mean[j] } }
            let done = BLASStatus.current.isLoaded && centred.withUnsafeBufferPointer { a in
                sums.withUnsafeMutableBufferPointer { clus_blas_gram_double(Int32(d), Int32(end - start), a.baseAddress, $0.baseAddress) != 0 }
            }
            if !done {
                for r in 0 ..< end - start {
                    for i in 0 ..< d {
                        let xi = centred[r * d + i]
                        if xi == 0 { continue }
                        for j in i ..< d { sums[i * d + j] += xi * centred[r * d + j] }
                    }
                }
            }
            start = end
        }
    }
    return sums
}
