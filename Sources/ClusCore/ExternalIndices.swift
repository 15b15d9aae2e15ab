#if canImport(Glibc)
import Glibc
#endif

// External indices compare a clustering with known classes, exactly as
// `sklearn.metrics` 1.9.1 does, including its conventions for degenerate
// tables (one class, one cluster, empty input). Counts and pair sums are
// 64-bit Ints, products of pair sums 128-bit: no overflow at millions of
// documents (scikit-learn issues #20305, #21055).

/// How NMI and AMI average the two entropies in their normaliser.
public enum MutualInformationAverage: String, Sendable, CaseIterable {
    /// (U + V) / 2, sklearn's default.
    case arithmetic
    /// √(U·V).
    case geometric
    /// min(U, V).
    case min
    /// max(U, V).
    case max

    /// The generalised mean of `u` and `v`.
    func mean(_ u: Double, _ v: Double) -> Double {
        switch self {
        case .arithmetic: (u + v) / 2
        case .geometric: (u * v).squareRoot()
        case .min: Swift.min(u, v)
        case .max: Swift.max(u, v)
        }
    }
}

/// Ordered pair counts (tn, fp, fn, tp) as sklearn's `pair_confusion_matrix`.
private func pairConfusion(_ t: ContingencyTable) -> (tn: Int, fp: Int, fn: Int, tp: Int) {
    let n = t.total
    let rows = t.rowSums, cols = t.columnSums
    var sumSquares = 0, byColumn = 0, byRow = 0
    for i in 0 ..< t.rowCount {
        for j in 0 ..< t.columnCount {
            let c = t.count(truthIndex: i, clusterIndex: j)
            sumSquares += c * c
            byColumn += c * cols[j]
            byRow += c * rows[i]
        }
    }
    let fp = byColumn - sumSquares
    let fn = byRow - sumSquares
    return (n * n - fp - fn - sumSquares, fp, fn, sumSquares - n)
}

/// Unordered document pairs by whether the truth and the clustering put
/// them together: the counts behind ARI, the Rand index and Fowlkes-Mallows,
/// from the same pair confusion they are computed from.
public struct PairCounts: Sendable, Equatable {
    /// Pairs together in both.
    public let both: Int
    /// Pairs in the same cluster but of different truth.
    public let clusterOnly: Int
    /// Pairs of the same truth but in different clusters.
    public let truthOnly: Int
    /// Pairs apart in both.
    public let neither: Int

    /// The pairs of the table's documents.
    /// - Complexity: O(r·c).
    public init(_ t: ContingencyTable) {
        // pairConfusion counts ordered pairs: each unordered pair twice.
        let (tn, fp, fn, tp) = pairConfusion(t)
        (both, clusterOnly, truthOnly, neither) = (tp / 2, fp / 2, fn / 2, tn / 2)
    }

    /// All pairs, n(n-1)/2.
    public var all: Int { both + clusterOnly + truthOnly + neither }
    /// Pairs in the same cluster.
    public var sameCluster: Int { both + clusterOnly }
    /// Pairs of the same truth.
    public var sameTruth: Int { both + truthOnly }
}

/// Adjusted Rand Index (ARI): pair agreement corrected for chance; 1 is
/// identical, about 0 is random.
///
/// 1.0 when no pair disagrees (also for empty input), as sklearn.
/// - Complexity: O(r·c).
public func adjustedRandIndex(_ t: ContingencyTable) -> Double {
    let (tn, fp, fn, tp) = pairConfusion(t)
    if fn == 0 && fp == 0 { return 1.0 }
    // Products of pair counts reach n⁴: 128-bit.
    let num = 2 * (Int128(tp) * Int128(tn) - Int128(fn) * Int128(fp))
    let den = (Int128(tp) + Int128(fn)) * (Int128(fn) + Int128(tn)) + (Int128(tp) + Int128(fp)) * (Int128(fp) + Int128(tn))
    return Double(num) / Double(den)
}

/// Rand index: the fraction of document pairs on which both labelings agree.
///
/// 1.0 for empty input or total agreement, as sklearn.
/// - Complexity: O(r·c).
public func randIndex(_ t: ContingencyTable) -> Double {
    let (tn, fp, fn, tp) = pairConfusion(t)
    let agree = tn + tp, all = tn + fp + fn + tp
    if agree == all || all == 0 { return 1.0 }
    return Double(agree) / Double(all)
}

