import ClusCore

// The worked examples of the topics beyond the indices: the sampled
// silhouette's interval, inertia and its elbow, mini-batch k-means, the
// linkages, HDBSCAN and its noise. Each keeps the numbers the clustering and
// metrics code gave and the hand steps computed from them; its json members
// are its stable keys.

private func f4(_ value: Double) -> String { Format.fixed(value, 4) }

/// `explain sample`: a stratified sample of the forty grid points, each
/// cluster's share of the estimate by hand, and the code's estimate.
struct SampleSteps: Sendable {
    struct Stratum: Sendable {
        /// Documents in the cluster.
        let size: Int
        /// The silhouettes of its sampled documents (exact, against all documents).
        let values: [Double]

        var mean: Double { values.reduce(0, +) / Double(values.count) }
        /// The sample variance of the values (n − 1 in the denominator).
        var variance: Double {
            values.count > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1) : 0
        }
        /// Its term of the estimate's variance; a cluster sampled whole adds none.
        func varianceTerm(population: Int) -> Double {
            let w = Double(size) / Double(population), n = Double(values.count)
            return values.count > 1 && values.count < size ? w * w * (1 - n / Double(size)) * variance / n : 0
        }
    }

    let sampleSize: Int
    let seed: UInt64
    let strata: [Stratum]
    /// The sampled documents, stratum after stratum.
    let sampled: [Int]
    /// `StratifiedSample.estimate` of the values.
    let estimate: SilhouetteEstimate
    /// `sampledSilhouette` with the same seed: what `metrics sample=N` computes.
    let metricsEstimate: SilhouetteEstimate
    /// The silhouette of all documents.
    let exact: Double

    var population: Int { estimate.population }

    var jsonMembers: [JSONMember] {
        [JSONMember("sample", .int(sampleSize)), JSONMember("seed", .int(Int(seed))), JSONMember("documents", .int(population)),
         JSONMember("sampled", .array(sampled.map { .int($0) })),
         JSONMember("silhouette", .double(metricsEstimate.value)), JSONMember("silhouette_ci_low", .double(metricsEstimate.low)),
         JSONMember("silhouette_ci_high", .double(metricsEstimate.high)), JSONMember("exact_silhouette", .double(exact))]
    }

    var blocks: [Block] {
        var table = Table(columns: [Table.Column("cluster h"), .number("N_h"), .number("n_h"), .number("m_h"), .number("v_h"),
                                    .number("W_h"), .number("W_h·m_h"), .number("W_h²·(1 - n_h/N_h)·v_h/n_h")],
                          audience: .people)
        for (c, s) in strata.enumerated() {
            let w = Double(s.size) / Double(population)
            table.append([.text("cluster_\(c)"), .count(s.size), .count(s.values.count), .fixed(s.mean, digits: 4),
                          .fixed(s.variance, digits: 6), .fixed(w, digits: 4), .fixed(w * s.mean, digits: 4),
                          .fixed(s.varianceTerm(population: population), digits: 8)])
        }
        let variance = strata.reduce(0) { $0 + $1.varianceTerm(population: population) }
        let e = estimate, m = metricsEstimate
        let inside = e.low <= exact && exact <= e.high
        return [
            .text(SampleSteps.definition),
            .text("The \(population) points of three grids (20, 12 and 8 documents, step 0.5, where the eight points' clusters lie), "
                  + "sample=\(sampleSize) seed=\(seed):"),
            .table(table),
            .text("estimate = Σ W_h·m_h = " + strata.map { f4(Double($0.size) / Double(population) * $0.mean) }.joined(separator: " + ")
                  + " = \(f4(e.value))"),
            .text("variance = Σ terms = \(Format.fixed(variance, 8)); 95% CI = \(f4(e.value)) ± 1.96 · √\(Format.fixed(variance, 8)) "
                  + "= \(f4(e.value)) ± \(f4(e.halfWidth)) (\(f4(e.low))..\(f4(e.high)))"),
            .text("metrics sample=\(sampleSize) seed=\(seed) on these points shows \(Cell.estimate(m.value, halfWidth: m.halfWidth).forPeople) "
                  + "(95% CI, \(m.sampled) of \(m.population) sampled). The exact silhouette of all \(population) is \(f4(exact)), "
                  + (inside ? "inside" : "outside") + " the interval; 95% intervals miss it one time in twenty."),
        ]
    }

    private static let definition = """
        The exact silhouette needs every document's distance to every other: n²
        distances. sample=N picks about N documents stratified by cluster: each
        cluster keeps min(its size, 5), the rest of N is shared in proportion to
        the clusters' sizes, drawn at random with seed=. Each sampled document's
        s(i) is exact, against all n documents. For cluster h of N_h documents,
        n_h sampled, whose s(i) have mean m_h and variance v_h:
          estimate = Σ W_h · m_h,  W_h = N_h / all documents
          variance = Σ W_h² · (1 - n_h/N_h) · v_h / n_h   (a cluster sampled whole adds none)
          95% CI   = estimate ± 1.96 · √variance
        metrics shows the estimate ± half the interval; a larger sample narrows it.
        """
}

