// Greedy k-means++ seeding (Arthur & Vassilvitskii; scikit-learn's variant):
// each new centre is the best of 2 + ⌊ln k⌋ candidates drawn with
// probability proportional to the squared distance to the nearest centre.

#if canImport(Glibc)
import Glibc
#endif

extension SeededGenerator {
    /// A uniform index in 0..<bound by multiply-high (bias below 2⁻⁶⁴ · bound),
    /// fixed here rather than left to the standard library's algorithm.
    mutating func nextIndex(below bound: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(bound).multipliedFullWidth(by: next()).high)
    }
}

/// Picks `k` seed documents by greedy k-means++; returns their indices.
///
/// - Complexity: O(k · (2 + ln k) · n · d) arithmetic, one pass over the data
///   per centre; O((2 + ln k) · n) extra memory.
func kMeansPlusPlus(_ x: RowMatrix, clusterCount k: Int, generator: inout SeededGenerator,
                    plan: ChunkPlan, parallelism: Parallelism,
                    cancellation: Cancellation?) throws(Cancelled) -> [Int] {
    let n = x.count, d = x.dimension
    let trials = 2 + Int(log(Double(k)))
    var chosen = [generator.nextIndex(below: n)]
    chosen.reserveCapacity(k)

    // closest[i]: squared distance from document i to its nearest chosen centre.
    var closest = [Float](repeating: 0, count: n)
    var chunkPotential = [Double](repeating: 0, count: plan.chunks)
    closest.withUnsafeMutableBufferPointer { out in
        chunkPotential.withUnsafeMutableBufferPointer { pot in
            let first = x.row(chosen[0])
            parallelism.forEach(chunks: plan.chunks) { c in
                var sum = 0.0
                for i in plan.range(c) {
                    let dist = squaredDistance(x.row(i), first, d)
                    out[i] = dist
                    sum += Double(dist)
                }
                pot[c] = sum
            }
        }
    }

    // candidate[l * n + i]: min(closest[i], distance to candidate l).
    var candidate = [Float](repeating: 0, count: trials * n)
    var candidatePotential = [Double](repeating: 0, count: trials * plan.chunks)
    var picks = [Int](repeating: 0, count: trials)

    while chosen.count < k {
        try cancellation?.check()
        for l in 0 ..< trials {
            picks[l] = sample(closest, chunkPotential: chunkPotential, plan: plan,
                              at: generator.nextUnit())
        }
        closest.withUnsafeBufferPointer { near in
        candidate.withUnsafeMutableBufferPointer { out in
        candidatePotential.withUnsafeMutableBufferPointer { pot in
            let centres = picks.map { x.row($0) }
            parallelism.forEach(chunks: plan.chunks) { c in
                if cancellation?.isCancelled == true { return }
                // Documents outer, candidates inner: one pass over the data per step.
                var sums = [Double](repeating: 0, count: trials)
                for i in plan.range(c) {
                    let row = x.row(i)
                    for l in 0 ..< trials {
                        let dist = min(near[i], squaredDistance(row, centres[l], d))
                        out[l * n + i] = dist
                        sums[l] += Double(dist)
                    }
                }
                for l in 0 ..< trials { pot[l * plan.chunks + c] = sums[l] }
            }
        }
        }
        }
        try cancellation?.check()

        // The candidate leaving the lowest potential; the first on ties.
        var best = 0, bestPotential = Double.infinity
        for l in 0 ..< trials {
            var total = 0.0
            for c in 0 ..< plan.chunks { total += candidatePotential[l * plan.chunks + c] }
            if total < bestPotential { bestPotential = total; best = l }
        }
        chosen.append(picks[best])
        closest.withUnsafeMutableBufferPointer { dst in
            candidate.withUnsafeBufferPointer { src in
                for i in 0 ..< n { dst[i] = src[best * n + i] }
            }
        }
        for c in 0 ..< plan.chunks { chunkPotential[c] = candidatePotential[best * plan.chunks + c] }
    }
    return chosen
}

/// Draws a document with probability ∝ `weights[i]`: `unit` ∈ [0, 1) scaled
/// by the total picks the first document whose running sum exceeds it.
/// Chunk totals narrow the search to one chunk, so a draw costs
/// O(chunks + rows per chunk) instead of a prefix sum over all n.
/// Documents of weight 0 (already centres, or their duplicates) are never drawn
/// unless every weight is 0.
private func sample(_ weights: [Float], chunkPotential: [Double], plan: ChunkPlan, at unit: Double) -> Int {
    var total = 0.0
    for p in chunkPotential { total += p }
    let target = unit * total
    var before = 0.0
    for c in 0 ..< plan.chunks {
        let after = before + chunkPotential[c]
        if after > target && chunkPotential[c] > 0 {
            var running = before
            var lastPositive = plan.range(c).lowerBound
            for i in plan.range(c) where weights[i] > 0 {
                lastPositive = i
                running += Double(weights[i])
                if running > target { return i }
            }
            return lastPositive  // the chunk's own sum rounded differently
        }
        before = after
    }
    // Rounding at the very end, or every weight 0: the last drawable document.
    return weights.lastIndex { $0 > 0 } ?? weights.count - 1
}
