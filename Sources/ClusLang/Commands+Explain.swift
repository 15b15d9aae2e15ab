import ClusCore
#if canImport(Glibc)
import Glibc
#endif

/// `explain TOPIC`: what an index or method measures, how to read it, and a
/// worked example on eight points, computed by the same code as `metrics`.
extension Interpreter {
    static let explainTopics = ["silhouette", "ari", "rand", "nmi", "ami", "homogeneity", "completeness", "v_measure",
                                "fmi", "purity", "ch", "db", "kmeans", "spherical", "hdbscan"]

    func explain(_ arguments: BoundArguments) throws -> CommandResult {
        let topic = arguments.text(at: 0) ?? ""
        let example = TinyExample()
        var blocks: [LegacyBlock] = []
        var values: [JSONMember] = [JSONMember("topic", .string(topic))]
        func say(_ text: String, _ style: TextStyle = .plain) { blocks.append(.text(text, style)) }
        let table = example.table

        switch topic {
        case "silhouette":
            say("Silhouette: how much closer each document is to its own cluster than to the next one.", .heading)
            say("""
            For document i: a(i) = mean distance to the other members of its cluster,
            b(i) = the smallest mean distance to the members of another cluster,
            s(i) = (b - a) / max(a, b), 0 for a cluster of one. The score is the mean of s(i).
            Range -1..1: near 1 well inside its cluster, near 0 on a border, negative
            closer to another cluster. Above 0.5 is reasonable structure, below 0.25 weak.
            """)
            blocks.append(.table(example.pointsTable))
            let i = 0
            let own = example.members(of: example.labels[i]).filter { $0 != i }
            let a = own.map { example.distance(i, $0) }.reduce(0, +) / Double(own.count)
            var others: [(String, Double)] = []
            for cluster in Set(example.labels).sorted() where cluster != example.labels[i] {
                let members = example.members(of: cluster)
                others.append((example.clusterName(cluster), members.map { example.distance(i, $0) }.reduce(0, +) / Double(members.count)))
            }
            let b = others.map(\.1).min() ?? 0
            let samples = try silhouetteSamples(example.x, labels: example.labels, parallelism: .serial)
            let score = try silhouetteScore(example.x, labels: example.labels, parallelism: .serial)
            say("Document \(example.names[i]) (in \(example.clusterName(example.labels[i]))):")
            say("  a = mean distance to " + own.map { example.names[$0] }.joined(separator: ", ") + " = \(Format.fixed(a, 4))")
            for (name, mean) in others { say("  mean distance to \(name) = \(Format.fixed(mean, 4))") }
            say("  b = the smallest of those = \(Format.fixed(b, 4))")
            say("  s = (b - a) / max(a, b) = (\(Format.fixed(b, 4)) - \(Format.fixed(a, 4))) / \(Format.fixed(max(a, b), 4)) = \(Format.fixed((b - a) / max(a, b), 4))")
            say("  (the metrics code gives s(\(example.names[i])) = \(Format.fixed(samples[i], 4)))")
            say("All eight: " + samples.enumerated().map { "\(example.names[$0.offset]) \(Format.fixed($0.element, 3))" }.joined(separator: ", "))
            say("Silhouette = mean = \(Format.fixed(score, 4)): \(Reading.silhouette(score))")
            values += [JSONMember("a", .double(a)), JSONMember("b", .double(b)), JSONMember("s", .double(samples[i])), JSONMember("silhouette", .double(score))]

        case "ari", "rand", "fmi":
            let pairs = PairCounts(table)
            blocks.append(.table(example.contingencyTable))
            say("Pairs of the \(table.total) documents (\(pairs.all) pairs): same cluster and same truth \(pairs.both); same cluster only \(pairs.clusterOnly); same truth only \(pairs.truthOnly); neither \(pairs.neither).")
            if topic == "rand" {
                say("Rand index: the share of document pairs the clustering and the truth treat alike.", .heading)
                let ri = randIndex(table)
                say("RI = (both + neither) / pairs = (\(pairs.both) + \(pairs.neither)) / \(pairs.all) = \(Format.fixed(ri, 4)). Range 0..1; not adjusted for chance, so random labels with many clusters still score high: prefer ARI.")
                values.append(JSONMember("rand_index", .double(ri)))
            } else if topic == "fmi" {
                say("Fowlkes-Mallows: the geometric mean of pair precision and pair recall.", .heading)
                let fmi = fowlkesMallows(table)
                say("precision = both / (both + cluster only) = \(pairs.both)/\(pairs.both + pairs.clusterOnly); recall = both / (both + truth only) = \(pairs.both)/\(pairs.both + pairs.truthOnly)")
                say("FMI = sqrt(precision · recall) = \(Format.fixed(fmi, 4)). Range 0..1, 1 = identical groupings.")
                values.append(JSONMember("fowlkes_mallows", .double(fmi)))
            } else {
                say("Adjusted Rand Index (ARI): pair agreement with the truth, corrected for chance.", .heading)
                let index = pairs.both
                let expected = Double(pairs.sameCluster) * Double(pairs.sameTruth) / Double(pairs.all)
                let maximum = Double(pairs.sameCluster + pairs.sameTruth) / 2
                let ari = adjustedRandIndex(table)
                say("""
                index    = pairs together in both                      = \(index)
                expected = (pairs together in clusters · in truth) / pairs = \(pairs.sameCluster) · \(pairs.sameTruth) / \(pairs.all) = \(Format.fixed(expected, 4))
                maximum  = (pairs together in clusters + in truth) / 2   = \(Format.fixed(maximum, 4))
                ARI      = (index - expected) / (maximum - expected)      = \(Format.fixed(ari, 4))
                """)
                say("Range about -0.5..1: 1 identical, 0 what random labels score, below 0 worse than chance. Not the \"Rand score\": that is the unadjusted index.")
                values += [JSONMember("index", .int(index)), JSONMember("expected", .double(expected)), JSONMember("maximum", .double(maximum)),
                           JSONMember("adjusted_rand_index", .double(ari))]
            }

        case "nmi", "ami", "homogeneity", "completeness", "v_measure":
            blocks.append(.table(example.contingencyTable))
            let n = Double(table.total)
            func entropy(_ counts: [Int]) -> Double { counts.filter { $0 > 0 }.reduce(0) { $0 - Double($1) / n * log(Double($1) / n) } }
            let hTruth = entropy(table.rowSums), hClusters = entropy(table.columnSums)
            let mi = mutualInformation(table)
            say("H(truth) = \(Format.fixed(hTruth, 4)), H(clusters) = \(Format.fixed(hClusters, 4)), mutual information I = \(Format.fixed(mi, 4)) (natural logarithms)")
            switch topic {
            case "nmi":
                say("Normalized Mutual Information: the information the clusters and the truth share, scaled to 0..1.", .heading)
                let nmi = normalizedMutualInformation(table)
                say("NMI = I / mean(H(truth), H(clusters)) = \(Format.fixed(mi, 4)) / \(Format.fixed((hTruth + hClusters) / 2, 4)) = \(Format.fixed(nmi, 4)) (arithmetic mean, scikit-learn's default). Not corrected for chance: more clusters score higher; see ami.")
                values.append(JSONMember("normalized_mutual_info", .double(nmi)))
            case "ami":
                say("Adjusted Mutual Information: NMI corrected for the information random labels would share.", .heading)
                let ami = adjustedMutualInformation(table)
                let meanH = (hTruth + hClusters) / 2
                let expected = ami == 1 ? mi : (mi - ami * meanH) / (1 - ami)
                say("E[I] for random labels with these cluster sizes = \(Format.fixed(expected, 4))")
                say("AMI = (I - E[I]) / (mean(H) - E[I]) = \(Format.fixed(ami, 4)). 0 is chance, 1 identical.")
                values.append(JSONMember("adjusted_mutual_info", .double(ami)))
            case "homogeneity":
                say("Homogeneity: does each cluster hold documents of a single truth value?", .heading)
                let h = homogeneity(table)
                say("homogeneity = 1 - H(truth | clusters) / H(truth) = 1 - \(Format.fixed(hTruth - mi, 4)) / \(Format.fixed(hTruth, 4)) = \(Format.fixed(h, 4)). 1 = pure clusters (many tiny clusters are homogeneous too; read it with completeness).")
                values.append(JSONMember("homogeneity", .double(h)))
            case "completeness":
                say("Completeness: do the documents of each truth value stay in a single cluster?", .heading)
                let c = completeness(table)
                say("completeness = 1 - H(clusters | truth) / H(clusters) = 1 - \(Format.fixed(hClusters - mi, 4)) / \(Format.fixed(hClusters, 4)) = \(Format.fixed(c, 4)). 1 = no truth value split (one big cluster is complete too).")
                values.append(JSONMember("completeness", .double(c)))
            default:
                say("V-measure: the harmonic mean of homogeneity and completeness (equal to NMI with the arithmetic mean).", .heading)
                let h = homogeneity(table), c = completeness(table), v = vMeasure(table)
                say("V = 2 · h · c / (h + c) = 2 · \(Format.fixed(h, 4)) · \(Format.fixed(c, 4)) / \(Format.fixed(h + c, 4)) = \(Format.fixed(v, 4))")
                values.append(JSONMember("v_measure", .double(v)))
            }

        case "purity":
            say("Purity: the share of documents that carry their cluster's most frequent truth value.", .heading)
            blocks.append(.table(example.contingencyTable))
            let majorities = (0 ..< table.columnCount).map { c in (0 ..< table.rowCount).map { table.count(truthIndex: $0, clusterIndex: c) }.max() ?? 0 }
            let p = purity(table)
            say("purity = (" + majorities.map(String.init).joined(separator: " + ") + ") / \(table.total) = \(Format.fixed(p, 4)). Easy to read, but one cluster per document scores 1: read it with the number of clusters, or use ARI/AMI.")
            values.append(JSONMember("purity", .double(p)))

        case "ch":
            say("Calinski-Harabasz: spread between clusters against spread within them.", .heading)
            let ch = try calinskiHarabasz(example.x, labels: example.labels)
            say("CH = [B / (k - 1)] / [W / (n - k)], B = Σ size · |centroid - mean|², W = Σ |x - its centroid|².")
            say("On the eight points (k = 3, n = 8): CH = \(Format.fixed(ch, 4)). Higher is better; no fixed scale, so compare clusterings of the same data.")
            values.append(JSONMember("calinski_harabasz", .double(ch)))

        case "db":
            say("Davies-Bouldin: how much each cluster looks like its most similar neighbour.", .heading)
            let db = try daviesBouldin(example.x, labels: example.labels)
            say("For clusters i, j: R = (s_i + s_j) / d(c_i, c_j), s = mean distance of members to their centroid, d = distance of centroids; DB = mean over i of the largest R.")
            say("On the eight points: DB = \(Format.fixed(db, 4)). Lower is better, 0 best.")
            values.append(JSONMember("davies_bouldin", .double(db)))

        case "kmeans", "spherical":
            say(topic == "kmeans" ? "k-means: k centres that minimise the squared distance of each document to its centre (inertia)." :
                "Spherical k-means: k-means on unit vectors with cosine distance; the consistent choice for CLIP and sentence embeddings.", .heading)
            say("""
            Start: k-means++ picks spread-out centres (each new one drawn with probability
            proportional to the squared distance to the nearest chosen one, best of
            2 + ln k candidates). Then repeat: assign each document to its nearest
            centre, move each centre to the mean of its documents\(topic == "spherical" ? " and rescale it to length 1" : ""), until nothing moves.
            Different starts reach different local optima: n_init= keeps the best of several.
            """)
            let result = try kMeans(example.x, options: KMeansOptions(clusterCount: 3, runs: 1, seed: session.settings.seed), parallelism: .serial)
            say("On the eight points with k = 3: \(result.iterations) iterations, inertia \(Format.fixed(result.inertia, 4)), labels " +
                result.labels.enumerated().map { "\(example.names[$0.offset])→\($0.element)" }.joined(separator: " "))
            values += [JSONMember("iterations", .int(result.iterations)), JSONMember("inertia", .double(result.inertia))]

        case "hdbscan":
            say("HDBSCAN: clusters as dense regions; documents in sparse regions are noise (label -1).", .heading)
            say("""
            It measures density by the distance to the min_samples-th neighbour, builds
            the hierarchy of dense regions, and keeps the clusters that persist longest
            with at least min_cluster_size members. No k to choose; outliers are not
            forced into a cluster. Score it with metrics noise=-1, which leaves the
            noise out and counts it.
            """)

        default:
            throw Diagnostic.unknown("topic", topic, at: arguments.positionals.first?.range ?? arguments.call.nameRange, known: Interpreter.explainTopics)
                .withFallbackHint("topics: " + Interpreter.explainTopics.joined(separator: ", "))
        }
        // the topic's title first, before its tables
        if let title = blocks.firstIndex(where: { if case .text(_, .heading) = $0 { true } else { false } }), title > 0 {
            blocks.insert(blocks.remove(at: title), at: 0)
        }
        return CommandResult(command: "explain", values: values, blocks: blocks)
    }
}