/// `explain inertia`: k-means' clusters on the eight points, each one's sum
/// of squares by hand, and the inertia the k-means code reports.
struct InertiaSteps: Sendable {
    struct Cluster: Sendable {
        let label: Int
        let members: [Int]
        /// The mean of its members.
        let centre: [Double]
        /// Σ |x - centre|² over its members.
        let sumOfSquares: Double
    }

    let clusters: [Cluster]
    /// From the k-means code.
    let inertia: Double

    var jsonMembers: [JSONMember] {
        [JSONMember("k", .int(clusters.count)), JSONMember("cluster_sums", .array(clusters.map { .double($0.sumOfSquares) })),
         JSONMember("inertia", .double(inertia))]
    }

    var blocks: [Block] {
        let example = EightPoints()
        var table = Table(columns: [Table.Column("cluster"), Table.Column("documents"), .number("centre x"), .number("centre y"),
                                    .number("sum of squares")], audience: .people)
        for c in clusters {
            table.append([.text(example.clusterName(c.label)), .text(example.group(c.members)), .fixed(c.centre[0], digits: 4),
                          .fixed(c.centre[1], digits: 4), .fixed(c.sumOfSquares, digits: 4)])
        }
        let sum = clusters.reduce(0) { $0 + $1.sumOfSquares }
        return [.text(InertiaSteps.definition), .text("k-means with k = \(clusters.count) on the eight points:"), .table(table),
                .text("inertia = " + clusters.map { f4($0.sumOfSquares) }.joined(separator: " + ") + " = \(f4(sum)) "
                      + "(the k-means code gives \(f4(inertia)))")]
    }

    private static let definition = """
        inertia = Σ |x - the centre of its cluster|² over the documents; lower is
        tighter. It always falls as k grows (one cluster per document gives 0), so
        it compares clusterings of the same data and k, and cannot choose k alone:
        see explain elbow. Spherical k-means (metric=cosine) reports the sum of
        cosine distances 1 - cos(x, centre) instead.
        """
}

/// `explain elbow`: k-means' inertia for each k on the eight points, the
/// scaled curve by hand, and the elbow `sweep` marks (`elbowIndex`).
struct ElbowSteps: Sendable {
    let ks: [Int]
    /// The lowest inertia of `runs` k-means starts, for each k.
    let inertia: [Double]
    let runs: Int
    /// The position in `ks` that `sweep`'s elbow rule picks.
    let elbow: Int?

    /// k and inertia scaled to 0..1, and how far the point lies below the line from the first to the last.
    func scaled(_ i: Int) -> (x: Double, y: Double, gap: Double) {
        let x0 = Double(ks[0]), x1 = Double(ks[ks.count - 1]), y0 = inertia[0], y1 = inertia[inertia.count - 1]
        let x = (Double(ks[i]) - x0) / (x1 - x0), y = (inertia[i] - y1) / (y0 - y1)
        return (x, y, (1 - x) - y)
    }

    var jsonMembers: [JSONMember] {
        [JSONMember("k", .array(ks.map { .int($0) })), JSONMember("inertia", .array(inertia.map { .double($0) })),
         JSONMember("elbow", elbow.map { .int(ks[$0]) } ?? .null)]
    }

