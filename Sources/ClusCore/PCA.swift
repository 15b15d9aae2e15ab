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

/// The principal components of `x`: the eigen-decomposition of its d × d
/// covariance matrix (sums in Double) by cyclic Jacobi rotations, a small
/// exact solver in Swift rather than LAPACK through OpenBLAS's dlopen: the
/// matrix is symmetric, d is at most a few hundred, and Jacobi's
/// eigenvectors come out orthonormal to rounding.
/// - Complexity: O(n·d²) for the covariance, O(d³) per Jacobi sweep (about ten sweeps).
public func principalComponents(_ x: Embeddings) -> PrincipalComponents {
    let n = x.count, d = x.dimension
    var mean = [Double](repeating: 0, count: d)
    for i in 0 ..< n { for (j, v) in x[row: i].enumerated() { mean[j] += Double(v) } }
    if n > 0 { for j in 0 ..< d { mean[j] /= Double(n) } }
    var a = [Double](repeating: 0, count: d * d)
    var centred = [Double](repeating: 0, count: d)
    for i in 0 ..< n {
        for (j, v) in x[row: i].enumerated() { centred[j] = Double(v) - mean[j] }
        for p in 0 ..< d {
            let cp = centred[p]
            for q in p ..< d { a[p * d + q] += cp * centred[q] }
        }
    }
    let scale = n > 1 ? 1 / Double(n - 1) : 1
    for p in 0 ..< d { for q in p ..< d { a[p * d + q] *= scale; a[q * d + p] = a[p * d + q] } }
    let (values, vectors) = symmetricEigen(a, dimension: d)
    let order = (0 ..< d).sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
    let components = order.map { c -> [Double] in
        var axis = (0 ..< d).map { vectors[$0 * d + c] }
        var largest = 0
        for j in 1 ..< max(d, 1) where abs(axis[j]) > abs(axis[largest]) { largest = j }
        if d > 0, axis[largest] < 0 { axis = axis.map { -$0 } }
        return axis
    }
    return PrincipalComponents(mean: mean, components: components, variances: order.map { max(0, values[$0]) })
}

/// Eigenvalues and eigenvectors (column c of the row-major d × d result) of
/// the symmetric row-major matrix `a`, by cyclic Jacobi rotations until the
/// off-diagonal mass is negligible.
private func symmetricEigen(_ matrix: [Double], dimension d: Int) -> (values: [Double], vectors: [Double]) {
    var a = matrix
    var v = [Double](repeating: 0, count: d * d)
    for i in 0 ..< d { v[i * d + i] = 1 }
    let total = a.reduce(0) { $0 + $1 * $1 }
    for _ in 0 ..< 100 {
        var off = 0.0
        for p in 0 ..< d { for q in p + 1 ..< d { off += a[p * d + q] * a[p * d + q] } }
        if off <= 1e-30 * max(total, 1e-300) { break }
        for p in 0 ..< d {
            for q in p + 1 ..< d {
                let apq = a[p * d + q]
                if apq == 0 { continue }
                let theta = (a[q * d + q] - a[p * d + p]) / (2 * apq)
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0 ..< d {  // rows p and q, then columns p and q
                    let akp = a[k * d + p], akq = a[k * d + q]
                    a[k * d + p] = c * akp - s * akq
                    a[k * d + q] = s * akp + c * akq
                }
                for k in 0 ..< d {
                    let apk = a[p * d + k], aqk = a[q * d + k]
                    a[p * d + k] = c * apk - s * aqk
                    a[q * d + k] = s * apk + c * aqk
                }
                for k in 0 ..< d {
                    let vkp = v[k * d + p], vkq = v[k * d + q]
                    v[k * d + p] = c * vkp - s * vkq
                    v[k * d + q] = s * vkp + c * vkq
                }
            }
        }
    }
    return ((0 ..< d).map { a[$0 * d + $0] }, v)
}
