/// Where the gap statistic's reference sets are drawn (clusGap's `spaceH0`).
public enum GapReferenceSpace: String, Sendable, CaseIterable {
    /// Uniform in the box of the data's principal-component coordinates, rotated back (`scaledPCA`).
    case scaledPCA = "pca"
    /// Uniform in the box of the data's own coordinates (`original`).
    case original
}

/// The box the reference sets of the gap statistic are drawn in.
public struct GapReferenceBox: Sendable {
    /// nil for the original coordinates.
    public let axes: PrincipalComponents?
    public let low: [Double]
    public let high: [Double]

    /// The bounding box of `x`, in its principal-component coordinates or its own.
    /// - Complexity: O(n·d²) with PCA, O(n·d) without.
    public init(_ x: Embeddings, space: GapReferenceSpace) {
        let d = x.dimension
        var low = [Double](repeating: .infinity, count: d), high = [Double](repeating: -.infinity, count: d)
        let axes = space == .scaledPCA ? principalComponents(x) : nil
        for i in 0 ..< x.count {
            let row = x[row: i]
            let point = axes?.project(row) ?? row.map(Double.init)
            for j in 0 ..< d { low[j] = min(low[j], point[j]); high[j] = max(high[j], point[j]) }
        }
        self.axes = axes
        self.low = low
        self.high = high
    }

    /// `count` documents uniform in the box, rotated back and shifted by the
    /// mean with PCA: for each document in turn, coordinate j is
    /// low[j] + u·(high[j] − low[j]) with u the generator's next unit value.
    /// - Complexity: O(count·d²) with PCA, O(count·d) without.
    public func referenceSet(count: Int, using rng: inout SeededGenerator) -> Embeddings {
        let d = low.count
        var values = [Float](repeating: 0, count: count * d)
        for i in 0 ..< count {
            let z = (0 ..< d).map { low[$0] + rng.nextUnit() * (high[$0] - low[$0]) }
            for j in 0 ..< d {
                guard let axes else { values[i * d + j] = Float(z[j]); continue }
                var v = axes.mean[j]
                for c in 0 ..< d { v += z[c] * axes.components[c][j] }
                values[i * d + j] = Float(v)
            }
        }
        return Embeddings(count: count, dimension: d, values: values)
    }
}

/// W_k of the gap statistic as Tibshirani, Walther & Hastie (2001) define it:
/// Σ_r D_r / (2 n_r), D_r the sum of squared Euclidean distances over all
/// ordered pairs in cluster r — the within-cluster sum of squares
/// (R's clusGap with d.power = 2, up to its factor ½). Labels below 0 are left out.
/// - Complexity: O(n·d).
public func withinClusterDispersion(_ x: Embeddings, labels: [Int]) -> Double {
    let d = x.dimension
    let k = (labels.max() ?? -1) + 1
    var sums = [Double](repeating: 0, count: k * d), squares = [Double](repeating: 0, count: k)
    var sizes = [Int](repeating: 0, count: k)
    for i in 0 ..< x.count where labels[i] >= 0 {
        let c = labels[i]
        sizes[c] += 1
        for (j, v) in x[row: i].enumerated() {
            let value = Double(v)
            sums[c * d + j] += value
            squares[c] += value * value
        }
    }
    // Σ‖x‖² − ‖Σx‖²/n per cluster
    var w = 0.0
    for c in 0 ..< k where sizes[c] > 0 {
        var norm = 0.0
        for j in 0 ..< d { norm += sums[c * d + j] * sums[c * d + j] }
        w += squares[c] - norm / Double(sizes[c])
    }
    return max(0, w)
}

/// gap(k) and its standard error from log W_k and the B reference sets' log W*_kb.
public struct GapValue: Sendable, Equatable {
    /// mean_b log W*_kb − log W_k.
    public let gap: Double
    /// sd_k · √(1 + 1/B), sd_k with B − 1 (clusGap's SE.sim).
    public let standardError: Double

    public init(logW: Double, referenceLogW: [Double]) {
        let b = Double(referenceLogW.count)
        let mean = referenceLogW.reduce(0, +) / b
        let variance = referenceLogW.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(b - 1, 1)
        gap = mean - logW
        standardError = (variance * (1 + 1 / b)).squareRoot()
    }
}

/// The best k by the gap statistic over gaps of increasing k, as R's maxSE:
/// `tibshirani` the first k with gap(k) ≥ gap(k+1) − SE(k+1) (Tibs2001SEmax;
/// the last k when none is), `firstSEmax` the first k with gap(k) ≥
/// gap(m) − SE(m), m the first local maximum. Indices into `values`.
public func gapBest(_ values: [GapValue]) -> (tibshirani: Int, firstSEmax: Int)? {
    guard !values.isEmpty else { return nil }
    let n = values.count
    let tibshirani = (0 ..< n - 1).first { values[$0].gap >= values[$0 + 1].gap - values[$0 + 1].standardError } ?? n - 1
    let firstMax = (0 ..< n - 1).first { values[$0].gap >= values[$0 + 1].gap } ?? n - 1
    let bar = values[firstMax].gap - values[firstMax].standardError
    let firstSEmax = (0 ... firstMax).first { values[$0].gap >= bar } ?? firstMax
    return (tibshirani, firstSEmax)
}