/// Eight points in the plane in three clusters, with a truth that mostly agrees.
private struct TinyExample {
    let names = ["A", "B", "C", "D", "E", "F", "G", "H"]
    let points: [[Float]] = [[1, 1], [1.5, 2], [2, 1.2], [6, 6], [6.5, 7], [7, 6], [1, 6], [1.5, 6.5]]
    let labels = [0, 0, 0, 1, 1, 1, 2, 2]
    let truth = [0, 0, 1, 1, 1, 1, 2, 2]
    var x: Embeddings { Embeddings(rows: points) }
    var table: ContingencyTable { ContingencyTable(truth: truth, predicted: labels) }

    func clusterName(_ c: Int) -> String { "cluster_\(c)" }
    func members(of cluster: Int) -> [Int] { labels.indices.filter { labels[$0] == cluster } }
    func distance(_ i: Int, _ j: Int) -> Double { DistanceMetric.euclidean.distance(points[i][...], points[j][...]) }

    var pointsTable: TextTable {
        TextTable(columns: [.init("point"), .init("x", .right), .init("y", .right), .init("cluster"), .init("truth")],
                  rows: names.indices.map { [names[$0], Format.fixed(Double(points[$0][0]), 1), Format.fixed(Double(points[$0][1]), 1),
                                             clusterName(labels[$0]), "t\(truth[$0])"] })
    }

    var contingencyTable: TextTable {
        let t = table
        var out = TextTable(columns: [.init("truth \\ cluster")] + (0 ..< t.columnCount).map { .init(clusterName(t.clusters[$0]), .right) })
        for r in 0 ..< t.rowCount {
            out.rows.append(["t\(t.truthClasses[r])"] + (0 ..< t.columnCount).map { String(t.count(truthIndex: r, clusterIndex: $0)) })
        }
        return out
    }
}

/// Pair counts behind ARI, the Rand index and Fowlkes-Mallows.
private struct PairCounts {
    let all: Int, both: Int, sameCluster: Int, sameTruth: Int
    var clusterOnly: Int { sameCluster - both }
    var truthOnly: Int { sameTruth - both }
    var neither: Int { all - sameCluster - sameTruth + both }

    init(_ t: ContingencyTable) {
        func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }
        all = pairs(t.total)
        both = t.counts.reduce(0) { $0 + pairs($1) }
        sameCluster = t.columnSums.reduce(0) { $0 + pairs($1) }
        sameTruth = t.rowSums.reduce(0) { $0 + pairs($1) }
    }
}
