import ClusCore

/// `explain TOPIC`: the topic and the numbers of its worked example. The
/// definitions, the example's tables and each step's arithmetic are written
/// out when it is shown.
struct ExplainResult: CommandOutput {
    let command = "explain"
    let topic: ExplainTopic
    let worked: Worked

    /// The worked example's numbers, by the kind of topic.
    enum Worked: Sendable {
        case silhouette(SilhouetteSteps)
        /// ARI, the Rand index or Fowlkes-Mallows, with the topic's value.
        case pairs(PairCounts, value: Double)
        case information(InformationSteps)
        /// The count of each cluster's most frequent truth value.
        case purity(majorities: [Int], value: Double)
        /// Calinski-Harabasz or Davies-Bouldin.
        case centroid(Double)
        case sample(SampleSteps)
        case inertia(InertiaSteps)
        case elbow(ElbowSteps)
        /// k-means or spherical k-means with k = 3.
        case kMeans(iterations: Int, inertia: Double, labels: [Int])
        case miniBatch(MiniBatchSteps)
        case agglomerative(AgglomerativeSteps)
        case hdbscan(HDBSCANSteps)
        case noise(NoiseSteps)
        case describe(DescribeSteps)
        case terms(TermSteps)
        case stability(StabilitySteps)
        case gap(GapSteps)
    }

    /// Document A's silhouette by hand, and the metrics code's.
    struct SilhouetteSteps: Sendable {
        let document: Int
        /// The other members of its cluster.
        let mates: [Int]
        /// Mean distance to `mates`.
        let a: Double
        /// Mean distance to each other cluster.
        let others: [(cluster: Int, meanDistance: Double)]
        /// The silhouette of every document, from the metrics code.
        let samples: [Double]
        let score: Double

        var b: Double { others.map(\.meanDistance).min() ?? 0 }
    }

    /// The entropies and mutual information behind NMI, AMI, homogeneity,
    /// completeness and the V-measure (natural logarithms).
    struct InformationSteps: Sendable {
        let truthEntropy: Double
        let clusterEntropy: Double
        let mutualInformation: Double
        /// E[I] of random labels with the same sizes.
        let expectedMutualInformation: Double
        let homogeneity: Double
        let completeness: Double
        /// The topic's index.
        let value: Double
    }

    var jsonMembers: [JSONMember] {
        let key = topic.index?.key ?? ""
        var members = [JSONMember("topic", .string(topic.rawValue))]
        switch worked {
        case .silhouette(let s):
            members += [JSONMember("a", .double(s.a)), JSONMember("b", .double(s.b)),
                        JSONMember("s", .double(s.samples[s.document])), JSONMember(key, .double(s.score))]
        case .pairs(let pairs, let value):
            if topic == .ari {
                members += [JSONMember("index", .int(pairs.both)), JSONMember("expected", .double(pairs.expectedBoth)),
                            JSONMember("maximum", .double(pairs.maximumBoth))]
            }
            members.append(JSONMember(key, .double(value)))
        case .information(let i): members.append(JSONMember(key, .double(i.value)))
        case .purity(_, let value), .centroid(let value): members.append(JSONMember(key, .double(value)))
        case .kMeans(let iterations, let inertia, _):
            members += [JSONMember("iterations", .int(iterations)), JSONMember("inertia", .double(inertia))]
        case .sample(let s): members += s.jsonMembers
        case .inertia(let s): members += s.jsonMembers
        case .elbow(let s): members += s.jsonMembers
        case .miniBatch(let s): members += s.jsonMembers
        case .agglomerative(let s): members += s.jsonMembers
        case .hdbscan(let s): members += s.jsonMembers
        case .noise(let s): members += s.jsonMembers
        case .describe(let s): members += s.jsonMembers
        case .terms(let s): members += s.jsonMembers
        case .stability(let s): members += s.jsonMembers
        case .gap(let s): members += s.jsonMembers
        }
        return members
    }