/// Entropy (nats) of a labeling given its class sizes; sklearn's `_entropy`
/// (1.0 for no documents, 0 for one class).
/// - Complexity: O(sizes).
public func entropy(_ sizes: [Int]) -> Double {
    let total = sizes.reduce(0, +)
    if total == 0 { return 1.0 }
    if sizes.count == 1 { return 0.0 }
    let n = Double(total), logN = log(n)
    var h = 0.0
    for s in sizes where s > 0 {
        let p = Double(s)
        h -= (p / n) * (log(p) - logN)
    }
    return h
}

/// Mutual information (nats) between the two labelings.
///
/// 0 when either side has a single label.
/// - Complexity: O(r·c).
public func mutualInformation(_ t: ContingencyTable) -> Double {
    if t.rowCount == 1 || t.columnCount == 1 { return 0.0 }
    let rows = t.rowSums, cols = t.columnSums
    let n = Double(t.total), logN = log(n)
    var mi = 0.0
    for i in 0 ..< t.rowCount {
        for j in 0 ..< t.columnCount {
            let c = t.count(truthIndex: i, clusterIndex: j)
            if c == 0 { continue }
            let p = Double(c) / n
            let logOuter = -log(Double(rows[i] * cols[j])) + logN + logN
            let term = p * (log(Double(c)) - logN) + p * logOuter
            // sklearn drops terms below machine epsilon (rounding noise).
            if abs(term) >= Double.ulpOfOne { mi += term }
        }
    }
    return Swift.max(mi, 0)
}

/// Normalized mutual information (NMI): MI over a mean of the two entropies.
///
/// 1.0 when both labelings have one label (or none); 0 when MI is 0.
/// - Complexity: O(r·c).
public func normalizedMutualInformation(_ t: ContingencyTable, average: MutualInformationAverage = .arithmetic) -> Double {
    if t.rowCount == t.columnCount && t.rowCount <= 1 { return 1.0 }
    let mi = mutualInformation(t)
    if mi == 0 { return 0.0 }
    return mi / average.mean(entropy(t.rowSums), entropy(t.columnSums))
}

/// Expected mutual information of two random labelings with these class
/// sizes (hypergeometric model), as sklearn's `expected_mutual_information`.
///
/// sklearn sums every overlap n_ij from max(1, a+b-n) to min(a, b) with four
/// log-gamma terms each: O(r·c·min(a, b)), 10⁸ terms for 100 × 100 classes of
/// a million documents. The hypergeometric probabilities are log-concave in
/// n_ij, so this walks out from the mode with the ratio of neighbouring
/// probabilities and stops where they fall below 10⁻²⁰ of the mode's: the
/// rest is a geometrically shrinking tail below double precision. Log-gamma
/// is needed only once per cell, so it stays finite for millions of documents.
/// - Complexity: O(r·c·(√(a·b/n)+1)) in practice, O(r·c·min(a, b)) at worst.
public func expectedMutualInformation(_ t: ContingencyTable) -> Double {
    let a = t.rowSums, b = t.columnSums
    if a.count == 1 || b.count == 1 { return 0.0 }
    let n = t.total
    let nD = Double(n), logN = log(nD)
    let logA = a.map { log(Double($0)) }, logB = b.map { log(Double($0)) }
    let glnA = a.map { logFactorial($0) + logFactorial(n - $0) }
    let glnB = b.map { logFactorial($0) + logFactorial(n - $0) }
    let glnN = logFactorial(n)
    let cutoff = 1e-20
    var emi = 0.0
    for i in 0 ..< a.count {
        let ai = a[i]
        for j in 0 ..< b.count {
            let bj = b[j]
            let start = Swift.max(1, ai - n + bj), end = Swift.min(ai, bj)
            if start > end { continue }
            // the overlap's contribution: (n_ij / n) · log(n·n_ij / (a·b)) · P(n_ij)
            let base = logN - logA[i] - logB[j]
            func term(_ x: Int, _ p: Double) -> Double { Double(x) / nD * (base + log(Double(x))) * p }
            let mode = Swift.min(end, Swift.max(start, Int((Double(ai + 1) * Double(bj + 1) / Double(n + 2)).rounded(.down))))
            let pMode = exp(glnA[i] + glnB[j] - glnN - logFactorial(mode) - logFactorial(ai - mode)
                            - logFactorial(bj - mode) - logFactorial(n - ai - bj + mode))
            var sum = term(mode, pMode)
            var p = pMode, x = mode
            while x < end {
                p *= Double(ai - x) * Double(bj - x) / (Double(x + 1) * Double(n - ai - bj + x + 1))
                x += 1
                if p < cutoff * pMode { break }
                sum += term(x, p)
            }
            p = pMode
            x = mode
            while x > start {
                p *= Double(x) * Double(n - ai - bj + x) / (Double(ai - x + 1) * Double(bj - x + 1))
                x -= 1
                if p < cutoff * pMode { break }
                sum += term(x, p)
            }
            emi += sum
        }
    }
    return emi
}

