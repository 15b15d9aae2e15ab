import ClusCore
import Glibc

// The worked examples of the analyses beyond one clustering's scores:
// describe's typical and doubtful documents, its distinctive terms (c-TF-IDF),
// stability's clusterboot and the gap statistic. Each keeps the numbers the
// code gave and the hand steps computed from them; its json members are its
// stable keys.

private func f4(_ value: Double) -> String { Format.fixed(value, 4) }

/// `explain describe`: each of the eight points' distance to its centroid
/// (`typicalDocuments`) and silhouette (`silhouetteSamples`), each cluster's
/// centroid and typical distance by hand.
struct DescribeSteps: Sendable {
    struct Cluster: Sendable {
        let label: Int
        /// The mean of its members' points, by hand.
        let centroid: [Double]
        /// The member nearest the centroid, by `typicalDocuments`.
        let typical: Int
        /// Its distance to `centroid`, by hand.
        let handDistance: Double
        /// The member with the lowest silhouette, ties to the first.
        let doubtful: Int
    }

    /// Each document's distance to its cluster's centroid, from `typicalDocuments`.
    let distances: [Double]
    let silhouettes: [Double]
    let clusters: [Cluster]

    var jsonMembers: [JSONMember] {
        let example = EightPoints()
        return [JSONMember("clusters", .array(clusters.map { c in
            .object([JSONMember("cluster", .string(example.clusterName(c.label))),
                     JSONMember("centroid", .array(c.centroid.map { .double($0) })),
                     JSONMember("typical", .string(example.names[c.typical])), JSONMember("distance", .double(distances[c.typical])),
                     JSONMember("doubtful", .string(example.names[c.doubtful])),
                     JSONMember("silhouette", .double(silhouettes[c.doubtful]))])
        })),
                JSONMember("distances", .array(distances.map { .double($0) })),
                JSONMember("silhouettes", .array(silhouettes.map { .double($0) }))]
    }

    var blocks: [Block] {
        let example = EightPoints()
        var table = Table(columns: [Table.Column("point"), .number("x"), .number("y"), Table.Column("cluster"),
                                    .number("to centroid"), .number("silhouette"), .decoration()], audience: .people)
        for i in example.names.indices {
            let cluster = clusters.first { $0.label == example.labels[i] }
            let tags = [cluster?.typical == i ? "typical" : nil, cluster?.doubtful == i ? "doubtful" : nil].compactMap { $0 }
            table.append([.text(example.names[i]), .fixed(Double(example.points[i][0]), digits: 1),
                          .fixed(Double(example.points[i][1]), digits: 1), .text(example.clusterName(example.labels[i])),
                          .fixed(distances[i], digits: 4), .fixed(silhouettes[i], digits: 4),
                          .tag("← " + tags.joined(separator: ", "), !tags.isEmpty)])
        }
        let lines = clusters.map { c in
            let members = example.members(of: c.label), t = c.typical
            let point = example.points[t].map(Double.init)
            let terms = zip(point, c.centroid).map { "(\(Format.fixed($0.0, 1)) - \(f4($0.1)))²" }.joined(separator: " + ")
            return "\(example.clusterName(c.label)): centroid = mean of \(example.group(members)) = ("
                + c.centroid.map(f4).joined(separator: ", ") + "); typical \(example.names[t]) at √(\(terms)) = \(f4(c.handDistance)) "
                + "(typicalDocuments: \(f4(distances[t]))); doubtful \(example.names[c.doubtful]), s = \(f4(silhouettes[c.doubtful]))"
        }
        return [.text(DescribeSteps.definition), .text("The eight points, each with its distance to its cluster's centroid and its silhouette; describe n=1 "
                                                      + "would show the documents marked:"), .table(table)]
            + lines.map { .text($0) }
            + [.text(overlap(example)),
               .text("On real data read the typical documents to name a cluster and the doubtful ones to see where it frays: "
                     + "many with s < 0 mean it overlaps a neighbour.")]
    }