    var blocks: [Block] {
        var table = Table(columns: [.number("k"), .number("inertia"), .number("x"), .number("y"), .number("gap = 1 - x - y"),
                                    .decoration()], audience: .people)
        for i in ks.indices {
            let p = scaled(i)
            table.append([.text(String(ks[i])), .fixed(inertia[i], digits: 4), .fixed(p.x, digits: 4), .fixed(p.y, digits: 4),
                          .fixed(p.gap, digits: 4), .tag("← elbow", i == elbow)])
        }
        let verdict = elbow.map { "the elbow is k = \(ks[$0]), the largest gap: after it more clusters lower the inertia little." }
            ?? "no point lies below the line: no elbow."
        return [.text(ElbowSteps.definition),
                .text("k-means (n_init=\(runs)) on the eight points for k = \(ks[0])..\(ks[ks.count - 1]):"), .table(table),
                .text("By sweep's rule " + verdict)]
    }

    private static let definition = """
        Inertia falls with every k, fast while clusters that belong apart are
        split, slowly after. sweep scales k and the inertia to 0..1 (first k at
        x = 0, last at 1; y = (inertia - last) / (first - last)) and marks the k
        farthest below the straight line from the first point to the last:
        gap = (1 - x) - y. A curve without a bend has no clear elbow: read it
        with the silhouette's best k.
        """
}

/// `explain minibatch`: mini-batch k-means on the eight points, beside k-means.
struct MiniBatchSteps: Sendable {
    let batch: Int
    let steps: Int
    let inertia: Double
    let labels: [Int]
    /// k-means' inertia on the same points, for comparison.
    let kMeansInertia: Double

    var jsonMembers: [JSONMember] {
        [JSONMember("batch", .int(batch)), JSONMember("steps", .int(steps)), JSONMember("inertia", .double(inertia)),
         JSONMember("kmeans_inertia", .double(kMeansInertia))]
    }

    var blocks: [Block] {
        let names = EightPoints().names
        return [.text(MiniBatchSteps.definition), .text(
            "On the eight points with k = 3 and batch = \(batch): \(steps) steps, inertia \(f4(inertia)), labels "
                + labels.enumerated().map { "\(names[$0.offset])→\($0.element)" }.joined(separator: " ")
                + "; k-means reaches \(f4(kMeansInertia)).")]
    }

    private static let definition = """
        Start: k-means++ on a random sample of 3 × batch documents. Each step
        draws batch documents at random (with replacement), assigns each to its
        nearest centre and moves that centre towards it by 1 / (the documents the
        centre has taken so far), so centres settle as they learn. It stops when
        the smoothed inertia of the batches has not improved for 10 steps, or
        after max_iter passes over the data; the labels and the inertia come from
        one last pass over all documents. A step costs batch · k distances
        instead of n · k, for an inertia a little above k-means':
        cluster k=K method=minibatch batch=N.
        """
}

/// `explain agglomerative`: the merges of each linkage on the eight points
/// and the outlier, from the clustering code's cuts, with each merge's
/// linkage distance by hand.
struct AgglomerativeSteps: Sendable {
    struct Merge: Sendable {
        /// The two clusters joined, by their documents; the one with the first document first.
        let a: [Int]
        let b: [Int]
        /// Their distance under the linkage (ward: the increase in inertia).
        let distance: Double
    }

    /// Each linkage's merges, from n clusters down to one.
    let merges: [(linkage: Linkage, steps: [Merge])]
    /// The clustering code's labels for each linkage at these k.
    let cuts: [(k: Int, labels: [(linkage: Linkage, labels: [Int])])]

    var jsonMembers: [JSONMember] {
        let example = NinePoints()
        return [
            JSONMember("merges", .object(merges.map { linkage, steps in
                JSONMember(linkage.rawValue, .array(steps.map { m in
                    .object([JSONMember("merged", .array([.string(example.group(m.a)), .string(example.group(m.b))])),
                             JSONMember("distance", .double(m.distance))])
                }))
            })),
            JSONMember("labels", .object(cuts.map { k, byLinkage in
                JSONMember(String(k), .object(byLinkage.map { JSONMember($0.linkage.rawValue, .array($0.labels.map { .int($0) })) }))
            })),
        ]
    }

