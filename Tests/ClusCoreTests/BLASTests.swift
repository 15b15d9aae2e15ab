// The BLAS door: internal, so debug builds only.
#if DEBUG
@testable import ClusCore
import CBLASLoader
import Foundation
import Testing

@Suite("BLAS loading")
struct BLASTests {
    /// The flags of the first CPU in /proc/cpuinfo.
    static let cpuFlags: Set<Substring> = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(line.split(separator: ":")[1].split(separator: " "))
    }()

    @Test("the core chosen for this CPU follows its features")
    func coreFollowsTheFeatures() throws {
        let flags = Self.cpuFlags
        try #require(!flags.isEmpty, "no /proc/cpuinfo flags")
        let amd = ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").contains("AuthenticAMD")
        let expected: String
        if ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) { expected = "SKYLAKEX" }
        else if flags.contains("avx2") && flags.contains("fma") { expected = amd ? "ZEN" : "HASWELL" }
        else { expected = "" }
        #expect(String(cString: clus_blas_core_for_cpu()) == expected)
    }

    @Test("OpenBLAS runs the core clus set, unless the environment says otherwise")
    func openBLASRunsTheChosenCore() throws {
        let blas = BLASStatus.current
        let environment = ProcessInfo.processInfo.environment
        try #require(blas.isLoaded, "OpenBLAS not loaded: \(blas.library)")
        // One thread was for OpenBLAS's start-up only: children see the user's setting, or none. The
        // setting as the process started (/proc/self/environ), since another test may have loaded it already.
        let started = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/self/environ")))?
            .split(separator: 0).compactMap { String(bytes: $0, encoding: .utf8) }
            .first { $0.hasPrefix("OPENBLAS_NUM_THREADS=") }.map { String($0.dropFirst("OPENBLAS_NUM_THREADS=".count)) }
        #expect(getenv("OPENBLAS_NUM_THREADS").map { String(cString: $0) } == started)
        #expect(!blas.coreName.isEmpty)
        guard environment["OPENBLAS_CORETYPE"] == nil, environment["CLUS_BLAS"] == nil else { return }
        let wanted = String(cString: clus_blas_core_for_cpu())
        #expect(blas.coreSetByClus == (wanted.isEmpty ? nil : wanted))
        if let set = blas.coreSetByClus { #expect(blas.coreName.uppercased() == set, "asked for \(set), runs \(blas.coreName)") }
        // the variable was for OpenBLAS's start-up only
        #expect(getenv("OPENBLAS_CORETYPE") == nil)
    }

    @Test("dotProducts gives every row's dot product with every other row", arguments: [(1, 1, 1), (37, 53, 70), (130, 9, 512)])
    func dotProductsMatchTheDefinition(rows m: Int, columns n: Int, depth d: Int) throws {
        try #require(BLASStatus.current.isLoaded)
        var rng = SeededGenerator(seed: 7)
        let a = (0 ..< m * d).map { _ in Float(rng.nextUnit() * 2 - 1) }
        let b = (0 ..< n * d).map { _ in Float(rng.nextUnit() * 2 - 1) }
        let stride = n + 3
        var c = [Float](repeating: .nan, count: m * stride)
        #expect(dotProducts(a, rows: m, b, columns: n, depth: d, into: &c, stride: stride))
        for i in 0 ..< m {
            for j in 0 ..< n {
                let exact = (0 ..< d).reduce(0.0) { $0 + Double(a[i * d + $1]) * Double(b[j * d + $1]) }
                #expect(abs(Double(c[i * stride + j]) - exact) <= 1e-5 * Double(d), "(\(i), \(j))")
            }
            for j in n ..< stride { #expect(c[i * stride + j].isNaN, "wrote past the row's columns") }
        }
    }
}
#endif
