extension Embeddings {
    /// The rows holding NaN or an infinity, ascending: each block of rows is
    /// tested with whole-vector compares of the exponent bits, over all
    /// cores, and only a block that has one is looked at row by row. Reads
    /// the values where they lie (a mapped file is not copied).
    /// - Complexity: O(n·d) time, O(n / 4096) memory.
    public func nonFiniteRows(parallelism: Parallelism = .allCores) -> [Int] {
        let n = count, d = dimension, block = 4096
        let blocks = (n + block - 1) / block
        var found = [[Int]](repeating: [], count: blocks)
        values.withUnsafeBufferPointer { v in
            found.withUnsafeMutableBufferPointer { out in
                guard let base = v.baseAddress else { return }
                let shared = UncheckedBox((base, out))
                parallelism.forEach(chunks: blocks) { b in
                    let (v, out) = shared.value
                    let lo = b * block, hi = min(n, lo + block)
                    guard hasNonFinite(v + lo * d, count: (hi - lo) * d) else { return }
                    out[b] = (lo ..< hi).filter { hasNonFinite(v + $0 * d, count: d) }
                }
            }
        }
        return found.flatMap { $0 }
    }

    /// The first row holding NaN or an infinity, or nil (see `nonFiniteRows`).
    public func firstNonFiniteRow(parallelism: Parallelism = .allCores) -> Int? {
        nonFiniteRows(parallelism: parallelism).first
    }
}

/// Whether any of `count` floats at `p` is NaN or infinite (all exponent bits set).
private func hasNonFinite(_ p: UnsafePointer<Float>, count: Int) -> Bool {
    let raw = UnsafeRawPointer(p)
    let exponent = SIMD16<UInt32>(repeating: 0x7F80_0000)
    var any = SIMDMask<SIMD16<Int32>>(repeating: false)
    var i = 0
    while i + 16 <= count {
        let bits = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<UInt32>.self)
        any .|= (bits & exponent) .== exponent
        i += 16
    }
    if any != SIMDMask(repeating: false) { return true }
    while i < count {
        if raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self) & 0x7F80_0000 == 0x7F80_0000 { return true }
        i += 1
    }
    return false
}