    /// What the small clusters show: documents both typical and doubtful, ties on the distance, whether any s is low.
    private func overlap(_ example: EightPoints) -> String {
        let both = clusters.filter { $0.typical == $0.doubtful }.map { example.names[$0.typical] }
        let ties = clusters.compactMap { c -> String? in
            let tied = example.members(of: c.label).filter { $0 != c.typical && distances[$0] == distances[c.typical] }
            return tied.isEmpty ? nil : "\(example.names[c.typical]) with " + tied.map { example.names[$0] }.joined(separator: ", ")
        }
        var parts: [String] = []
        if !both.isEmpty {
            parts.append(both.joined(separator: " and ") + (both.count == 1 ? " is" : " are") + " both typical and doubtful: "
                + "in small clusters the two lists overlap")
        }
        if !ties.isEmpty { parts.append("on the distance " + ties.joined(separator: ", ") + " tie, and the first document goes first") }
        let lowest = silhouettes.min() ?? 0
        parts.append("the lowest silhouette is \(f4(lowest))" + (lowest > 0.5 ? ", so none is really doubtful here" : ""))
        return parts.joined(separator: "; ") + "."
    }


    private static let definition = """
        describe shows each cluster's size and n= (5) documents of two kinds:
          typical   the nearest to the cluster's centroid (the mean of its
                    vectors; Euclidean distance, 1 - cos with metric=cosine):
                    what the cluster is about;
          doubtful  the lowest silhouette s(i) (explain silhouette): on a
                    border (s near 0) or closer to another cluster (s < 0).
        The silhouettes are exact up to 20,000 documents; beyond (euclidean or
        manhattan) they come from a stratified sample of about 10,000, and the
        doubtful documents are the sample's. With text=FIELD each cluster also
        gets its distinctive terms (explain ctfidf).
        """
}

/// `explain ctfidf`: seven short texts in three clusters, one term's
/// class-based TF-IDF by hand, and `distinctiveTerms`' scores.
struct TermSteps: Sendable {
    /// The term worked by hand, in `cluster`.
    let term: String
    let cluster: Int
    /// The words counted in each cluster (stop words and one-letter words left out).
    let words: [[String]]
    /// Every term of each cluster with its score, from `distinctiveTerms`, best first.
    let scored: [[DistinctiveTerm]]

    /// tf(t, c): the term's count in the cluster.
    var count: Int { words[cluster].count { $0 == term } }
    /// f(t): its count over all clusters.
    var total: Int { words.reduce(0) { sum, cluster in sum + cluster.count { $0 == term } } }
    /// A: the mean number of words per cluster with any.
    var meanWords: Double {
        let counted = words.filter { !$0.isEmpty }
        return Double(counted.reduce(0) { $0 + $1.count }) / Double(counted.count)
    }
    var handScore: Double { Double(count) / Double(words[cluster].count) * log(1 + meanWords / Double(total)) }
    var codeScore: Double? { scored[cluster].first { $0.term == term }?.score }

    var jsonMembers: [JSONMember] {
        [JSONMember("term", .string(term)), JSONMember("cluster", .string("cluster_\(cluster)")), JSONMember("tf", .int(count)),
         JSONMember("words", .int(words[cluster].count)), JSONMember("mean_words", .double(meanWords)),
         JSONMember("total", .int(total)), JSONMember("hand_score", .double(handScore)), JSONMember("score", .number(codeScore)),
         JSONMember("terms", .object(scored.enumerated().map { c, terms in
             JSONMember("cluster_\(c)", .array(terms.map { .object([JSONMember("term", .string($0.term)),
                                                                   JSONMember("score", .double($0.score))]) }))
         }))]
    }

