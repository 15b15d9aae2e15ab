import ClusCore
import Testing

/// The estimates the commands check against `memory_limit`: pure functions of
/// the sizes, saturating instead of overflowing on absurd ones.
@Suite("Memory estimates")
struct MemoryEstimateTests {
    @Test("saturating arithmetic stops at Int.max")
    func saturation() {
        #expect(saturatingProduct(3, 4, 5) == 60)
        #expect(saturatingProduct(1 << 40, 1 << 40) == .max)
        #expect(saturatingProduct(-3, 4) == 0)
        #expect(saturatingSum(.max, 1) == .max)
        #expect(saturatingSum(1, 2, 3) == 6)
    }

    @Test("agglomerative: n² Floats for ward, average, complete; O(n) for single")
    func agglomerativeEstimate() {
        let n = 200_000
        let ward = agglomerativeMemory(documents: n, dimension: 512, linkage: .ward)
        #expect(ward >= n * n * 4 && ward < n * n * 4 + n * 100)
        #expect(ward / (1 << 30) == 149)  // about 149 GiB
        let single = agglomerativeMemory(documents: n, dimension: 512, linkage: .single)
        #expect(single < n * 100)
        // cosine adds the unit-length copy of the rows
        #expect(agglomerativeMemory(documents: n, dimension: 512, linkage: .single, metric: .cosine) == single + n * 512 * 4)
        #expect(agglomerativeMemory(documents: 1 << 40, linkage: .average) == .max)
    }

    @Test("HDBSCAN: linear in n, a row per thread")
    func hdbscanEstimate() {
        let one = hdbscanMemory(documents: 10_000, dimension: 64, minSamples: 5, threads: 1)
        let two = hdbscanMemory(documents: 10_000, dimension: 64, minSamples: 5, threads: 2)
        #expect(two - one == 10_000 * 8 + 5 * 8)
        #expect(hdbscanMemory(documents: 20_000, dimension: 64, minSamples: 5, threads: 1) < 2 * one + 100)
        #expect(one < 10_000 * 300)
    }

    @Test("exact silhouette: the n × k sums dominate when k is large")
    func silhouetteEstimate() {
        let few = silhouetteMemory(documents: 100_000, dimension: 512, clusters: 10, threads: 2)
        // 100,000 × 512 floats packed twice (row and column panels): 410 MB; sums 8 MB
        #expect(few > 2 * 100_000 * 512 * 4 && few < 2 * 100_000 * 512 * 4 + 100_000 * 200)
        let perDocument = silhouetteMemory(documents: 1_000_000, dimension: 8, clusters: 1_000_000, threads: 2)
        #expect(perDocument >= 8_000_000_000_000)
        #expect(silhouetteMemory(documents: 1 << 40, dimension: 8, clusters: 1 << 40, threads: 2) == .max)
    }

    @Test("contingency table: r × c counts; 10⁶ × 10⁶ labels is 8 TB")
    func contingencyEstimate() {
        #expect(contingencyTableMemory(rows: 3, columns: 3) == 9 * 8 + 6 * 32)
        #expect(contingencyTableMemory(rows: 1_000_000, columns: 1_000_000) >= 8_000_000_000_000)
        #expect(contingencyTableMemory(rows: 1 << 40, columns: 1 << 40) == .max)
    }
}
