import ClusCore
import Testing

@Suite("Contingency table and external indices")
struct ContingencyTests {
    @Test("rows are truth classes and columns clusters, in sorted order of the values")
    func layout() {
        let t = ContingencyTable(truth: [5, 5, -2, 0, 5], predicted: [-1, 7, 3, 7, -1])
        #expect(t.truthClasses == [-2, 0, 5])
        #expect(t.clusters == [-1, 3, 7])
        #expect(t.rowCount == 3 && t.columnCount == 3 && t.total == 5)
        #expect(t.counts == [0, 1, 0, 0, 0, 1, 2, 0, 1])
        #expect(t.count(truthIndex: 2, clusterIndex: 0) == 2)
        #expect(t.rowSums == [1, 1, 3])
        #expect(t.columnSums == [2, 1, 2])
        #expect(purity(t) == 4.0 / 5)
        #expect(inversePurity(t) == 4.0 / 5)
    }

    @Test("empty labelings follow sklearn's conventions")
    func empty() {
        let t = ContingencyTable(truth: [], predicted: [])
        #expect(t.total == 0)
        #expect(adjustedRandIndex(t) == 1)
        #expect(randIndex(t) == 1)
        #expect(normalizedMutualInformation(t) == 1)
        #expect(adjustedMutualInformation(t) == 1)
        #expect(homogeneity(t) == 1 && completeness(t) == 1 && vMeasure(t) == 1)
        #expect(fowlkesMallows(t) == 0)
    }

    /// 2,000,000 documents: truth alternates 0/1, clusters split the list in
    /// halves, so every cell holds 500,000. Σ n_ij² = 10¹² and the ARI's
    /// products of pair counts reach 10²⁴: far past 32 and even 64 bits.
    @Test("2,000,000 labels: pair sums in 64 bits, ARI products in 128, closed forms")
    func noOverflow() {
        let n = 2_000_000
        let truth = (0 ..< n).map { $0 % 2 }
        let predicted = (0 ..< n).map { $0 < n / 2 ? 0 : 1 }
        let t = ContingencyTable(truth: truth, predicted: predicted)
        #expect(t.counts == [500_000, 500_000, 500_000, 500_000])

        // Unordered pair counts, as exact Doubles (all below 2⁵³).
        let c2 = { (m: Double) in m * (m - 1) / 2 }
        let together = 4 * c2(500_000)         // same class and same cluster
        let sameClass = 2 * c2(1_000_000)      // also = same cluster
        let all = c2(Double(n))
        let expectedIndex = sameClass * sameClass / all
        let ari = (together - expectedIndex) / (sameClass - expectedIndex)
        #expect(abs(adjustedRandIndex(t) - ari) < 1e-12, "ARI \(adjustedRandIndex(t)) vs \(ari)")
        #expect(adjustedRandIndex(t) < 0 && adjustedRandIndex(t) > -1e-6)

        let agree = all - 2 * (sameClass - together)  // pairs both split or both joined
        #expect(abs(randIndex(t) - agree / all) < 1e-12)
        let fm = together / sameClass
        #expect(abs(fowlkesMallows(t) - fm) < 1e-12, "FM \(fowlkesMallows(t)) vs \(fm)")
        // Independent halves: no information shared.
        #expect(mutualInformation(t) == 0)
        #expect(normalizedMutualInformation(t) == 0)
        #expect(abs(adjustedMutualInformation(t)) < 1e-6)
        #expect(purity(t) == 0.5)
    }

    @Test("identical labelings under other names score 1; a single cluster scores 0")
    func perfectAndDegenerate() {
        let truth = [0, 0, 1, 1, 2, 2, 2]
        let t = ContingencyTable(truth: truth, predicted: truth.map { 10 - 3 * $0 })
        for v in [adjustedRandIndex(t), randIndex(t), normalizedMutualInformation(t), adjustedMutualInformation(t),
                  homogeneity(t), completeness(t), vMeasure(t), fowlkesMallows(t), purity(t), inversePurity(t)] {
            #expect(abs(v - 1) < 1e-12)
        }
        let one = ContingencyTable(truth: truth, predicted: [Int](repeating: 0, count: truth.count))
        #expect(adjustedRandIndex(one) == 0)
        #expect(adjustedMutualInformation(one) == 0)
        #expect(normalizedMutualInformation(one) == 0)
        #expect(completeness(one) == 1)
        #expect(homogeneity(one) == 0)
    }
}
