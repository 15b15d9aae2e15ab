/// Points placed in a plane (or more dimensions) so that their distances
/// match given ones as closely as classical scaling can.
public struct ClassicalScaling: Sendable {
    /// One array of `dimensions` coordinates per point.
    public let coordinates: [[Double]]
    /// All eigenvalues of the double-centred matrix, largest first.
    public let eigenvalues: [Double]
    /// How many dimensions the coordinates have.
    public let dimensions: Int

    /// The share of the configuration the kept dimensions carry: their
    /// positive eigenvalues over all positive ones (1 when the distances
    /// fit in `dimensions` exactly).
    public var keptShare: Double {
        let positive = eigenvalues.filter { $0 > 0 }
        let total = positive.reduce(0, +)
        return total > 0 ? positive.prefix(dimensions).reduce(0, +) / total : 1
    }
}

/// Classical (Torgerson) multidimensional scaling: B = −½ J D⁽²⁾ J, and the
/// coordinates are B's first eigenvectors scaled by the square roots of
/// their eigenvalues (0 where an eigenvalue is not positive). Each axis's
/// largest entry is positive.
/// `distances` is the n×n row-major matrix of distances.
/// - Complexity: O(n³) time, O(n²) memory.
public func classicalScaling(distances: [Double], count n: Int, dimensions: Int = 2) -> ClassicalScaling {
    precondition(distances.count == n * n, "an n×n distance matrix")
    let squared = distances.map { $0 * $0 }
    var rowMeans = [Double](repeating: 0, count: n)
    for i in 0 ..< n { for j in 0 ..< n { rowMeans[i] += squared[i * n + j] } }
    for i in 0 ..< n { rowMeans[i] /= Double(n) }
    let grandMean = n > 0 ? rowMeans.reduce(0, +) / Double(n) : 0
    var b = [Double](repeating: 0, count: n * n)
    for i in 0 ..< n {
        for j in 0 ..< n {
            // the distances are symmetric, so column means equal row means
            b[i * n + j] = -0.5 * (squared[i * n + j] - rowMeans[i] - rowMeans[j] + grandMean)
        }
    }
    let pairs = symmetricEigenpairs(b, size: n)
    let kept = min(dimensions, n)
    let coordinates = (0 ..< n).map { i in
        (0 ..< dimensions).map { axis in
            axis < kept && pairs.values[axis] > 0 ? pairs.vectors[axis][i] * pairs.values[axis].squareRoot() : 0
        }
    }
    return ClassicalScaling(coordinates: coordinates, eigenvalues: pairs.values, dimensions: dimensions)
}

/// Euclidean distances between every two of `points` (all of one length),
/// as an n×n row-major matrix.
/// - Complexity: O(n²·d).
public func euclideanDistances(between points: [[Double]]) -> [Double] {
    let n = points.count
    var out = [Double](repeating: 0, count: n * n)
    for i in 0 ..< n {
        for j in i + 1 ..< n {
            var sum = 0.0
            for (a, b) in zip(points[i], points[j]) { sum += (a - b) * (a - b) }
            out[i * n + j] = sum.squareRoot()
            out[j * n + i] = out[i * n + j]
        }
    }
    return out
}