    var blocks: [Block] {
        let example = SevenTexts()
        var texts = Table(columns: [Table.Column("cluster"), Table.Column("text"), Table.Column("words counted")], audience: .people)
        for (i, text) in example.texts.enumerated() {
            let first = example.labels.firstIndex(of: example.labels[i]) == i
            texts.append([first ? .text("cluster_\(example.labels[i])") : .continued(.text("cluster_\(example.labels[i])")),
                          .text(text), .text(termTokens(text).joined(separator: " "))])
        }
        let sizes = words.map { String($0.count) }
        let n = count, w = words[cluster].count, a = meanWords, f = total
        let elsewhere = words.indices.filter { $0 != cluster && words[$0].contains(term) }
        let steps = [
            "words(c) = " + words.indices.map { "\(sizes[$0]) in cluster_\($0)" }.joined(separator: ", ")
                + "; A = (" + sizes.joined(separator: " + ") + ") / \(words.count) = \(f4(a))",
            "'\(term)' in cluster_\(cluster): tf = \(n) of its \(w) words; f('\(term)') = \(f) over all clusters"
                + (elsewhere.isEmpty ? " (in no other cluster)" : ""),
            "score = \(n) / \(w) × log(1 + \(f4(a)) / \(f)) = \(f4(Double(n) / Double(w))) × \(f4(log(1 + a / Double(f)))) = "
                + "\(f4(handScore)) (distinctiveTerms: \(codeScore.map(f4) ?? "none"))",
        ]
        let shared = Set(words.joined()).filter { t in words.count { $0.contains(t) } > 1 }.sorted()
        var top = Table(columns: [Table.Column("cluster"), Table.Column("top terms (score)")], audience: .people)
        for (c, terms) in scored.enumerated() {
            top.append([.text("cluster_\(c)"), .text(terms.prefix(4).map { "\($0.term) \(f4($0.score))" }.joined(separator: ", "))])
        }
        return [.text(TermSteps.definition), .table(texts)] + steps.map { .text($0) }
            + [.text("Every cluster's terms, from the code describe text= calls:"), .table(top),
               .text("A term of one cluster scores highest; one the clusters share (" + shared.joined(separator: ", ")
                     + ") scores less for as many uses. Read the top terms as what sets a cluster apart, not as its summary: "
                     + "common words of the domain stay.")]
    }

    private static let definition = """
        c-TF-IDF (BERTopic): all the texts of a cluster read as one document;
          score(t, c) = tf(t, c) / words(c) × log(1 + A / f(t))
        tf(t, c) the count of term t in cluster c, words(c) all words counted
        in c, A the mean words per cluster, f(t) the count of t over all
        clusters: frequent in c and rare elsewhere scores high. Words are runs
        of letters and digits, lower-cased, of two characters or more, English
        stop words left out. describe text=FIELD [terms=10] shows each
        cluster's best terms; ties go to the alphabetically first.
        """
}

/// `explain stability`: three hand-made resamples of the eight points, one
/// Jaccard match by hand, and `clusterStability` on them.
struct StabilitySteps: Sendable {
    /// The eight points' clusters.
    let reference: [Int]
    let resamples: [ResampleClustering]
    /// The cluster and the resample the hand steps match.
    let cluster: Int
    let resample: Int
    /// `clusterStability` on that resample alone: the cluster's best Jaccard in it.
    let codeJaccard: Double
    let stability: ClusterStability

    /// A resample's clusters, by their documents, in label order.
    func groups(_ r: ResampleClustering) -> [[Int]] {
        Set(r.labels).sorted().filter { $0 >= 0 }.map { label in r.labels.indices.filter { r.labels[$0] == label }.map { r.documents[$0] } }
    }

    /// The cluster's documents drawn in the resample (C′), and each resample cluster's overlap with them.
    var matches: (drawn: [Int], each: [(group: [Int], intersection: Int, union: Int)]) {
        let r = resamples[resample]
        let drawn = r.documents.filter { reference[$0] == cluster }
        return (drawn, groups(r).map { group in
            (group, Set(drawn).intersection(group).count, Set(drawn).union(group).count)
        })
    }

    var handJaccard: Double { matches.each.map { Double($0.intersection) / Double($0.union) }.max() ?? 0 }

    var jsonMembers: [JSONMember] {
        [JSONMember("resamples", .int(resamples.count)), JSONMember("hand_jaccard", .double(handJaccard)),
         JSONMember("code_jaccard", .double(codeJaccard)),
         JSONMember("jaccard", .array(stability.jaccard.map { .number($0) })),
         JSONMember("mean_jaccard", .double(stability.meanJaccard)), JSONMember("mean_ari", .double(stability.meanARI))]
    }