/// log(k!), through the reentrant log-gamma (no write to the global `signgam`).
private func logFactorial(_ k: Int) -> Double {
    var sign: Int32 = 0
    return lgamma_r(Double(k) + 1, &sign)
}

/// Adjusted mutual information (AMI): MI corrected for chance.
///
/// 1.0 when both labelings have one label (or none); 0 when just one does.
/// - Complexity: O(r·c·min(a, b)) for the expected MI.
public func adjustedMutualInformation(_ t: ContingencyTable, average: MutualInformationAverage = .arithmetic) -> Double {
    if t.rowCount == t.columnCount && t.rowCount <= 1 { return 1.0 }
    if t.rowCount == 1 || t.columnCount == 1 { return 0.0 }
    let mi = mutualInformation(t)
    let emi = expectedMutualInformation(t)
    let normalizer = average.mean(entropy(t.rowSums), entropy(t.columnSums))
    // Keep the sign but never divide by (nearly) zero, as sklearn.
    let eps = Double.ulpOfOne
    let den = normalizer - emi
    let num = mi - emi
    let safeDen = den < 0 ? Swift.min(den, -eps) : Swift.max(den, eps)
    let safeNum = num < 0 ? Swift.min(num, -eps) : Swift.max(num, eps)
    return safeNum / safeDen
}

/// Homogeneity, completeness and V-measure, sharing one MI computation.
private func homogeneityCompleteness(_ t: ContingencyTable) -> (h: Double, c: Double) {
    if t.total == 0 { return (1.0, 1.0) }
    let hTruth = entropy(t.rowSums), hPred = entropy(t.columnSums)
    let mi = mutualInformation(t)
    return (hTruth != 0 ? mi / hTruth : 1.0, hPred != 0 ? mi / hPred : 1.0)
}

/// Homogeneity: 1 when every cluster holds documents of a single class.
/// - Complexity: O(r·c).
public func homogeneity(_ t: ContingencyTable) -> Double { homogeneityCompleteness(t).h }

/// Completeness: 1 when every class falls in a single cluster.
/// - Complexity: O(r·c).
public func completeness(_ t: ContingencyTable) -> Double { homogeneityCompleteness(t).c }

/// V-measure: the weighted harmonic mean of homogeneity and completeness
/// (`beta` > 1 weights completeness more).
/// - Complexity: O(r·c).
public func vMeasure(_ t: ContingencyTable, beta: Double = 1) -> Double {
    let (h, c) = homogeneityCompleteness(t)
    if h + c == 0 { return 0.0 }
    return (1 + beta) * h * c / (beta * h + c)
}

/// Fowlkes-Mallows index: geometric mean of pairwise precision and recall.
///
/// 0 when no pair is together in both labelings.
/// - Complexity: O(r·c).
public func fowlkesMallows(_ t: ContingencyTable) -> Double {
    let n = t.total
    let tk = t.counts.reduce(0) { $0 + $1 * $1 } - n
    let pk = t.columnSums.reduce(0) { $0 + $1 * $1 } - n
    let qk = t.rowSums.reduce(0) { $0 + $1 * $1 } - n
    if tk == 0 { return 0.0 }
    return (Double(tk) / Double(pk)).squareRoot() * (Double(tk) / Double(qk)).squareRoot()
}

/// Purity: for each cluster the count of its largest class, summed, over n.
///
/// 1.0 for empty input (no document misplaced).
/// - Complexity: O(r·c).
public func purity(_ t: ContingencyTable) -> Double {
    let n = t.total
    if n == 0 { return 1.0 }
    var sum = 0
    for j in 0 ..< t.columnCount {
        var best = 0
        for i in 0 ..< t.rowCount { best = Swift.max(best, t.count(truthIndex: i, clusterIndex: j)) }
        sum += best
    }
    return Double(sum) / Double(n)
}

/// Inverse purity: for each class the count of its largest cluster, summed, over n.
///
/// 1.0 for empty input.
/// - Complexity: O(r·c).
public func inversePurity(_ t: ContingencyTable) -> Double {
    let n = t.total
    if n == 0 { return 1.0 }
    var sum = 0
    for i in 0 ..< t.rowCount {
        var best = 0
        for j in 0 ..< t.columnCount { best = Swift.max(best, t.count(truthIndex: i, clusterIndex: j)) }
        sum += best
    }
    return Double(sum) / Double(n)
}
