import ClusCore

/// Runs `body` for each of `count` tasks on all cores, in waves of a few per
/// core so that progress and Ctrl-C are heard between them (`finished` hears
/// each wave's tasks); the first error in task order is thrown. The columnar
/// readers decode their row groups and record batches so.
func runLoadTasks(_ count: Int, cancellation: Cancellation?, finished: (Range<Int>) -> Void,
                  _ body: @escaping (Int) throws -> Void) throws {
    let parallelism = Parallelism.allCores
    let wave = 2 * parallelism.threads
    var errors = [Error?](repeating: nil, count: count)
    var start = 0
    while start < count {
        try cancellation?.check()
        let batch = start ..< min(start + wave, count)
        errors.withUnsafeMutableBufferPointer { out in
            let out = UncheckedBox(out)
            parallelism.forEach(chunks: batch.count) { k in
                do { try body(batch.lowerBound + k) } catch { out.value[batch.lowerBound + k] = error }
            }
        }
        if let error = errors[batch].first(where: { $0 != nil }) { throw error! }
        finished(batch)
        start = batch.upperBound
    }
}