    var blocks: [Block] {
        let example = EightPoints()
        var blocks: [Block] = [.text(topic.title, .heading)]
        switch worked {
        case .silhouette(let s): blocks += silhouetteBlocks(s, example)
        case .pairs(let pairs, let value):
            blocks += [.table(example.contingencyTable), .text(
                "Pairs of the \(example.labels.count) documents (\(pairs.all) pairs): same cluster and same truth \(pairs.both); "
                    + "same cluster only \(pairs.clusterOnly); same truth only \(pairs.truthOnly); neither \(pairs.neither).")]
            blocks += pairBlocks(pairs, value)
        case .information(let i):
            blocks += [.table(example.contingencyTable), .text(
                "H(truth) = \(f4(i.truthEntropy)), H(clusters) = \(f4(i.clusterEntropy)), "
                    + "mutual information I = \(f4(i.mutualInformation)) (natural logarithms)")]
            blocks += informationBlocks(i)
        case .purity(let majorities, let value):
            blocks += [.table(example.contingencyTable), .text(
                "purity = (" + majorities.map(String.init).joined(separator: " + ") + ") / \(example.labels.count) = \(f4(value)). "
                    + "Easy to read, but one cluster per document scores 1: read it with the number of clusters, or use ARI/AMI.")]
        case .centroid(let value): blocks += centroidBlocks(value)
        case .kMeans(let iterations, let inertia, let labels):
            blocks += [.text(kMeansSteps), .text(
                "On the eight points with k = 3: \(iterations) iterations, inertia \(f4(inertia)), labels "
                    + labels.enumerated().map { "\(example.names[$0.offset])→\($0.element)" }.joined(separator: " "))]
        case .sample(let s): blocks += s.blocks
        case .inertia(let s): blocks += s.blocks
        case .elbow(let s): blocks += s.blocks
        case .miniBatch(let s): blocks += s.blocks
        case .agglomerative(let s): blocks += s.blocks
        case .hdbscan(let s): blocks += s.blocks
        case .noise(let s): blocks += s.blocks
        case .describe(let s): blocks += s.blocks
        case .terms(let s): blocks += s.blocks
        case .stability(let s): blocks += s.blocks
        case .gap(let s): blocks += s.blocks
        }
        return blocks
    }
}

extension ExplainResult {
    private func f4(_ value: Double) -> String { Format.fixed(value, 4) }

    private func silhouetteBlocks(_ s: SilhouetteSteps, _ example: EightPoints) -> [Block] {
        let i = s.document, a = s.a, b = s.b
        let steps = ["Document \(example.names[i]) (in \(example.clusterName(example.labels[i]))):",
                     "  a = mean distance to " + s.mates.map { example.names[$0] }.joined(separator: ", ") + " = \(f4(a))"]
            + s.others.map { "  mean distance to \(example.clusterName($0.cluster)) = \(f4($0.meanDistance))" }
            + ["  b = the smallest of those = \(f4(b))",
               "  s = (b - a) / max(a, b) = (\(f4(b)) - \(f4(a))) / \(f4(max(a, b))) = \(f4((b - a) / max(a, b)))",
               "  (the metrics code gives s(\(example.names[i])) = \(f4(s.samples[i])))",
               "All eight: " + s.samples.enumerated().map { "\(example.names[$0.offset]) \(Format.fixed($0.element, 3))" }
                   .joined(separator: ", "),
               "Silhouette = mean = \(f4(s.score)): \(Reading.silhouette(s.score))"]
        return [.text(ExplainResult.silhouetteDefinition), .table(example.pointsTable)] + steps.map { .text($0) }
    }

    private static let silhouetteDefinition = """
        For document i: a(i) = mean distance to the other members of its cluster,
        b(i) = the smallest mean distance to the members of another cluster,
        s(i) = (b - a) / max(a, b), 0 for a cluster of one. The score is the mean of s(i).
        Range -1..1: near 1 well inside its cluster, near 0 on a border, negative
        closer to another cluster. Above 0.5 is reasonable structure, below 0.25 weak.
        """