    var blocks: [Block] {
        let example = EightPoints()
        var drawn = Table(columns: [Table.Column("resample"), Table.Column("not drawn"), Table.Column("its clusters (k = 3)")],
                          audience: .people)
        for (i, r) in resamples.enumerated() {
            let missing = example.names.indices.filter { !r.documents.contains($0) }
            drawn.append([.text(String(i + 1)), .text(example.group(missing)),
                          .text(groups(r).map(example.group).joined(separator: " | "))])
        }
        let (mine, each) = matches
        var hand = Table(columns: [Table.Column("D"), .number("|C′ ∩ D|"), .number("|C′ ∪ D|"), .number("Jaccard")], audience: .people)
        for m in each {
            hand.append([.text(example.group(m.group)), .count(m.intersection), .count(m.union),
                         .fixed(Double(m.intersection) / Double(m.union), digits: 4)])
        }
        var result = Table(columns: [Table.Column("cluster"), Table.Column("documents"), .number("mean Jaccard"), Table.Column("reading")],
                           audience: .people)
        for (c, j) in stability.jaccard.enumerated() {
            result.append([.text(example.clusterName(c)), .text(example.group(example.members(of: c))), .score(j),
                           .text(j.map(StabilityResult.clusterReading) ?? "never drawn")])
        }
        let name = example.clusterName(cluster)
        return [.text(StabilitySteps.definition),
                .text("The reference: the eight points' clusters (explain silhouette shows them). Three resamples, as k-means "
                      + "with k = 3 might cluster them:"),
                .table(drawn),
                .text("\(name) in resample \(resample + 1): C′ = its documents drawn = \(example.group(mine)); each resample cluster D:"),
                .table(hand),
                .text("best match: Jaccard \(f4(handJaccard)) (clusterStability on resample \(resample + 1) alone: \(f4(codeJaccard)))"),
                .text("clusterStability on the three: each cluster's mean of its best matches"),
                .table(result),
                .text("mean Jaccard \(f4(stability.meanJaccard)): \(StabilityResult.reading(stability.meanJaccard)); mean ARI "
                      + "between the resamples' clusterings, each pair on the documents both drew: \(f4(stability.meanARI)).")]
    }

    private static let definition = """
        clusterboot (Hennig 2007, R's fpc): stability clusters all documents
        once (the reference), then runs= (20) resamples, subsets of fraction=
        (0.8) of the documents or bootstrap=on draws, with the same recipe. In
        each resample a reference cluster C, restricted to the documents drawn
        (C′), is matched to the resample cluster D most like it by the Jaccard
        similarity |C′ ∩ D| / |C′ ∪ D|; the cluster's score is the mean over
        the resamples. Hennig's readings: ≥ 0.75 stable, 0.6–0.75 a pattern
        whose members are doubtful, ≤ 0.5 dissolved (not a real cluster). The
        mean ARI between every two resamples says how reproducible the whole
        partition is.
        """
}

/// `explain gap`: the gap statistic for k = 1...4 on twelve values, each
/// number from `withinClusterDispersion`, `GapReferenceBox`, `GapValue` and
/// `gapBest`; one k's gap and SE by hand.
struct GapSteps: Sendable {
    let seed: UInt64
    /// k-means' starts on the points and on each reference set.
    let runs: Int
    let space: GapReferenceSpace
    /// The reference box, in principal-component coordinates for `.scaledPCA`.
    let low: [Double]
    let high: [Double]
    let ks: [Int]
    /// log W_k of the points, for each k.
    let logW: [Double]
    /// log W*_kb of each reference set, for each k.
    let referenceLogW: [[Double]]
    let values: [GapValue]
    /// `gapBest`'s choices, as indices into `ks`.
    let tibshirani: Int
    let firstSEmax: Int

    var referenceCount: Int { referenceLogW.first?.count ?? 0 }

    /// Mean and standard deviation (B − 1) of the reference sets' log W* at index i, by hand.
    func spread(_ i: Int) -> (mean: Double, sd: Double) {
        let v = referenceLogW[i], b = Double(v.count)
        let mean = v.reduce(0, +) / b
        return (mean, (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (b - 1)).squareRoot())
    }

