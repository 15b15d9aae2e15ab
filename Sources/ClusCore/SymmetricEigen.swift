import CBLASLoader

/// Eigenvalues and eigenvectors of a real symmetric matrix, largest first.
///
/// Each eigenvector's sign is fixed so that its entry of largest magnitude
/// is positive (the first such entry on ties), as scikit-learn's `svd_flip`
/// does for principal components: the same input gives the same picture.
struct SymmetricEigenpairs: Sendable {
    /// Eigenvalues, in decreasing order.
    let values: [Double]
    /// Unit eigenvectors, `vectors[i]` for `values[i]`.
    let vectors: [[Double]]
}

/// The eigen-decomposition of the symmetric `size`×`size` row-major matrix
/// `a` (only its upper triangle is read): LAPACK's dsyevd from OpenBLAS when
/// it is loaded, otherwise cyclic Jacobi rotations.
/// - Complexity: O(size³).
func symmetricEigenpairs(_ a: [Double], size n: Int) -> SymmetricEigenpairs {
    precondition(a.count == n * n, "a square matrix")
    guard n > 0 else { return SymmetricEigenpairs(values: [], vectors: []) }
    var full = a
    for i in 0 ..< n { for j in 0 ..< i { full[i * n + j] = full[j * n + i] } }
    if BLASStatus.current.isLoaded {
        var work = full
        var w = [Double](repeating: 0, count: n)
        let info = work.withUnsafeMutableBufferPointer { m in
            w.withUnsafeMutableBufferPointer { clus_lapack_symmetric_eigen(Int32(n), m.baseAddress, $0.baseAddress) }
        }
        if info == 0 {
            // dsyevd gives ascending values, vector i in row i
            let order = (0 ..< n).reversed()
            return SymmetricEigenpairs(values: order.map { w[$0] },
                                       vectors: order.map { signFixed(Array(work[$0 * n ..< ($0 + 1) * n])) })
        }
    }
    return jacobiEigenpairs(full, size: n)
}

/// Cyclic Jacobi: rotations zero the off-diagonal entries one by one until
/// they are negligible; slower than LAPACK, for when no OpenBLAS is loaded.
/// - Complexity: O(size³) per sweep, a handful of sweeps.
func jacobiEigenpairs(_ symmetric: [Double], size n: Int) -> SymmetricEigenpairs {
    var a = symmetric
    var v = [Double](repeating: 0, count: n * n)
    for i in 0 ..< n { v[i * n + i] = 1 }
    let scale = a.reduce(0) { $0 + $1 * $1 }
    for _ in 0 ..< 100 {
        var off = 0.0
        for p in 0 ..< n { for q in p + 1 ..< n { off += a[p * n + q] * a[p * n + q] } }
        if off <= scale * 1e-30 || off == 0 { break }
        for p in 0 ..< n {
            for q in p + 1 ..< n {
                let apq = a[p * n + q]
                if apq == 0 { continue }
                let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0 ..< n {
                    let akp = a[k * n + p], akq = a[k * n + q]
                    a[k * n + p] = c * akp - s * akq
                    a[k * n + q] = s * akp + c * akq
                }
                for k in 0 ..< n {
                    let apk = a[p * n + k], aqk = a[q * n + k]
                    a[p * n + k] = c * apk - s * aqk
                    a[q * n + k] = s * apk + c * aqk
                }
                for k in 0 ..< n {
                    let vkp = v[k * n + p], vkq = v[k * n + q]
                    v[k * n + p] = c * vkp - s * vkq
                    v[k * n + q] = s * vkp + c * vkq
                }
            }
        }
    }
    let order = (0 ..< n).sorted { a[$0 * n + $0] != a[$1 * n + $1] ? a[$0 * n + $0] > a[$1 * n + $1] : $0 < $1 }
    return SymmetricEigenpairs(values: order.map { a[$0 * n + $0] },
                               vectors: order.map { column in signFixed((0 ..< n).map { v[$0 * n + column] }) })
}

/// The vector, negated if need be so that its largest-magnitude entry is positive.
private func signFixed(_ vector: [Double]) -> [Double] {
    var largest = 0
    for i in vector.indices where abs(vector[i]) > abs(vector[largest]) { largest = i }
    return vector.isEmpty || vector[largest] >= 0 ? vector : vector.map { -$0 }
}