    private func pairBlocks(_ pairs: PairCounts, _ value: Double) -> [Block] {
        switch topic {
        case .rand:
            return [.text("RI = (both + neither) / pairs = (\(pairs.both) + \(pairs.neither)) / \(pairs.all) = \(f4(value)). "
                + "Range 0..1; not adjusted for chance, so random labels with many clusters still score high: prefer ARI.")]
        case .fmi:
            return [.text("precision = both / (both + cluster only) = \(pairs.both)/\(pairs.sameCluster); "
                          + "recall = both / (both + truth only) = \(pairs.both)/\(pairs.sameTruth)"),
                    .text("FMI = sqrt(precision · recall) = \(f4(value)). Range 0..1, 1 = identical groupings.")]
        default:
            return [.text("""
                index    = pairs together in both                      = \(pairs.both)
                expected = (pairs together in clusters · in truth) / pairs = \(pairs.sameCluster) · \(pairs.sameTruth) / \(pairs.all) = \(f4(pairs.expectedBoth))
                maximum  = (pairs together in clusters + in truth) / 2   = \(f4(pairs.maximumBoth))
                ARI      = (index - expected) / (maximum - expected)      = \(f4(value))
                """),
                    .text("Range about -0.5..1: 1 identical, 0 what random labels score, below 0 worse than chance. "
                          + "Not the \"Rand score\": that is the unadjusted index.")]
        }
    }

    private func informationBlocks(_ i: InformationSteps) -> [Block] {
        let hTruth = i.truthEntropy, hClusters = i.clusterEntropy, mi = i.mutualInformation
        switch topic {
        case .nmi:
            return [.text("NMI = I / mean(H(truth), H(clusters)) = \(f4(mi)) / \(f4((hTruth + hClusters) / 2)) = \(f4(i.value)) "
                + "(arithmetic mean, scikit-learn's default). Not corrected for chance: more clusters score higher; see ami.")]
        case .ami:
            return [.text("E[I] for random labels with these cluster sizes = \(f4(i.expectedMutualInformation))"),
                    .text("AMI = (I - E[I]) / (mean(H) - E[I]) = \(f4(i.value)). 0 is chance, 1 identical.")]
        case .homogeneity:
            return [.text("homogeneity = 1 - H(truth | clusters) / H(truth) = 1 - \(f4(hTruth - mi)) / \(f4(hTruth)) = \(f4(i.value)). "
                + "1 = pure clusters (many tiny clusters are homogeneous too; read it with completeness).")]
        case .completeness:
            return [.text("completeness = 1 - H(clusters | truth) / H(clusters) = 1 - \(f4(hClusters - mi)) / \(f4(hClusters)) = \(f4(i.value)). "
                + "1 = no truth value split (one big cluster is complete too).")]
        default:
            let h = i.homogeneity, c = i.completeness
            return [.text("V = 2 · h · c / (h + c) = 2 · \(f4(h)) · \(f4(c)) / \(f4(h + c)) = \(f4(i.value))")]
        }
    }

    private func centroidBlocks(_ value: Double) -> [Block] {
        if topic == .ch {
            return [.text("CH = [B / (k - 1)] / [W / (n - k)], B = Σ size · |centroid - mean|², W = Σ |x - its centroid|²."),
                    .text("On the eight points (k = 3, n = 8): CH = \(f4(value)). Higher is better; no fixed scale, so compare clusterings of the same data.")]
        }
        return [.text("For clusters i, j: R = (s_i + s_j) / d(c_i, c_j), s = mean distance of members to their centroid, "
                      + "d = distance of centroids; DB = mean over i of the largest R."),
                .text("On the eight points: DB = \(f4(value)). Lower is better, 0 best.")]
    }

    private var kMeansSteps: String {
        """
        Start: k-means++ picks spread-out centres (each new one drawn with probability
        proportional to the squared distance to the nearest chosen one, best of
        2 + ln k candidates). Then repeat: assign each document to its nearest
        centre, move each centre to the mean of its documents\(topic == .spherical ? " and rescale it to length 1" : ""), until nothing moves.
        Different starts reach different local optima: n_init= keeps the best of several.
        """
    }
}

extension PairCounts {
    /// Pairs together in both that random labels with these cluster and truth sizes would give (ARI's chance level).
    var expectedBoth: Double { Double(sameCluster) * Double(sameTruth) / Double(all) }
    /// The most pairs together in both these sizes allow, as ARI takes it: the mean of the two.
    var maximumBoth: Double { Double(sameCluster + sameTruth) / 2 }
}