    var jsonMembers: [JSONMember] {
        [JSONMember("B", .int(referenceCount)), JSONMember("seed", .int(Int(seed))), JSONMember("reference", .string(space.rawValue)),
         JSONMember("k", .array(ks.map { .int($0) })), JSONMember("log_w", .array(logW.map { .double($0) })),
         JSONMember("gap", .array(values.map { .double($0.gap) })),
         JSONMember("gap_se", .array(values.map { .double($0.standardError) })),
         JSONMember("best_k", .int(ks[tibshirani])), JSONMember("best_k_first_se_max", .int(ks[firstSEmax]))]
    }

    var blocks: [Block] {
        let b = referenceCount
        var table = Table(columns: [.number("k"), .number("W_k"), .number("log W_k"), .number("mean log W*_k"), .number("gap"),
                                    .number("SE"), .decoration()], audience: .people)
        for i in ks.indices {
            let tags = [i == tibshirani ? "best (Tibshirani)" : nil, i == firstSEmax ? "firstSEmax" : nil].compactMap { $0 }
            table.append([.count(ks[i]), .fixed(exp(logW[i]), digits: 4), .fixed(logW[i], digits: 4), .fixed(spread(i).mean, digits: 4),
                          .fixed(values[i].gap, digits: 4), .fixed(values[i].standardError, digits: 4),
                          .tag("← " + tags.joined(separator: ", "), !tags.isEmpty)])
        }
        let data = TwelveValues().values.map { Format.fixed(Double($0), 1) }.joined(separator: ", ")
        let axes = low.indices.map { "PC\($0 + 1) \(f4(low[$0]))..\(f4(high[$0]))" }.joined(separator: ", ")
        let i = tibshirani, k = ks[i], s = spread(i)
        var lines = [
            "k = \(k): log W*_\(k)b = " + referenceLogW[i].map(f4).joined(separator: ", ") + "; mean \(f4(s.mean)); "
                + "gap = \(f4(s.mean)) - \(f4(logW[i])) = \(f4(s.mean - logW[i])); sd = \(f4(s.sd)), "
                + "SE = \(f4(s.sd)) · √(1 + 1/\(b)) = \(f4(s.sd * (1 + 1 / Double(b)).squareRoot())) "
                + "(GapValue: gap \(f4(values[i].gap)), SE \(f4(values[i].standardError)))",
        ]
        lines += (0 ... min(i, ks.count - 2)).map { j in
            let bar = values[j + 1].gap - values[j + 1].standardError
            return "gap(\(ks[j])) = \(f4(values[j].gap)) \(values[j].gap >= bar ? "≥" : "<") gap(\(ks[j + 1])) - SE(\(ks[j + 1])) = \(f4(bar))"
        }
        lines.append("Tibshirani's rule: best k = \(k); firstSEmax (within one SE of the first local maximum): k = \(ks[firstSEmax]).")
        return [.text(GapSteps.definition),
                .text("Twelve values in three groups, two near each other: \(data); B = \(b) reference sets of 12 values uniform in the box of their "
                      + "principal-component coordinates (\(axes)), rotated back, set b drawn with seed \(seed) + b; k-means "
                      + "(n_init=\(runs)) on the values and on each set:"),
                .table(table)]
            + lines.map { .text($0) }
    }

    private static let definition = """
        Gap statistic (Tibshirani, Walther & Hastie 2001; R's cluster::clusGap):
        W_k is the within-cluster sum of squares of k clusters (the inertia).
        B reference sets, as many documents each, are drawn uniform in the
        data's box, after rotating to its principal axes (reference=pca,
        clusGap's scaledPCA, the default) or in its own coordinates
        (reference=original), and clustered the same way:
          gap(k) = mean_b log W*_kb - log W_k,   SE(k) = sd_b(log W*_kb) · √(1 + 1/B)
        Best k (Tibshirani): the first k with gap(k) ≥ gap(k+1) - SE(k+1).
        A gap near 0 or below: no structure beyond a uniform box. The box is
        a poor null for high-dimensional embeddings, whose gap keeps rising:
        look at where it stops rising. sweep k=2..10 gap=on [B=50]
        [reference=pca|original] adds the columns gap and gap_se and best.gap.
        """
}
