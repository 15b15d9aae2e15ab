import ClusCore
import Foundation
import Testing

/// The gap statistic against Scripts/make_gap_fixture.py (clusGap's formula in
/// NumPy on the reference sets it draws with the same documented generator).
@Suite struct GapStatisticTests {
    struct Space: Decodable {
        let reference_sets: [[[Double]]]
        let labels: [String: [Int]]
        let reference_labels: [String: [[Int]]]
        let gap: [Double]
        let gap_se: [Double]
        let best_tibshirani: Int
        let best_first_se_max: Int
    }

    struct Fixture: Decodable {
        let seed: UInt64
        let B: Int
        let ks: [Int]
        let data: [[Double]]
        let pca: Space
        let original: Space
    }

    static let fixture: Fixture? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gap.json")
        return (try? Data(contentsOf: url)).flatMap { try? JSONDecoder().decode(Fixture.self, from: $0) }
    }()

    @Test(arguments: GapReferenceSpace.allCases)
    func referenceSetsAndGapsMatchTheFixture(_ space: GapReferenceSpace) throws {
        let f = try #require(GapStatisticTests.fixture)
        let expected = space == .scaledPCA ? f.pca : f.original
        let x = Embeddings(rows: f.data.map { $0.map(Float.init) })
        let box = GapReferenceBox(x, space: space)
        var sets: [Embeddings] = []
        for b in 0 ..< f.B {
            var rng = SeededGenerator(seed: f.seed + UInt64(b))
            let set = box.referenceSet(count: x.count, using: &rng)
            for (i, row) in expected.reference_sets[b].enumerated() {
                for (j, v) in row.enumerated() {
                    #expect(abs(Double(Array(set[row: i])[j]) - v) <= 1e-5 * max(1, abs(v)), "set \(b) [\(i), \(j)]")
                }
            }
            sets.append(set)
        }
        var values: [GapValue] = []
        for (index, k) in f.ks.enumerated() {
            let logW = log(withinClusterDispersion(x, labels: try #require(expected.labels[String(k)])))
            let referenceLabels = try #require(expected.reference_labels[String(k)])
            let value = GapValue(logW: logW, referenceLogW: (0 ..< f.B).map { log(withinClusterDispersion(sets[$0], labels: referenceLabels[$0])) })
            #expect(abs(value.gap - expected.gap[index]) <= 1e-5, "k=\(k) gap \(value.gap) vs \(expected.gap[index])")
            #expect(abs(value.standardError - expected.gap_se[index]) <= 1e-5, "k=\(k) SE")
            values.append(value)
        }
        let best = try #require(gapBest(values))
        #expect(f.ks[best.tibshirani] == expected.best_tibshirani)
        #expect(f.ks[best.firstSEmax] == expected.best_first_se_max)
        #expect(expected.best_tibshirani == 3)  // three blobs
    }

    /// The principal axes are orthonormal and their variances those of the data's coordinates on them.
    @Test func principalComponentsAreOrthonormalAndSorted() throws {
        let f = try #require(GapStatisticTests.fixture)
        let x = Embeddings(rows: f.data.map { $0.map(Float.init) })
        let pca = principalComponents(x)
        for (a, u) in pca.components.enumerated() {
            for (b, v) in pca.components.enumerated() {
                let dot = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(dot - (a == b ? 1 : 0)) < 1e-10)
            }
        }
        #expect(pca.variances == pca.variances.sorted(by: >))
        let first = (0 ..< x.count).map { pca.project(x[row: $0])[0] }
        let variance = first.reduce(0) { $0 + $1 * $1 } / Double(x.count - 1)
        #expect(abs(variance - pca.variances[0]) <= 1e-9 * pca.variances[0])
    }
}