    var blocks: [Block] {
        let example = NinePoints()
        var table = Table(columns: [.number("k")] + merges.map { Table.Column($0.linkage.rawValue) }, audience: .people)
        let count = merges.first?.steps.count ?? 0
        for step in 0 ..< count {
            table.append([.count(example.count - step - 1)] + merges.map { _, steps in
                let m = steps[step]
                return .text("\(example.group(m.a))+\(example.group(m.b)) \(f4(m.distance))")
            })
        }
        let partitions = cuts.map { k, byLinkage in
            "k = \(k): " + byLinkage.map { "\($0.linkage.rawValue) " + example.partition($0.labels).joined(separator: " | ") }
                .joined(separator: "; ")
        }
        return [.text(AgglomerativeSteps.definition),
                .text("The eight points and an outlier I (9, 1): each merge, the k clusters it leaves, and its linkage distance "
                      + "(ward: the inertia it adds)."),
                .table(table)]
            + partitions.map { .text($0) }
            + [.text("Ward, which weighs the clusters' sizes, joins the outlier to the nearest cluster early; the others keep it "
                     + "apart longer, single longest, while single chains the other clusters together through their closest pairs.")]
    }

    private static let definition = """
        Every document starts alone; each step merges the two closest clusters,
        where the linkage says what closest means:
          ward      the pair whose merge raises the inertia least,
                    n_a · n_b / (n_a + n_b) · |centre_a - centre_b|² (euclidean only; the default)
          average   the mean distance between their documents
          complete  the largest distance between their documents
          single    the smallest distance between their documents
        The merges form a tree; cluster k=K method=agglomerative linkage=L cuts it
        where K clusters remain. Ward, average and complete keep n² distances in
        memory; single needs only n.
        """
}

/// `explain hdbscan`: core distances by hand on the eight points and the
/// outlier, for min_samples 2 and 3, and the HDBSCAN code's labels for both.
struct HDBSCANSteps: Sendable {
    /// One setting of min_samples: each document's core distance and the
    /// neighbour it is measured to (by hand), and the labels (from the code).
    struct Run: Sendable {
        let minSamples: Int
        let core: [(distance: Double, neighbour: Int)]
        let labels: [Int]
    }

    let minClusterSize: Int
    let runs: [Run]
    /// The pair whose mutual reachability the example works out.
    let pair: (a: Int, b: Int, distance: Double)

    func mutualReachability(_ run: Run) -> Double { max(run.core[pair.a].distance, run.core[pair.b].distance, pair.distance) }

    var jsonMembers: [JSONMember] {
        [JSONMember("min_cluster_size", .int(minClusterSize)),
         JSONMember("runs", .array(runs.map { run in
             .object([JSONMember("min_samples", .int(run.minSamples)),
                      JSONMember("core_distances", .array(run.core.map { .double($0.distance) })),
                      JSONMember("labels", .array(run.labels.map { .int($0) })),
                      JSONMember("noise", .int(run.labels.filter { $0 < 0 }.count))])
         }))]
    }

    var blocks: [Block] {
        let example = NinePoints()
        var columns = [Table.Column("point"), .number("x"), .number("y")]
        for run in runs {
            columns += [.number("core (\(run.minSamples))"), Table.Column("label (\(run.minSamples))")]
        }
        var table = Table(columns: columns, audience: .people)
        for i in 0 ..< example.count {
            var row: [Cell] = [.text(example.names[i]), .fixed(Double(example.points[i][0]), digits: 1), .fixed(Double(example.points[i][1]), digits: 1)]
            for run in runs {
                row += [.text("\(f4(run.core[i].distance)) (\(example.names[run.core[i].neighbour]))"),
                        .text(run.labels[i] < 0 ? "noise (-1)" : "cluster_\(run.labels[i])")]
            }
            table.append(row)
        }
        let a = example.names[pair.a], b = example.names[pair.b]
        let reach = runs.map { run in
            "min_samples=\(run.minSamples): mutual reachability of \(a) and \(b) = max(\(f4(run.core[pair.a].distance)), "
                + "\(f4(run.core[pair.b].distance)), \(f4(pair.distance))) = \(f4(mutualReachability(run)))"
        }
        return [.text(HDBSCANSteps.definition),
                .text("The eight points and an outlier I (9, 1), min_cluster_size=\(minClusterSize); core (m) and label (m) for "
                      + "min_samples=m, each core distance to the point named:"),
                .table(table)]
            + reach.map { .text($0) }
            + [.text("With min_samples=2 the core distance is the nearest neighbour's, so mutual reachability is the plain distance "
                     + "and \(a)\(b) is a cluster; with 3 each needs two neighbours nearby, the pair is no longer dense and joins a larger "
                     + "cluster. I stays noise: its nearest neighbour is far. cluster method=hdbscan min_cluster_size=\(minClusterSize) "
                     + "gives the first labels; explain noise says why noise is left out of the scores.")]
    }

