import ClusCore
import Foundation
import Testing
@testable import ClusLang

/// The worked numbers of `explain describe`, `ctfidf`, `stability` and `gap`
/// are those of the functions the commands call, recomputed here on the same
/// tiny examples, and the hand steps agree with them and with arithmetic
/// done here.
@Suite struct ExplainAnalysisTests {
    static func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-9) -> Bool { ExplainTests.close(a, b, tolerance) }

    @Test func describeShowsTypicalDocumentsAndSilhouettesOfTheCode() throws {
        let result = try ExplainTests.json("describe")
        let example = EightPoints()
        let clusters = try #require(result["clusters"] as? [[String: Any]])
        let typical = typicalDocuments(example.x, labels: example.labels, clusterCount: 3, count: 1)
        let silhouettes = try silhouetteSamples(example.x, labels: example.labels, parallelism: .serial)
        #expect(clusters.count == 3)
        for (c, cluster) in clusters.enumerated() {
            let nearest = try #require(typical[c].first)
            #expect(cluster["typical"] as? String == example.names[nearest.row])
            #expect(Self.close(cluster["distance"] as? Double, nearest.distance))
            let members = example.members(of: c)
            let lowest = try #require(members.min { (silhouettes[$0], $0) < (silhouettes[$1], $1) })
            #expect(cluster["doubtful"] as? String == example.names[lowest])
            #expect(Self.close(cluster["silhouette"] as? Double, silhouettes[lowest]))
        }
        #expect(clusters.map { $0["typical"] as? String } == ["C", "D", "G"])
        #expect(clusters.map { $0["doubtful"] as? String } == ["B", "D", "G"])
        // C = (2, 1.2) against the centroid of A, B, C = (1.5, 1.4)
        #expect(Self.close(clusters[0]["distance"] as? Double, (0.25 + 0.04).squareRoot(), 1e-6))
        let all = try #require(result["silhouettes"] as? [Double])
        #expect(zip(all, silhouettes).allSatisfy { Self.close($0, $1) })
    }

    @Test func ctfidfScoreByHandIsTheCodes() throws {
        let result = try ExplainTests.json("ctfidf")
        let example = SevenTexts()
        // cluster_0 counts cat sleeps cat dog dog food; the others 5 words each
        let byHand = 2.0 / 6.0 * log(1 + (16.0 / 3.0) / 2.0)
        #expect(result["term"] as? String == "cat")
        #expect(result["tf"] as? Int == 2 && result["words"] as? Int == 6 && result["total"] as? Int == 2)
        #expect(Self.close(result["mean_words"] as? Double, 16.0 / 3.0))
        #expect(Self.close(result["hand_score"] as? Double, byHand))
        let scored = distinctiveTerms(texts: example.texts, labels: example.labels, clusterCount: 3, top: 100)
        let code = try #require(scored[0].first { $0.term == "cat" })
        #expect(Self.close(result["score"] as? Double, code.score))
        #expect(Self.close(code.score, byHand))
        let terms = try #require(result["terms"] as? [String: [[String: Any]]])
        for c in 0 ..< 3 {
            let shown = try #require(terms["cluster_\(c)"])
            #expect(shown.map { $0["term"] as? String } == scored[c].prefix(shown.count).map(\.term))
            #expect(zip(shown, scored[c]).allSatisfy { Self.close($0["score"] as? Double, $1.score) })
        }
    }

    @Test func stabilityJaccardByHandIsClusterStabilitys() throws {
        let result = try ExplainTests.json("stability")
        let resamples = EightPointResamples().resamples
        let stability = clusterStability(reference: EightPoints().labels, clusterCount: 3, resamples: resamples)
        // cluster_0 in resample 2: C′ = {A, B}, best match {A, B, G, H}
        #expect(Self.close(result["hand_jaccard"] as? Double, 2.0 / 4.0))
        let alone = clusterStability(reference: EightPoints().labels, clusterCount: 3, resamples: [resamples[1]])
        #expect(Self.close(result["code_jaccard"] as? Double, alone.jaccard[0]))
        let jaccard = try #require(result["jaccard"] as? [Double])
        #expect(jaccard.count == 3)
        #expect(zip(jaccard, stability.jaccard).allSatisfy { Self.close($0, $1) })
        #expect(zip(jaccard, [2.0 / 3, 7.0 / 9, 2.0 / 3]).allSatisfy { Self.close($0, $1) }, "\(jaccard)")
        #expect(Self.close(result["mean_jaccard"] as? Double, stability.meanJaccard))
        #expect(Self.close(result["mean_ari"] as? Double, stability.meanARI))
    }

    @Test func gapValuesAreThoseOfTheGapCode() throws {
        let result = try ExplainTests.json("gap")
        let seed = UInt64(try #require(result["seed"] as? Int)), b = try #require(result["B"] as? Int)
        let x = TwelveValues().x
        let box = GapReferenceBox(x, space: .scaledPCA)
        let sets = (0 ..< b).map { i in
            var rng = SeededGenerator(seed: seed + UInt64(i))
            return box.referenceSet(count: x.count, using: &rng)
        }
        func logW(_ x: Embeddings, _ k: Int) throws -> Double {
            let labels = try kMeans(x, options: KMeansOptions(clusterCount: k, runs: 10, seed: seed), parallelism: .serial).labels
            return log(withinClusterDispersion(x, labels: labels))
        }
        let ks = try #require(result["k"] as? [Int])
        #expect(ks == [1, 2, 3, 4])
        let values = try ks.map { k in GapValue(logW: try logW(x, k), referenceLogW: try sets.map { try logW($0, k) }) }
        let gap = try #require(result["gap"] as? [Double]), se = try #require(result["gap_se"] as? [Double])
        #expect(zip(gap, values).allSatisfy { Self.close($0, $1.gap) }, "\(gap)")
        #expect(zip(se, values).allSatisfy { Self.close($0, $1.standardError) }, "\(se)")
        let best = try #require(gapBest(values))
        #expect(result["best_k"] as? Int == ks[best.tibshirani])
        #expect(result["best_k_first_se_max"] as? Int == ks[best.firstSEmax])
        // three groups: the gap rises to k = 3 and falls after
        #expect(result["best_k"] as? Int == 3)
        #expect(gap[0] < 0 && gap[2] > gap[1] && gap[2] > gap[3])
    }

    @Test func analysisTopicsAnswerToTheirOtherNames() {
        for (name, topic) in [("typical", ExplainTopic.describe), ("doubtful", .describe), ("centroid_documents", .describe),
                              ("c-TF-IDF", .ctfidf), ("terms", .ctfidf), ("distinctive_terms", .ctfidf),
                              ("clusterboot", .stability), ("Jaccard", .stability), ("gap_statistic", .gap), ("clusGap", .gap)] {
            #expect(ExplainTopic.named(name) == topic, "\(name)")
        }
    }
}
