import COpenBLAS

/// Dot products of every row of `a` with every row of `b`, by the BLAS's
/// sgemm, single-threaded: `c[i * stride + j] = a[i] · b[j]` for `i < rows`,
/// `j < columns`; both inputs row-major with `depth` values per row.
///
/// The one door to the BLAS, so the library chosen at run time (and the core
/// it runs on this CPU) is decided in one place. Callers run it inside their
/// own tasks: the BLAS's threads would fight ours. Returns false when no
/// BLAS is available; the caller then uses its own kernel.
@discardableResult
func dotProducts(
    _ a: UnsafePointer<Float>, rows: Int, _ b: UnsafePointer<Float>, columns: Int, depth: Int,
    into c: UnsafeMutablePointer<Float>, stride: Int
) -> Bool {
    openblas_set_num_threads(1)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(columns), Int32(depth),
                1, a, Int32(depth), b, Int32(depth), 0, c, Int32(stride))
    return true
}
