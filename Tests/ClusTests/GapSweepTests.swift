import Foundation
import Testing

/// `sweep gap=on` through the binary, against Scripts/make_gap_fixture.py:
/// the same reference sets (seed + b), clusGap's formula on scikit-learn's
/// k-means labels.
@Suite struct GapSweepTests {
    struct Space: Decodable {
        let gap: [Double]
        let gap_se: [Double]
        let best_tibshirani: Int
        let best_first_se_max: Int
    }

    struct Fixture: Decodable {
        let seed: UInt64
        let B: Int
        let ks: [Int]
        let pca: Space
        let original: Space
    }

    static func sweep(_ path: String, _ options: String) throws -> [String: Any] {
        let out = try ClusProcess.run(["--format", "json", "-c", "load \"\(path)\"; sweep \(options) keep=off"])
        #expect(out.status == 0, "\(out.stderr)")
        let last = try #require(out.stdout.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    /// k = 1 needs no clustering, so its gap depends only on the reference
    /// sets: equal to the fixture's. Beyond, clus's k-means and scikit-learn's
    /// may stop in different local optima on the uniform sets: close, and the
    /// same best k (three blobs).
    @Test(arguments: ["pca", "original"])
    func threeBlobsGiveTheFixturesGapsAndK3(_ space: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ClusCoreTests/Fixtures/gap.json")
        let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        let expected = space == "pca" ? f.pca : f.original
        let result = try GapSweepTests.sweep("Tests/Golden/data/gapblobs.jsonl",
                                             "k=\(f.ks.first!)..\(f.ks.last!) gap=on B=\(f.B) seed=\(f.seed) n_init=10 reference=\(space)")
        #expect(result["gap_reference"] as? String == space)
        #expect(result["gap_B"] as? Int == f.B)
        let rows = try #require(result["rows"] as? [[String: Any]])
        #expect(rows.map { $0["k"] as? Int } == f.ks)
        for (i, row) in rows.enumerated() {
            let gap = try #require(row["gap"] as? Double), se = try #require(row["gap_se"] as? Double)
            let tolerance = i == 0 ? 1e-6 : 0.02
            #expect(abs(gap - expected.gap[i]) <= tolerance, "k=\(f.ks[i]) gap \(gap) vs \(expected.gap[i])")
            #expect(abs(se - expected.gap_se[i]) <= tolerance, "k=\(f.ks[i]) SE \(se) vs \(expected.gap_se[i])")
        }
        let best = try #require(result["best"] as? [String: Any])
        #expect(best["gap"] as? Int == expected.best_tibshirani)
        #expect(best["gap_first_se_max"] as? Int == expected.best_first_se_max)
        #expect(expected.best_tibshirani == 3)
    }

    /// Uniform noise has no clusters: Tibshirani's rule stops at k = 1.
    @Test func uniformNoiseGivesK1() throws {
        let path = try StabilityTests.write("gapnoise", count: 300, dimension: 5)
        let result = try GapSweepTests.sweep(path, "k=1..5 gap=on B=20")
        let best = try #require(result["best"] as? [String: Any])
        #expect(best["gap"] as? Int == 1)
    }

    /// Well-separated blobs in 8 dimensions, a known number of them, found by
    /// k-means and by ward, from either box; the same seed the same gaps.
    @Test(arguments: [3, 5])
    func blobsGiveTheirNumber(_ count: Int) throws {
        let centres: [[Double]] = (0 ..< count).map { (c: Int) -> [Double] in
            (0 ..< 8).map { (j: Int) -> Double in Double((c * 7 + j * 3) % 11) * 10 }
        }
        let path = try StabilityTests.write("gapblobs\(count)", count: 40 * count, dimension: 8, centres: centres)
        for options in ["", " method=agglomerative", " reference=original"] {
            let result = try GapSweepTests.sweep(path, "k=1..8 gap=on B=10" + options)
            let best = try #require(result["best"] as? [String: Any])
            #expect(best["gap"] as? Int == count, "\(options)")
        }
        let first = try GapSweepTests.sweep(path, "k=2..4 gap=on B=5 seed=3")
        let again = try GapSweepTests.sweep(path, "k=2..4 gap=on B=5 seed=3")
        let gaps = { (r: [String: Any]) in (r["rows"] as? [[String: Any]])?.map { $0["gap"] as? Double } }
        #expect(gaps(first) != nil && gaps(first) == gaps(again))
    }
}
