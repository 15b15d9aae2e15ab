// Arithmetic for the memory estimates next to the algorithms: products of
// sizes that may be absurd (10⁶ × 10⁶ labels) must saturate, not trap.

/// The product of `factors`, or `Int.max` when it would overflow.
/// - Complexity: O(factors).
public func saturatingProduct(_ factors: Int...) -> Int {
    var product = 1
    for f in factors {
        let (value, overflow) = product.multipliedReportingOverflow(by: max(0, f))
        if overflow { return .max }
        product = value
    }
    return product
}

/// The sum of `terms`, or `Int.max` when it would overflow.
/// - Complexity: O(terms).
public func saturatingSum(_ terms: Int...) -> Int {
    var sum = 0
    for t in terms {
        let (value, overflow) = sum.addingReportingOverflow(max(0, t))
        if overflow { return .max }
        sum = value
    }
    return sum
}

/// Bytes of working memory the exact silhouette under `metric` needs: from
/// cluster sums (cosine, squared euclidean) a few arrays of n and the k × d
/// sums — the vectors are streamed where they lie, never copied; otherwise
/// `silhouetteMemory`'s n × k sums and packed rows.
/// - Complexity: O(1).
public func silhouetteMemory(documents n: Int, dimension d: Int, clusters k: Int, metric: DistanceMetric,
                             threads: Int) -> Int {
    guard ClusterSums.applies(to: metric) else {
        return silhouetteMemory(documents: n, dimension: d, clusters: k, threads: threads)
    }
    // row scales, the result, the compact labels (Double / Int each), per-task partial sums, k × d sums
    let perDocument = saturatingProduct(n, 4 * MemoryLayout<Double>.size)
    let partials = saturatingProduct((n + 1023) / 1024 + 1, k, MemoryLayout<Double>.size)
    return saturatingSum(perDocument, partials, saturatingProduct(k, d, 3 * MemoryLayout<Double>.size),
                         saturatingProduct(max(1, threads), d + k, MemoryLayout<Double>.size))
}
