import CBLASLoader
#if canImport(Glibc)
import Glibc
#endif

/// The BLAS clus calls for blocks of dot products, and how it was loaded.
///
/// OpenBLAS is opened at run time, not linked, so that the core it runs on is
/// decided for this CPU before it starts (see CBLASLoader.h): Debian 12's
/// OpenBLAS 0.3.21 takes its generic kernels on CPUs newer than itself, e.g.
/// Intel Sapphire Rapids, where sgemm then runs at a quarter of its speed.
/// `CLUS_BLAS=uncorrected` leaves the choice to OpenBLAS (to measure what the
/// correction is worth); `CLUS_BLAS=none` does without it (clus's own kernels).
public struct BLASStatus: Sendable {
    /// Whether sgemm can be called.
    public let isLoaded: Bool
    /// The library file, or why none was loaded.
    public let library: String
    /// OpenBLAS's name for the core it runs ("SkylakeX"); empty when unknown.
    public let coreName: String
    /// The OPENBLAS_CORETYPE clus chose for this CPU; nil when it set none.
    public let coreSetByClus: String?
    /// The OPENBLAS_CORETYPE found in the environment, kept as the user's choice.
    public let coreSetByUser: String?

    /// The status of the BLAS, loading it on first use.
    public static let current: BLASStatus = load()

    private static func load() -> BLASStatus {
        let mode = getenv("CLUS_BLAS").map { String(cString: $0) } ?? "auto"
        guard mode != "none" else {
            return BLASStatus(isLoaded: false, library: "none (CLUS_BLAS=none)", coreName: "", coreSetByClus: nil, coreSetByUser: nil)
        }
        let s = clus_blas_load(mode == "uncorrected" ? 0 : 1)
        let text = { (p: UnsafePointer<CChar>?) -> String in p.map { String(cString: $0) } ?? "" }
        let set = text(s.core_set), user = text(s.core_from_user)
        return BLASStatus(isLoaded: s.loaded != 0, library: text(s.library), coreName: text(s.core_name),
                          coreSetByClus: set.isEmpty ? nil : set, coreSetByUser: user.isEmpty ? nil : user)
    }

    /// One line for people: `OpenBLAS (libopenblas.so.0), core SkylakeX, set by clus for this CPU`.
    public var summary: String {
        guard isLoaded else { return library }
        var line = "OpenBLAS (\(library)), core \(coreName.isEmpty ? "unknown" : coreName)"
        if let coreSetByUser { line += ", OPENBLAS_CORETYPE=\(coreSetByUser) from the environment" }
        else if let coreSetByClus { line += ", OPENBLAS_CORETYPE=\(coreSetByClus) chosen by clus for this CPU" }
        else { line += ", chosen by OpenBLAS" }
        return line
    }
}

/// Dot products of every row of `a` with every row of `b`, by the BLAS's
/// sgemm, single-threaded: `c[i * stride + j] = a[i] · b[j]` for `i < rows`,
/// `j < columns`; both inputs row-major with `depth` values per row.
///
/// The one door to the BLAS. Callers run it inside their own tasks: the
/// BLAS's threads would fight ours. Returns false, computing nothing, when no
/// BLAS is loaded; the caller then uses its own kernel.
@discardableResult
func dotProducts(
    _ a: UnsafePointer<Float>, rows: Int, _ b: UnsafePointer<Float>, columns: Int, depth: Int,
    into c: UnsafeMutablePointer<Float>, stride: Int
) -> Bool {
    guard BLASStatus.current.isLoaded else { return false }
    clus_blas_dot_products(Int32(rows), Int32(columns), Int32(depth), a, b, c, Int32(stride))
    return true
}
