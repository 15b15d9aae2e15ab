import Testing
@testable import ClusCore

/// clusterboot's Jaccard matching and pairwise ARI on labelings small enough to count by hand.
@Suite struct ClusterStabilityTests {
    /// Reference {0, 1} {2, 3}; a resample drew 0, 1, 2 and split them {0} {1, 2}:
    /// cluster 0 restricted to {0, 1} best matches {0} (1/2) or {1, 2} (1/3);
    /// cluster 1 restricted to {2} matches {1, 2} (1/2).
    @Test func jaccardOfTheBestMatchOnTheDocumentsDrawn() {
        let split = ResampleClustering(documents: [0, 1, 2], labels: [0, 1, 1])
        let same = ResampleClustering(documents: [0, 1, 2, 3], labels: [1, 1, 0, 0])
        let s = clusterStability(reference: [0, 0, 1, 1], clusterCount: 2, resamples: [split, same])
        #expect(s.jaccard == [0.75, 0.75])
        #expect(s.meanJaccard == 0.75)
        // on documents 0, 1, 2 the runs read {0}{1,2} and {0,1}{2}: sklearn's ARI of [0,1,1] and [1,1,0] is -0.5
        #expect(abs(s.meanARI - (-0.5)) < 1e-12)
    }

    /// A cluster no resample drew has no value; noise (-1) is no cluster.
    @Test func undrawnClustersAndNoise() {
        let r = ResampleClustering(documents: [0, 1, 2], labels: [0, 0, -1])
        let s = clusterStability(reference: [0, 0, -1, 1], clusterCount: 2, resamples: [r, r])
        #expect(s.jaccard[0] == 1)
        #expect(s.jaccard[1] == nil)
        #expect(s.meanJaccard == 1)
        #expect(s.meanARI == 1)
    }

    @Test func subsetsHaveTheirSizeAndBootstrapsRepeat() {
        var rng = SeededGenerator(seed: 3)
        let subset = resampleRows(of: 100, size: 80, bootstrap: false, using: &rng)
        #expect(subset.count == 80)
        #expect(Set(subset).count == 80 && subset == subset.sorted() && subset.allSatisfy { (0 ..< 100).contains($0) })
        let draws = resampleRows(of: 100, size: 100, bootstrap: true, using: &rng)
        #expect(draws.count == 100 && draws == draws.sorted())
        #expect(Set(draws).count < 100)  // about 63 distinct
        var again = SeededGenerator(seed: 3)
        #expect(resampleRows(of: 100, size: 80, bootstrap: false, using: &again) == subset)
    }
}
