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
    /// The axes row after row (d × d), for the rotations' inner loops.
    private let rotation: [Double]
    private let parallelism: Parallelism

    /// The bounding box of `x`, in its principal-component coordinates or its own.
    /// - Complexity: O(n·d²) with PCA, O(n·d) without; rows in parallel.
    public init(_ x: Embeddings, space: GapReferenceSpace, parallelism: Parallelism = .serial) {
        let n = x.count, d = x.dimension
        let axes = space == .scaledPCA ? principalComponents(x) : nil
        let rotation = axes.map { $0.components.flatMap { $0 } } ?? []
        let chunks = min(64, max(1, n / 64))
        // each chunk's own box; min and max do not depend on the order
        var boxes = [(low: [Double], high: [Double])](repeating: ([], []), count: chunks)
        boxes.withUnsafeMutableBufferPointer { slots in
            let slots = UncheckedBox(slots)
            parallelism.forEach(chunks: chunks) { chunk in
                var low = [Double](repeating: .infinity, count: d), high = [Double](repeating: -.infinity, count: d)
                var point = [Double](repeating: 0, count: d), centred = [Double](repeating: 0, count: d)
                for i in n * chunk / chunks ..< n * (chunk + 1) / chunks {
                    let row = x[row: i]
                    if let axes {
                        for j in 0 ..< d { centred[j] = Double(row[row.startIndex + j]) - axes.mean[j] }
                        for c in 0 ..< d { point[c] = dot(centred, rotation, offset: c * d, count: d) }
                    } else {
                        for j in 0 ..< d { point[j] = Double(row[row.startIndex + j]) }
                    }
                    for j in 0 ..< d { low[j] = min(low[j], point[j]); high[j] = max(high[j], point[j]) }
                }
                slots.value[chunk] = (low, high)
            }
        }
        var low = [Double](repeating: .infinity, count: d), high = [Double](repeating: -.infinity, count: d)
        for box in boxes where !box.low.isEmpty {
            for j in 0 ..< d { low[j] = min(low[j], box.low[j]); high[j] = max(high[j], box.high[j]) }
        }
        self.axes = axes
        self.low = low
        self.high = high
        self.rotation = rotation
        self.parallelism = parallelism
    }

    /// `count` documents uniform in the box, rotated back and shifted by the
    /// mean with PCA: for each document in turn, coordinate j is
    /// low[j] + u·(high[j] − low[j]) with u the generator's next unit value;
    /// with PCA, document = mean + Σ_c z[c]·axis_c, in Double (fused
    /// multiply-adds for full blocks: the Float result may differ from an
    /// unfused sum in its last bit).
    /// - Complexity: O(count·d²) with PCA, O(count·d) without.
    public func referenceSet(count: Int, using rng: inout SeededGenerator) -> Embeddings {
        let d = low.count
        var z = [Double](repeating: 0, count: count * d)
        for i in 0 ..< count {
            for j in 0 ..< d { z[i * d + j] = low[j] + rng.nextUnit() * (high[j] - low[j]) }
        }
        guard let axes else { return Embeddings(count: count, dimension: d, values: z.map(Float.init)) }
        var values = [Float](repeating: 0, count: count * d)
        // blocks of 8 documents: each axis row, read from cache once per block, updates 8 points
        let block = 8
        let blocks = (count + block - 1) / block
        let chunks = min(64, blocks)
        z.withUnsafeBufferPointer { z in
            rotation.withUnsafeBufferPointer { rotation in
                values.withUnsafeMutableBufferPointer { out in
                    let shared = UncheckedBox((z: z, rotation: rotation, out: out))
                    parallelism.forEach(chunks: chunks) { chunk in
                        let (z, rotation, out) = shared.value
                        var points = [Double](repeating: 0, count: block * d)
                        points.withUnsafeMutableBufferPointer { points in
                            for b in blocks * chunk / chunks ..< blocks * (chunk + 1) / chunks {
                                let first = b * block, rows = min(block, count - first)
                                if rows == block, d % 8 == 0 {
                                    rotateBlock(z.baseAddress! + first * d, rotation.baseAddress!, mean: axes.mean,
                                                dimension: d, into: out.baseAddress! + first * d)
                                    continue
                                }
                                for r in 0 ..< rows { for j in 0 ..< d { points[r * d + j] = axes.mean[j] } }
                                for c in 0 ..< d {
                                    let axis = rotation.baseAddress! + c * d
                                    for r in 0 ..< rows {
                                        addScaled(z[(first + r) * d + c], axis, into: points.baseAddress! + r * d, count: d)
                                    }
                                }
                                for r in 0 ..< rows { for j in 0 ..< d { out[(first + r) * d + j] = Float(points[r * d + j]) } }
                            }
                        }
                    }
                }
            }
        }
        return Embeddings(count: count, dimension: d, values: values)
    }
}

