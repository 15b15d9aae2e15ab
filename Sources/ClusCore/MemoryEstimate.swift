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
