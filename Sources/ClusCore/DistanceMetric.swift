/// How the distance between two vectors is measured, as scikit-learn names it.
public enum DistanceMetric: String, Sendable, CaseIterable {
    /// ‖x − y‖₂.
    case euclidean
    /// 1 − cos(x, y), in [0, 2]; a zero vector is at distance 1 from everything.
    case cosine
    /// ‖x − y‖₁.
    case manhattan
    /// ‖x − y‖₂².
    case sqeuclidean

    /// The distance between two vectors of equal length, computed in Double.
    /// - Complexity: O(d).
    public func distance(_ x: ArraySlice<Float>, _ y: ArraySlice<Float>) -> Double {
        precondition(x.count == y.count, "vectors differ in length")
        var s = 0.0, xx = 0.0, yy = 0.0
        for (a, b) in zip(x, y) {
            let a = Double(a), b = Double(b)
            switch self {
            case .euclidean, .sqeuclidean: s += (a - b) * (a - b)
            case .manhattan: s += abs(a - b)
            case .cosine:
                s += a * b
                xx += a * a
                yy += b * b
            }
        }
        switch self {
        case .euclidean: return s.squareRoot()
        case .sqeuclidean, .manhattan: return s
        case .cosine:
            // sklearn leaves zero vectors at zero after normalising.
            let norms = (xx == 0 ? 1 : xx.squareRoot()) * (yy == 0 ? 1 : yy.squareRoot())
            return min(max(1 - s / norms, 0), 2)
        }
    }
}

/// The vector unit of the pairwise kernels. Eight Floats fill one AVX2
/// register: this machine has 16 of them (no AVX-512), which the 4×16 register
/// block of the silhouette's `tileDistances` is sized for (8 accumulators, 2
/// column loads, 4 broadcasts, and the differences).
typealias Lanes = SIMD8<Float>

/// One distance as a lane-wise accumulation over `Lanes` chunks, then a
/// scalar finish. Statically dispatched so each loop is specialised.
///
/// The scalar steps subtract first, so close points keep full relative
/// precision (no |x|²+|y|²−2x·y cancellation for large norms). Cosine and
/// squared euclidean need no pairwise kernel (`clusterSumSilhouettes`).
protocol PairKernel {
    /// Adds one chunk of the pair's contribution to `acc`.
    static func step(_ acc: inout Lanes, _ x: Lanes, _ y: Lanes)
    /// The same contribution for one scalar (debug builds, see `tileDistances`).
    static func step(_ acc: inout Float, _ x: Float, _ y: Float)
    /// Turns the summed lanes into the distance.
    static func finish(_ sum: Float) -> Float
}

enum EuclideanKernel: PairKernel {
    @inline(__always) static func step(_ acc: inout Lanes, _ x: Lanes, _ y: Lanes) {
        let d = x - y
        acc.addProduct(d, d)
    }
    @inline(__always) static func step(_ acc: inout Float, _ x: Float, _ y: Float) {
        let d = x - y
        acc += d * d
    }
    @inline(__always) static func finish(_ sum: Float) -> Float { sum.squareRoot() }
}

enum ManhattanKernel: PairKernel {
    @inline(__always) static func step(_ acc: inout Lanes, _ x: Lanes, _ y: Lanes) {
        // |d| by clearing the sign bits.
        let bits = unsafeBitCast(x - y, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF
        acc += unsafeBitCast(bits, to: Lanes.self)
    }
    @inline(__always) static func step(_ acc: inout Float, _ x: Float, _ y: Float) {
        acc += abs(x - y)
    }
    @inline(__always) static func finish(_ sum: Float) -> Float { sum }
}