/// Σ a[j]·b[offset + j] over j < count, in Double.
private func dot(_ a: [Double], _ b: [Double], offset: Int, count: Int) -> Double {
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            var lanes = SIMD8<Double>()
            var j = 0
            while j + 8 <= count {
                lanes += load8(a.baseAddress! + j) * load8(b.baseAddress! + offset + j)
                j += 8
            }
            var sum = lanes.sum()
            while j < count { sum += a[j] * b[offset + j]; j += 1 }
            return sum
        }
    }
}

@inline(__always)
private func load8(_ p: UnsafePointer<Double>) -> SIMD8<Double> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self) }

@inline(__always)
private func load8(_ p: UnsafeMutablePointer<Double>) -> SIMD8<Double> { load8(UnsafePointer(p)) }

/// Eight documents rotated back: out[r][j] = mean[j] + Σ_c z[r][c]·axis_c[j],
/// eight columns at a time held in registers over all c (each axis segment
/// read once for the eight rows). d a multiple of 8.
@inline(__always)
private func rotateBlock(_ z: UnsafePointer<Double>, _ rotation: UnsafePointer<Double>, mean: [Double], dimension d: Int,
                         into out: UnsafeMutablePointer<Float>) {
    mean.withUnsafeBufferPointer { mean in
        var j = 0
        while j < d {
            let start = load8(mean.baseAddress! + j)
            var a0 = start, a1 = start, a2 = start, a3 = start, a4 = start, a5 = start, a6 = start, a7 = start
            for c in 0 ..< d {
                let axis = load8(rotation + c * d + j)
                a0.addProduct(SIMD8(repeating: z[c]), axis)
                a1.addProduct(SIMD8(repeating: z[d + c]), axis)
                a2.addProduct(SIMD8(repeating: z[2 * d + c]), axis)
                a3.addProduct(SIMD8(repeating: z[3 * d + c]), axis)
                a4.addProduct(SIMD8(repeating: z[4 * d + c]), axis)
                a5.addProduct(SIMD8(repeating: z[5 * d + c]), axis)
                a6.addProduct(SIMD8(repeating: z[6 * d + c]), axis)
                a7.addProduct(SIMD8(repeating: z[7 * d + c]), axis)
            }
            for (r, sum) in [a0, a1, a2, a3, a4, a5, a6, a7].enumerated() {
                UnsafeMutableRawPointer(out + r * d + j).storeBytes(of: SIMD8<Float>(sum), as: SIMD8<Float>.self)
            }
            j += 8
        }
    }
}

/// point[j] += scale·axis[j]: the same sums, in the same order, as one coordinate at a time.
@inline(__always)
private func addScaled(_ scale: Double, _ axis: UnsafePointer<Double>, into point: UnsafeMutablePointer<Double>, count: Int) {
    let s = SIMD8<Double>(repeating: scale)
    var j = 0
    while j + 8 <= count {
        let sum = load8(point + j) + s * load8(axis + j)
        UnsafeMutableRawPointer(point + j).storeBytes(of: sum, as: SIMD8<Double>.self)
        j += 8
    }
    while j < count { point[j] += scale * axis[j]; j += 1 }
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