    private static let definition = """
        core distance of a document = the distance to its min_samples-th nearest
        document, itself counted first (min_samples defaults to
        min_cluster_size): small where documents are dense.
        mutual reachability of a and b = max(core a, core b, distance(a, b)):
        documents in sparse regions are far from everything.
        HDBSCAN joins the documents by mutual reachability, from the closest up
        (a single-linkage tree), and keeps the groups of at least
        min_cluster_size documents that last longest as the distance grows; a
        document that leaves before its group becomes a cluster, or that never
        joins one, is noise (label -1). No k to choose.
        """
}

/// `explain noise`: HDBSCAN's labels on the eight points and the outlier,
/// every document's silhouette with the noise left out and with it scored
/// as a cluster, from the metrics code.
struct NoiseSteps: Sendable {
    let labels: [Int]
    /// Per document; nil for the noise, which is left out.
    let withoutNoise: [Double?]
    let silhouetteWithoutNoise: Double
    let asCluster: [Double]
    let silhouetteAsCluster: Double

    var noise: Int { labels.filter { $0 < 0 }.count }

    var jsonMembers: [JSONMember] {
        [JSONMember("noise", .int(noise)), JSONMember("silhouette", .double(silhouetteWithoutNoise)),
         JSONMember("silhouette_noise_as_cluster", .double(silhouetteAsCluster))]
    }

    var blocks: [Block] {
        let example = NinePoints()
        var table = Table(columns: [Table.Column("point"), Table.Column("label"), .number("s, noise left out"),
                                    .number("s, noise as a cluster")], audience: .people)
        for i in labels.indices {
            table.append([.text(example.names[i]), .text(labels[i] < 0 ? "noise (-1)" : "cluster_\(labels[i])"),
                          .score(withoutNoise[i]), .score(asCluster[i])])
        }
        // the scored document the noise cluster hurts most
        let hurt = labels.indices.filter { labels[$0] >= 0 }.max { a, b in
            ((withoutNoise[a] ?? 0) - asCluster[a]) < ((withoutNoise[b] ?? 0) - asCluster[b])
        }
        var lines = ["Silhouette with the noise left out: \(f4(silhouetteWithoutNoise)) over \(labels.count - noise) documents; "
            + "scored as a cluster: \(f4(silhouetteAsCluster)) over \(labels.count)."]
        if let hurt, let outlier = labels.firstIndex(where: { $0 < 0 }), noise == 1, asCluster[hurt] < withoutNoise[hurt] ?? 0 {
            lines.append("As a cluster of one, \(example.names[outlier]) gets s = \(f4(asCluster[outlier])) by convention, which pulls the "
                + "mean down though \(example.names[outlier]) belongs nowhere, and it becomes the nearest \"cluster\" of "
                + "\(example.names[hurt]), whose s falls from \(f4(withoutNoise[hurt] ?? 0)) to \(f4(asCluster[hurt])).")
        }
        return [.text(NoiseSteps.definition), .text("HDBSCAN (min_cluster_size=2) on the eight points and an outlier I (9, 1):"),
                .table(table)] + lines.map { .text($0) }
    }

    private static let definition = """
        Noise is what is left when the dense groups are taken out: documents
        scattered anywhere, not a group. Scored as a cluster it means nothing:
        scattered members have a large a(i) and a negative s(i), a lone outlier
        scores 0 and becomes the nearest "cluster" of documents it is not near,
        and the centroid indices get a centre in the middle of nowhere. k never
        counts it. A clustering made by HDBSCAN knows its noise label, -1:
        metrics, silhouette, plot and report leave it out by default and say
        how many documents it held (json "noise"); noise=none scores it as a
        cluster, and noise=LABEL names the noise of labels read from a file.
        distribution shows it last, as a row of its own.
        """
}
