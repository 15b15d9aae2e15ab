import ClusCore

// The small data sets `explain` works its examples on. Scripts/make_explain_fixture.py
// builds the same ones for scikit-learn.

/// Eight points in the plane in three clusters, with a truth that mostly agrees.
struct EightPoints {
    let names = ["A", "B", "C", "D", "E", "F", "G", "H"]
    let points: [[Float]] = [[1, 1], [1.5, 2], [2, 1.2], [6, 6], [6.5, 7], [7, 6], [1, 6], [1.5, 6.5]]
    let labels = [0, 0, 0, 1, 1, 1, 2, 2]
    let truth = [0, 0, 1, 1, 1, 1, 2, 2]
    var x: Embeddings { Embeddings(rows: points) }
    var table: ContingencyTable { ContingencyTable(truth: truth, predicted: labels) }

    func clusterName(_ c: Int) -> String { "cluster_\(c)" }
    func members(of cluster: Int) -> [Int] { labels.indices.filter { labels[$0] == cluster } }
    /// A group of documents by its points' names: `ABC`.
    func group(_ members: [Int]) -> String { members.sorted().map { names[$0] }.joined() }
    func distance(_ i: Int, _ j: Int) -> Double { DistanceMetric.euclidean.distance(points[i][...], points[j][...]) }

    /// The points, for people (the json has the worked numbers).
    var pointsTable: Table {
        Table(columns: [Table.Column("point"), .number("x"), .number("y"), Table.Column("cluster"), Table.Column("truth")],
              rows: names.indices.map { i in
                  Table.Row([.text(names[i]), .fixed(Double(points[i][0]), digits: 1), .fixed(Double(points[i][1]), digits: 1),
                             .text(clusterName(labels[i])), .text("t\(truth[i])")])
              },
              audience: .people)
    }

    /// Truth against clusters, for people.
    var contingencyTable: Table {
        let t = table
        var out = Table(columns: [Table.Column("truth \\ cluster")] + t.clusters.map { .number(clusterName($0)) }, audience: .people)
        for r in 0 ..< t.rowCount {
            out.append([.text("t\(t.truthClasses[r])")] + (0 ..< t.columnCount).map { .count(t.count(truthIndex: r, clusterIndex: $0)) })
        }
        return out
    }
}

/// The eight points and an outlier I far from every cluster: for HDBSCAN,
/// its noise, and what each linkage does with an outlier.
struct NinePoints {
    let names = EightPoints().names + ["I"]
    let points = EightPoints().points + [[9, 1]]
    var x: Embeddings { Embeddings(rows: points) }
    var count: Int { points.count }

    func distance(_ i: Int, _ j: Int) -> Double { DistanceMetric.euclidean.distance(points[i][...], points[j][...]) }

    /// A group of documents by its points' names: `ABC`.
    func group(_ members: [Int]) -> String { members.sorted().map { names[$0] }.joined() }

    /// The groups of a clustering, in order of their first document: `ABC | DEF | GH | I`.
    func partition(_ labels: [Int]) -> [String] {
        var order: [Int] = []
        for label in labels where !order.contains(label) { order.append(label) }
        return order.map { label in group(labels.indices.filter { labels[$0] == label }) }
    }
}

/// Forty points on three grids of 20, 12 and 8 (step 0.5) where the eight
/// points' clusters lie: enough documents per cluster for `sample=` to sample.
struct GridPoints {
    /// Each cluster's lower left corner, columns and rows.
    static let grids: [(x: Float, y: Float, columns: Int, rows: Int)] = [(1, 1, 5, 4), (6, 6, 4, 3), (1, 6, 4, 2)]
    let points: [[Float]]
    let labels: [Int]
    var x: Embeddings { Embeddings(rows: points) }

    init() {
        var points: [[Float]] = [], labels: [Int] = []
        for (cluster, grid) in GridPoints.grids.enumerated() {
            for r in 0 ..< grid.rows {
                for c in 0 ..< grid.columns {
                    points.append([grid.x + 0.5 * Float(c), grid.y + 0.5 * Float(r)])
                    labels.append(cluster)
                }
            }
        }
        self.points = points
        self.labels = labels
    }
}

/// Seven short texts in three clusters (pets, cars, cooking): for the terms
/// `describe text=` finds.
struct SevenTexts {
    let texts = ["The cat sleeps", "A cat and a dog", "Dog food",
                 "Engine oil for the car", "Car tyres",
                 "Food recipes with oil", "Bread recipes"]
    let labels = [0, 0, 0, 1, 1, 2, 2]
    var clusterCount: Int { (labels.max() ?? -1) + 1 }

    func texts(of cluster: Int) -> [String] { labels.indices.filter { labels[$0] == cluster }.map { texts[$0] } }
}

/// Three resamples of the eight points as `stability` might cluster them with
/// k = 3: the first finds the clusters again; the second and third join G and H
/// to the documents of cluster_0 drawn and split cluster_1.
struct EightPointResamples {
    let resamples = [
        ResampleClustering(documents: [0, 1, 2, 3, 4, 6], labels: [0, 0, 0, 1, 1, 2]),     // F and H not drawn
        ResampleClustering(documents: [0, 1, 3, 4, 5, 6, 7], labels: [0, 0, 1, 1, 2, 0, 0]),  // C not drawn
        ResampleClustering(documents: [1, 2, 3, 4, 5, 6, 7], labels: [0, 0, 1, 2, 2, 0, 0]),  // A not drawn
    ]
}

/// Twelve values on a line in three groups of four, two of them near each
/// other: for the gap statistic, which clusters its reference sets for every k.
struct TwelveValues {
    let values: [Float] = [1.0, 1.2, 1.5, 1.8, 3.0, 3.3, 3.5, 3.9, 9.0, 9.4, 9.6, 10.0]
    var x: Embeddings { Embeddings(rows: values.map { [$0] }) }
}
